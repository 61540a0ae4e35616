import { EventEmitter } from 'node:events';
import { Job as BullJob, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobKind, JobStatus } from '../contract/entities.js';
import { AppError, type ErrorReply } from '../contract/errors.js';
import { englishOf } from '../contract/phrase.js';
import { descriptorOf, jobKinds } from '../jobs/jobKinds.js';
import type { ExecutionHandle, JobExecutor } from '../jobs/jobExecution.js';
import type { FromJobWorker, ToJobWorker } from '../jobs/workerProtocol.js';
import { appVersion } from '../runtime/appVersion.js';
import type { StoredJob } from '../store/jobsRepo.js';
import type { Vault } from '../store/vault.js';
import { redactQueueUrls, redisOptionsOf, type QueueAddress } from './queueAddress.js';
import {
  cancelKeyOf,
  coordinatorVersionKey,
  decodeFailure,
  queueNameOf,
  remoteJobIdOf,
  remoteJobDataSchema,
  remoteJobReturnSchema,
  remoteProgressSchema,
  workerKeyPrefix,
  type RemoteJobData,
} from './remoteEnvelope.js';
import { SharedMediaStore, type MediaFolderRef, type MediaRef } from './sharedMediaStore.js';

export interface RemoteExecutorOptions {
  address: QueueAddress;
  mediaDir: string;
  vault: Vault;
  /** The coordinator job's status in its database (a finished job's remote copy and files are cleaned up). */
  jobStatus: (jobId: number) => JobStatus | undefined;
  /** The kinds sent to workers (default: every kind that declares its remote files). */
  kinds?: readonly JobKind[];
  /** Remote jobs the coordinator keeps in flight at once (default 256). */
  inFlight?: number;
  /** Attempts of a remote job before it fails, with exponential backoff from `backoffMs` (default 3, 2 s). */
  attempts?: number;
  backoffMs?: number;
  /** How often an in-flight job's state is read back, in case an event was missed while Redis restarted (default 2 s). */
  pollMs?: number;
  version?: string;
  log?: (message: string, cause?: unknown) => void;
}

/** A live worker as it registered itself in Redis. */
export interface RemoteWorkerInfo {
  id: string;
  version: string;
  kinds: string[];
  concurrency: number;
  running: number;
  at: string;
}

/**
 * The coordinator's side of the remote queue: a job the runner claims from SQLite (the store of
 * record, as for a local job) is handed to a BullMQ queue of its kind instead of a local thread.
 * Its inputs go through the shared media folder; its result comes back through the queue and its
 * files through the folder, verified into the vault's temporary folder; then the runner commits it
 * as it would a local result. One remote job per coordinator job (`ws-<id>`): a job claimed again
 * after a restart finds the remote job it already had, finished or not, so nothing runs twice.
 */
export class RemoteExecutor implements JobExecutor {
  private readonly queues = new Map<JobKind, Queue>();
  private readonly events = new Map<JobKind, QueueEvents>();
  private readonly handles = new Map<string, RemoteJobHandle>();
  private readonly kinds: readonly JobKind[];
  readonly media: SharedMediaStore;
  private redis!: Redis;
  private poll: NodeJS.Timeout | undefined;
  /** Clean-ups of finished jobs still under way (close() waits for them). */
  readonly cleanups = new Set<Promise<void>>();
  /** Folder refs by path: a model bundle is hashed once, not for every job. */
  private readonly folderRefs = new Map<string, Promise<MediaFolderRef>>();

  private constructor(readonly options: RemoteExecutorOptions) {
    this.kinds = options.kinds ?? (Object.keys(jobKinds) as JobKind[]).filter((kind) => descriptorOf(kind).remote !== undefined);
    for (const kind of this.kinds) if (!descriptorOf(kind).remote) throw new AppError('QUEUE_URL_INVALID', `jobs of kind ${kind} cannot run on workers`);
    this.media = new SharedMediaStore(options.mediaDir, `coordinator-${process.pid}`);
  }

