import { mkdir, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DelayedError, UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobKind, Settings } from '../contract/entities.js';
import { AppError, type ErrorReply } from '../contract/errors.js';
import { descriptorOf } from '../jobs/jobKinds.js';
import { JobThreadFailure, runJobInThread } from '../jobs/jobThread.js';
import type { JobWorkerContext } from '../jobs/workerProtocol.js';
import { appVersion } from '../runtime/appVersion.js';
import { redisOptionsOf, type QueueAddress } from './queueAddress.js';
import {
  cancelKeyOf,
  coordinatorVersionKey,
  encodeFailure,
  queueNameOf,
  remoteJobDataSchema,
  workerKeyPrefix,
  type RemoteJobReturn,
  type RemoteProgress,
} from './remoteEnvelope.js';
import { ownerFolderName, SharedMediaStore, type MediaFolderRef, type MediaRef } from './sharedMediaStore.js';

export interface QueueWorkerOptions {
  address: QueueAddress;
  mediaDir: string;
  /** Where the worker keeps its verified copies and the work's own outputs (a local disk). */
  scratchDir: string;
  kinds: readonly JobKind[];
  /** Jobs run at once per kind (one BullMQ worker per kind, each with this concurrency). */
  concurrency: number;
  detectionWorkers: number;
  inferenceThreads: number;
  executionProviders: Settings['executionProviders'];
  ffmpegPath: string | null;
  ffprobePath: string | null;
  /** BullMQ's lock on a running job; a worker that stops renewing it (killed) loses its jobs to others after this (default 30 s). */
  lockMs?: number;
  /** How often BullMQ looks for jobs whose worker stopped renewing their lock (default 30 s). */
  stalledCheckMs?: number;
  /** How long a stop (SIGTERM) lets running jobs finish before it hands them back (default 30 s). */
  stopGraceMs?: number;
  /** How often the health line is written (default 10 s). */
  healthEveryMs?: number;
  /** The version this worker reports (tests give another to see it refused). */
  version?: string;
  /** Where health lines and job lines go (default stdout). */
  print?: (line: string) => void;
  log?: (message: string, cause?: unknown) => void;
}

/** How often a worker renews its registration, and how long one lives without renewal. */
const registrationEveryMs = 3000;
const registrationTtlSec = 10;
/** Every how many registrations the shared temporary area is swept (about every 15 s). */
const sweepEveryBeats = 5;

interface Active {
  controller: AbortController;
  kind: JobKind;
  jobId: number;
  /** The stop's grace ran out: hand the job back rather than fail it. */
  handBack: boolean;
}

/**
 * `walkscope worker`: takes jobs of the given kinds from the Redis queues and runs them with the
 * same work modules as the desktop (each in a job thread of its own). Inputs come from the shared
 * media folder and are verified against their SHA-256 before use; outputs go back the same way.
 * The worker never opens a WalkScope database: the coordinator stores every result.
 */