  /** Connects to Redis (a server that cannot be reached, or refuses the password, is named in a sentence) and opens one queue per kind. */
  static async open(options: RemoteExecutorOptions): Promise<RemoteExecutor> {
    if (options.vault.key) throw new AppError('QUEUE_NEEDS_PLAIN_VAULT', options.mediaDir);
    const executor = new RemoteExecutor(options);
    await executor.media.init();
    const redis = new Redis({ ...redisOptionsOf(options.address), lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null } as never);
    redis.on('error', () => undefined); // the probe's failure is the refusal below, not an unhandled event
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      redis.disconnect();
      throw new AppError('QUEUE_UNREACHABLE', `${options.address.display} (${redactQueueUrls(error instanceof Error ? error.message : String(error))})`);
    }
    redis.disconnect();
    executor.redis = new Redis(redisOptionsOf(options.address) as never);
    executor.redis.on('error', () => undefined); // reconnects by itself; BullMQ's own connections report
    await executor.redis.set(coordinatorVersionKey, options.version ?? appVersion);
    const connection = redisOptionsOf(options.address) as never;
    for (const kind of executor.kinds) {
      const queue = new Queue(queueNameOf(kind), { connection });
      queue.on('error', (error) => options.log?.(`the ${kind} queue's connection failed: ${redactQueueUrls(error.message)}`));
      const events = new QueueEvents(queueNameOf(kind), { connection });
      events.on('error', (error) => options.log?.(`the ${kind} queue's event stream failed: ${redactQueueUrls(String(error))}`));
      events.on('progress', ({ jobId, data }) => executor.handles.get(jobId)?.progress(data));
      events.on('completed', ({ jobId }) => void executor.handles.get(jobId)?.check());
      events.on('failed', ({ jobId }) => void executor.handles.get(jobId)?.check());
      executor.queues.set(kind, queue);
      executor.events.set(kind, events);
    }
    await Promise.all([...executor.events.values()].map((events) => events.waitUntilReady()));
    executor.poll = setInterval(() => {
      for (const handle of executor.handles.values()) void handle.check();
    }, options.pollMs ?? 2000);
    executor.poll.unref();
    return executor;
  }

  get capacity(): number {
    return this.options.inFlight ?? 256;
  }

  runsRemotely(kind: JobKind): boolean {
    return this.kinds.includes(kind);
  }

  start(job: StoredJob): ExecutionHandle {
    const handle = new RemoteJobHandle(this, job);
    this.handles.set(handle.remoteId, handle);
    return handle;
  }

  /** @internal the handle's queue */
  queueOf(kind: JobKind): Queue {
    return this.queues.get(kind)!;
  }

  /** @internal */
  forget(handle: RemoteJobHandle): void {
    if (this.handles.get(handle.remoteId) === handle) this.handles.delete(handle.remoteId);
  }

  /** @internal a cancel every worker sees (it looks before it starts a job and while it runs one) */
  async markCancelled(remoteId: string): Promise<void> {
    await this.redis.set(cancelKeyOf(remoteId), '1', 'EX', 7 * 24 * 3600);
  }

  /** @internal */
  folderRef(dir: string): Promise<MediaFolderRef> {
    let ref = this.folderRefs.get(dir);
    if (!ref) {
      ref = this.media.putFolder(dir);
      ref.catch(() => this.folderRefs.delete(dir));
      this.folderRefs.set(dir, ref);
    }
    return ref;
  }

  /** @internal after a shared copy was found damaged: bundles are sent (and checked) again */
  forgetFolders(): void {
    this.folderRefs.clear();
  }

  /** The workers registered now (they refresh their entry every few seconds). */
  async workers(): Promise<RemoteWorkerInfo[]> {
    const keys = await this.redis.keys(`${workerKeyPrefix}*`);
    const values = keys.length === 0 ? [] : await this.redis.mget(...keys);
    return values.flatMap((value) => {
      try {
        return value ? [JSON.parse(value) as RemoteWorkerInfo] : [];
      } catch {
        return [];
      }
    });
  }

  /**
   * Removes the remote copies of jobs the coordinator has finished with (done, failed or
   * cancelled in its database): what a coordinator that stopped between its commit and its
   * clean-up left in Redis and in the shared folder.
   */
  async reconcile(): Promise<number> {
    let removed = 0;
    for (const [, queue] of this.queues) {
      for (const job of await queue.getJobs(['completed', 'failed'])) {
        const id = Number(/^ws-(\d+)$/.exec(job.id ?? '')?.[1]);
        const status = Number.isInteger(id) ? this.options.jobStatus(id) : undefined;
        if (status === 'queued' || status === 'running') continue;
        await this.removeOutputs(job.returnvalue);
        await job.remove().catch(() => undefined);
        removed++;
      }
    }
    return removed;
  }

  /** @internal the files a remote result sent back, once the coordinator has its own copies */
  async removeOutputs(returnvalue: unknown): Promise<void> {
    const parsed = remoteJobReturnSchema.safeParse(returnvalue);
    if (parsed.success) await Promise.all(Object.values(parsed.data.outputs).map((ref) => this.media.remove(ref)));
  }

  async close(): Promise<void> {
    clearInterval(this.poll);
    await Promise.all([...this.cleanups]);
    await this.media.removeOwnTemp();
    await Promise.all([...this.events.values()].map((events) => events.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await this.redis?.quit().catch(() => undefined);
  }
}

/** How often a remote job that vanished from Redis is queued again before its coordinator job fails. */
const maxRequeues = 2;

/**
 * One coordinator job on the remote queue, seen by the runner as it sees a local worker thread:
 * it takes the same `run` and `cancel` messages and answers with the same progress, done and
 * failed messages.
 */
class RemoteJobHandle extends EventEmitter implements ExecutionHandle {
  readonly remoteId: string;
  readonly remote = true;
  private submitted = false;
  private delivered = false;
  private checking = false;
  private ended = false;
  private params: Record<string, unknown> | undefined;
  /** Times the remote job was queued again after it vanished from Redis (a server restarted without persistence). */
  private requeued = 0;
  /** Queued again but not yet accepted by Redis: the next poll tries again. */
  private resubmitting = false;

  constructor(
    private readonly executor: RemoteExecutor,
    private readonly job: StoredJob,
  ) {
    super();
    this.remoteId = remoteJobIdOf(job.id);
  }

  postMessage(message: ToJobWorker): void {
    if (message.type === 'run') {
      this.params = message.params as Record<string, unknown>;
      void this.submit(this.params).catch((error) => this.fail(error));
    }
    else void this.cancel().catch((error) => this.executor.options.log?.(`cancelling remote job ${this.remoteId} failed`, error));
  }

  private send(message: FromJobWorker): void {
    if (this.delivered || this.ended) return;
    if (message.type !== 'progress') this.delivered = true;
    this.emit('message', message);
  }

  private fail(error: unknown): void {
    const reply: ErrorReply = error instanceof AppError ? error.toReply() : new AppError('INTERNAL', redactQueueUrls(error instanceof Error ? error.message : String(error)).slice(0, 200)).toReply();
    this.send({ type: 'failed', error: reply, cause: redactQueueUrls(error instanceof Error ? (error.stack ?? error.message) : String(error)) });
  }

  /** Sends the inputs through the shared folder and queues the remote job, or finds the one this job already has. */
  private async submit(params: Record<string, unknown>): Promise<void> {
    const queue = this.executor.queueOf(this.job.kind);
    const existing = await BullJob.fromId(queue, this.remoteId);
    if (existing) {
      const state = await existing.getState();
      if (state === 'failed' || state === 'unknown') await existing.remove();
      else {
        // queued before a restart of this coordinator: follow it (a finished one is read at once)
        this.submitted = true;
        return this.check();
      }
    }
    const spec = descriptorOf(this.job.kind).remote!;
    const inputs: RemoteJobData['inputs'] = {};
    for (const field of spec.inputFiles) inputs[field] = await this.executor.media.put(String(params[field]));
    for (const field of spec.inputFolders ?? []) inputs[field] = await this.executor.folderRef(String(params[field]));
    const data: RemoteJobData = { app: 'walkscope', version: this.executor.options.version ?? appVersion, kind: this.job.kind, jobId: this.job.id, params, inputs };
    await queue.add(this.job.kind, data, {
      jobId: this.remoteId,
      attempts: this.executor.options.attempts ?? 3,
      backoff: { type: 'exponential', delay: this.executor.options.backoffMs ?? 2000 },
      removeOnComplete: false,
      removeOnFail: false,
    });
    this.submitted = true;
  }

  /** @internal a progress event of the remote job */
  progress(data: unknown): void {
    const parsed = remoteProgressSchema.safeParse(data);
    if (parsed.success) this.send({ type: 'progress', progress: parsed.data.fraction, message: englishOf(parsed.data.phrase), phrase: parsed.data.phrase, worker: parsed.data.worker });
  }

  /** Reads the remote job's state: a finished one is delivered (its files verified into the vault first). */
  async check(): Promise<void> {
    if (this.delivered || this.checking || this.ended) return;
    if (!this.submitted && !this.resubmitting) return;
    this.checking = true;
    try {
      if (this.resubmitting) {
        await this.submit(this.params!);
        this.resubmitting = false;
        return;
      }
      const queue = this.executor.queueOf(this.job.kind);
      // the state first, then the job: a job that finishes in between is read with its result
      const state = await queue.getJobState(this.remoteId);
      const job = state === 'unknown' ? undefined : await BullJob.fromId(queue, this.remoteId);
      if (!job) {
        // Redis came back without it (no append-only file, or emptied): queue it again, its inputs are still shared
        if (this.params === undefined || this.requeued >= maxRequeues) return this.fail(new AppError('REMOTE_JOB_FAILED', `the remote job ${this.remoteId} vanished from the queue ${this.requeued + 1} times (is Redis kept on disk?)`));
        this.requeued++;
        this.executor.options.log?.(`remote job ${this.remoteId} is no longer in the queue: queued again (${this.requeued} of ${maxRequeues})`);
        this.submitted = false;
        this.resubmitting = true;
        await this.submit(this.params);
        this.resubmitting = false;
        return;
      }
      if (state === 'failed') {
        const error = decodeFailure(job.failedReason);
        // a shared copy that fails its check is removed, so that the job queued again sends a good one
        if (error.code === 'MEDIA_HASH_MISMATCH') await this.removeInputs(job.data);
        return this.send({ type: 'failed', error, cause: `remote job ${this.remoteId} failed after ${job.attemptsMade} attempts` });
      }
      if (state !== 'completed') return;
      const returned = remoteJobReturnSchema.safeParse(job.returnvalue);
      if (!returned.success) return this.fail(new AppError('REMOTE_PAYLOAD_INVALID', `the result of remote job ${this.remoteId} does not match the remote result schema`));
      const result: Record<string, unknown> = { ...returned.data.result };
      const spec = descriptorOf(this.job.kind).remote!;
      for (const field of spec.outputFiles) {
        const ref: MediaRef | undefined = returned.data.outputs[field];
        if (!ref) continue;
        const local = this.executor.options.vault.tempPath(ref.ext);
        await this.executor.media.fetch(ref, local);
        result[field] = local;
      }
      this.send({ type: 'done', result });
    } catch (error) {
      // Redis away for a moment: the next poll reads it again; a file that fails its check is final
      if (error instanceof AppError) this.fail(error);
      else this.executor.options.log?.(`reading remote job ${this.remoteId} failed (tried again)`, redactQueueUrls(String(error)));
    } finally {
      this.checking = false;
    }
  }

  private async removeInputs(data: unknown): Promise<void> {
    const parsed = remoteJobDataSchema.safeParse(data);
    if (!parsed.success) return;
    for (const ref of Object.values(parsed.data.inputs)) {
      if ('files' in ref) await Promise.all(ref.files.map((file) => this.executor.media.remove(file.ref)));
      else await this.executor.media.remove(ref);
    }
    this.executor.forgetFolders();
  }

  private async cancel(): Promise<void> {
    await this.executor.markCancelled(this.remoteId);
    const job = await BullJob.fromId(this.executor.queueOf(this.job.kind), this.remoteId);
    const state = job ? await job.getState() : 'unknown';
    if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children')) {
      await job.remove().catch(() => undefined);
      this.send({ type: 'failed', error: new AppError('JOB_CANCELLED').toReply(), cause: 'cancelled before a worker took it' });
    } else if (!job || state === 'unknown') {
      this.send({ type: 'failed', error: new AppError('JOB_CANCELLED').toReply(), cause: 'cancelled before it was queued' });
    }
    // a running job: its worker sees the cancel within half a second and fails it as cancelled
  }

  /**
   * The runner is done with this job. When the coordinator's database has finished it, its remote
   * copy and the files it sent back are removed; a job still queued or running there (this runner
   * stopped, or lost it) is left for the runner that takes it next.
   */
  async terminate(): Promise<number> {
    if (this.ended) return 0;
    this.ended = true;
    this.executor.forget(this);
    const cleanup = this.cleanUp();
    this.executor.cleanups.add(cleanup);
    await cleanup.finally(() => this.executor.cleanups.delete(cleanup));
    this.emit('exit', 0);
    return 0;
  }

  private async cleanUp(): Promise<void> {
    try {
      const status = this.executor.options.jobStatus(this.job.id);
      if (status !== 'queued' && status !== 'running') {
        const job = await BullJob.fromId(this.executor.queueOf(this.job.kind), this.remoteId);
        if (job) {
          await this.executor.removeOutputs(job.returnvalue);
          await job.remove().catch(() => undefined);
        }
      }
    } catch (error) {
      this.executor.options.log?.(`cleaning up remote job ${this.remoteId} failed (the next start does it)`, redactQueueUrls(String(error)));
    }
  }
}