export class QueueWorker {
  readonly id = `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
  private readonly workers: Worker[] = [];
  private readonly active = new Map<string, Active>();
  private readonly media: SharedMediaStore;
  private redis: Redis | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private registrationTimer: NodeJS.Timeout | undefined;
  private cancelTimer: NodeJS.Timeout | undefined;
  private counts = { done: 0, failed: 0, refused: 0 };
  private stopping = false;
  private readonly version: string;

  constructor(private readonly options: QueueWorkerOptions) {
    this.media = new SharedMediaStore(options.mediaDir, this.id);
    this.version = options.version ?? appVersion;
  }

  private print(line: string): void {
    (this.options.print ?? ((text: string) => process.stdout.write(`${text}\n`)))(line);
  }

  /** Connects, checks the coordinator's version, registers and starts taking jobs. */
  async start(): Promise<void> {
    await this.media.init();
    await mkdir(join(this.options.scratchDir, 'cache'), { recursive: true });
    await mkdir(join(this.options.scratchDir, 'vault', 'tmp'), { recursive: true });
    this.redis = new Redis({ ...redisOptionsOf(this.options.address), lazyConnect: true } as never);
    try {
      await this.redis.connect();
      await this.redis.ping();
    } catch (error) {
      this.redis.disconnect();
      throw new AppError('QUEUE_UNREACHABLE', `${this.options.address.display} (${error instanceof Error ? error.message : String(error)})`);
    }
    const coordinator = await this.redis.get(coordinatorVersionKey);
    if (coordinator !== null && coordinator !== this.version) {
      await this.redis.quit();
      throw new AppError('WORKER_VERSION_MISMATCH', `this worker runs WalkScope ${this.version}, the coordinator ${coordinator}`);
    }
    await this.register();
    let beats = 0;
    this.registrationTimer = setInterval(() => {
      void this.register().catch(() => undefined);
      if (++beats % sweepEveryBeats === 0) void this.sweepTemp();
    }, registrationEveryMs);
    await this.sweepTemp();
    const perKind = Math.max(1, this.options.concurrency);
    for (const kind of this.options.kinds) {
      const worker = new Worker(queueNameOf(kind), (job, token) => this.process(job, token), {
        connection: redisOptionsOf(this.options.address) as never,
        concurrency: perKind,
        lockDuration: this.options.lockMs ?? 30_000,
        stalledInterval: this.options.stalledCheckMs ?? 30_000,
        maxStalledCount: 2,
        autorun: true,
      });
      worker.on('error', (error) => this.options.log?.(`the ${kind} queue connection failed`, error));
      this.workers.push(worker);
    }
    this.cancelTimer = setInterval(() => void this.checkCancels(), 500);
    this.healthTimer = setInterval(() => this.health(), this.options.healthEveryMs ?? 10_000);
    this.health();
  }

  private async register(): Promise<void> {
    const value = JSON.stringify({ id: this.id, version: this.version, kinds: this.options.kinds, concurrency: this.options.concurrency, running: this.active.size, at: new Date().toISOString() });
    await this.redis?.set(`${workerKeyPrefix}${this.id}`, value, 'EX', registrationTtlSec);
  }

  /** Removes what workers killed mid-copy left in the shared folder's temporary area (their registration has run out). */
  private async sweepTemp(): Promise<void> {
    try {
      const live = await this.liveWorkerFolders();
      const removed = await this.media.sweepTemp((owner) => live.has(owner));
      if (removed.length > 0) this.print(`removed the temporary files of stopped workers: ${removed.join(', ')}`);
    } catch {
      // Redis or the folder away for a moment: the next sweep tries again
    }
  }

  private async liveWorkerFolders(): Promise<Set<string>> {
    const keys = (await this.redis?.keys(`${workerKeyPrefix}*`)) ?? [];
    return new Set(keys.map((key) => ownerFolderName(key.slice(workerKeyPrefix.length))));
  }

  /** One line a supervisor (systemd, a script) can read: who, what it takes, how busy, how it went. */
  health(): void {
    const redis = this.redis?.status ?? 'closed';
    this.print(
      `health worker=${this.id} version=${this.version} kinds=${this.options.kinds.join(',')} running=${this.active.size}/${this.options.concurrency * this.options.kinds.length} done=${this.counts.done} failed=${this.counts.failed} refused=${this.counts.refused} redis=${redis}${this.stopping ? ' stopping' : ''}`,
    );
  }

  private async checkCancels(): Promise<void> {
    if (!this.redis || this.active.size === 0) return;
    for (const [remoteId, entry] of this.active) {
      if (entry.controller.signal.aborted) continue;
      const cancelled = await this.redis.exists(cancelKeyOf(remoteId)).catch(() => 0);
      if (cancelled) entry.controller.abort();
    }
  }

  /** Runs one remote job: check, fetch and verify the inputs, run the work, send the outputs back. */
  private async process(job: BullJob, token: string | undefined): Promise<RemoteJobReturn> {
    const remoteId = job.id ?? '?';
    const data = remoteJobDataSchema.safeParse(job.data);
    if (!data.success) {
      this.counts.refused++;
      const fields = [...new Set(data.error.issues.map((issue) => issue.path.join('.') || '(the payload)'))].slice(0, 5).join(', ');
      this.print(`refused job ${remoteId}: its payload does not match the remote job schema (${fields})`);
      throw new UnrecoverableError(encodeFailure(new AppError('REMOTE_PAYLOAD_INVALID', `job ${remoteId} has fields this version does not accept: ${fields}`).toReply()));
    }
    const { kind, jobId, version } = data.data;
    if (version !== this.version) {
      this.counts.refused++;
      this.print(`refused job ${remoteId}: queued by WalkScope ${version}, this worker runs ${this.version}`);
      throw new UnrecoverableError(encodeFailure(new AppError('WORKER_VERSION_MISMATCH', `job ${jobId} was queued by WalkScope ${version}, worker ${this.id} runs ${this.version}`).toReply()));
    }
    const descriptor = descriptorOf(kind);
    const spec = descriptor.remote;
    if (!spec || !this.options.kinds.includes(kind)) throw new UnrecoverableError(encodeFailure(new AppError('REMOTE_PAYLOAD_INVALID', `job ${jobId} is of kind ${kind}, which does not run on workers`).toReply()));
    if (await this.redis?.exists(cancelKeyOf(remoteId))) throw new UnrecoverableError(encodeFailure(new AppError('JOB_CANCELLED').toReply()));

    const entry: Active = { controller: new AbortController(), kind, jobId, handBack: false };
    this.active.set(remoteId, entry);
    const started = Date.now();
    const produced: string[] = [];
    try {
      const params: Record<string, unknown> = { ...data.data.params };
      for (const field of spec.inputFiles) {
        const ref = data.data.inputs[field];
        if (!ref || 'files' in ref) throw new AppError('REMOTE_PAYLOAD_INVALID', `job ${jobId} names no file for ${field}`);
        params[field] = await this.verifiedCopy(ref, entry.controller.signal);
      }
      for (const field of spec.inputFolders ?? []) {
        const ref = data.data.inputs[field];
        if (!ref || !('files' in ref)) throw new AppError('REMOTE_PAYLOAD_INVALID', `job ${jobId} names no folder for ${field}`);
        params[field] = await this.verifiedFolder(ref, entry.controller.signal);
      }
      const checked = descriptor.params.safeParse(params);
      if (!checked.success) throw new AppError('JOB_PARAMS_INVALID', `${jobId} (${kind})`);
      this.print(`job ${remoteId}: ${kind} of coordinator job ${jobId} started`);
      let lastProgress = 0;
      const raw = await runJobInThread(kind, checked.data, this.context(), {
        jobId,
        signal: entry.controller.signal,
        onProgress: (fraction, message, phrase) => {
          const now = Date.now();
          if (now - lastProgress < 250 && fraction < 1) return;
          lastProgress = now;
          void job.updateProgress({ fraction, message, phrase, worker: this.id } satisfies RemoteProgress).catch(() => undefined);
        },
      });
      const result = descriptor.result.safeParse(raw);
      if (!result.success) throw new AppError('INTERNAL', `the result of ${descriptor.title} did not match its schema`);
      const body = result.data as unknown as Record<string, unknown>;
      for (const field of spec.outputFiles) if (typeof body[field] === 'string') produced.push(body[field] as string);
      const outputs: Record<string, MediaRef> = {};
      for (const field of spec.outputFiles) {
        const path = body[field];
        if (typeof path === 'string') outputs[field] = await this.media.put(path);
      }
      this.counts.done++;
      this.print(`job ${remoteId}: done in ${Date.now() - started} ms`);
      return { result: body, outputs, worker: this.id, workMs: Date.now() - started };
    } catch (error) {
      if (entry.handBack && token) {
        // the worker is stopping: the job goes back to the queue for another worker, not failed
        await job.moveToDelayed(Date.now(), token);
        this.print(`job ${remoteId}: handed back (the worker is stopping)`);
        throw new DelayedError();
      }
      this.counts.failed++;
      const reply: ErrorReply =
        error instanceof JobThreadFailure ? error.reply : error instanceof AppError ? error.toReply() : new AppError('INTERNAL', error instanceof Error ? error.message.slice(0, 200) : String(error)).toReply();
      this.print(`job ${remoteId}: failed: ${reply.code}`);
      if (error instanceof JobThreadFailure && reply.code !== 'JOB_CANCELLED') this.options.log?.(`job ${remoteId} failed`, error.causeText);
      // a refusal or a cancel never gets better by running again; anything else may (BullMQ's attempts and backoff)
      const final = reply.code === 'JOB_CANCELLED' || reply.code === 'JOB_PARAMS_INVALID' || reply.code === 'REMOTE_PAYLOAD_INVALID' || reply.code === 'MEDIA_HASH_MISMATCH';
      throw final ? new UnrecoverableError(encodeFailure(reply)) : new Error(encodeFailure(reply));
    } finally {
      this.active.delete(remoteId);
      // the work's own files: sent back (or not needed) either way
      await Promise.all(produced.map((path) => rm(path, { force: true })));
    }
  }

  /** A local copy of a shared file, verified against its name when it was copied (kept for the next job on the same video). */
  private async verifiedCopy(ref: MediaRef, signal: AbortSignal): Promise<string> {
    const local = join(this.options.scratchDir, 'cache', `${ref.sha256}${ref.ext}`);
    if ((await stat(local).catch(() => null))?.isFile()) return local;
    await this.media.fetch(ref, local, signal);
    return local;
  }

  private async verifiedFolder(ref: MediaFolderRef, signal: AbortSignal): Promise<string> {
    const dir = join(this.options.scratchDir, 'cache', `folder-${ref.files.map((f) => f.ref.sha256.slice(0, 8)).join('')}`.slice(0, 120));
    await mkdir(dir, { recursive: true });
    for (const file of ref.files) {
      const path = join(dir, file.name);
      if (!(await stat(path).catch(() => null))?.isFile()) await this.media.fetch(file.ref, path, signal);
    }
    return dir;
  }

  private context(): JobWorkerContext {
    return {
      dataDir: this.options.scratchDir,
      vaultDir: join(this.options.scratchDir, 'vault'),
      databaseKey: null,
      ffmpegPath: this.options.ffmpegPath,
      ffprobePath: this.options.ffprobePath,
      detectionWorkers: this.options.detectionWorkers,
      inferenceThreads: this.options.inferenceThreads,
      executionProviders: this.options.executionProviders,
    };
  }

  /**
   * Stops taking jobs and lets running ones finish for `stopGraceMs`; any still running then is
   * cancelled and handed back to the queue (another worker takes it), then the connections close.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.health();
    for (const worker of this.workers) void worker.pause(true).catch(() => undefined);
    const deadline = Date.now() + (this.options.stopGraceMs ?? 30_000);
    while (this.active.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    for (const entry of this.active.values()) {
      entry.handBack = true;
      entry.controller.abort();
    }
    while (this.active.size > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    clearInterval(this.healthTimer);
    clearInterval(this.registrationTimer);
    clearInterval(this.cancelTimer);
    await Promise.all(this.workers.map((worker) => worker.close()));
    await this.redis?.del(`${workerKeyPrefix}${this.id}`).catch(() => undefined);
    await this.media.removeOwnTemp().catch(() => undefined);
    await this.redis?.quit().catch(() => undefined);
    this.health();
  }
}
