import type { Job, JobKind } from '../contract/entities.js';
import { AppError, errorMessage, type ErrorReply } from '../contract/errors.js';
import type { JobParams } from '../contract/jobs.js';
import { phrase } from '../contract/phrase.js';
import type { Store } from '../store/store.js';
import { newJobOwner, publicJob, type StoredJob } from '../store/jobsRepo.js';
import { siblingModule, spawnWorker } from '../runtime/workerThreads.js';
import { descriptorOf, jobKinds } from './jobKinds.js';
import type { CommitContext, TypedJob } from './jobKind.js';
import type { FromJobWorker, JobWorkerContext, ToJobWorker } from './workerProtocol.js';
import type { ExecutionHandle, JobExecutor } from './jobExecution.js';

export interface JobRunnerOptions {
  concurrency: () => number;
  /** What workers get to know of the app (passed by value). */
  context: () => JobWorkerContext;
  /** What commits use on the main thread. */
  commitContext: () => CommitContext;
  onUpdate: (job: Job) => void;
  /**
   * Runs inside the transaction that stores a job's result and marks it done: queue what
   * follows it (analysis runs), so that a crash never loses the next step.
   */
  afterCommit?: (job: StoredJob) => void;
  /** The kinds this runner takes from the queue (default: every kind). */
  kinds?: readonly JobKind[];
  log?: (message: string, cause?: unknown) => void;
  /** How long a cancelled job may take to stop before its worker is terminated. */
  cancelGraceMs?: number;
  /** Minimum time between two progress writes of one job. */
  progressIntervalMs?: number;
  /** How long a claimed job stays this runner's without a heartbeat (default 30 s). */
  leaseMs?: number;
  /** How often the runner renews its leases and looks for jobs whose owner is gone (default 5 s). */
  heartbeatMs?: number;
  /** Runs the kinds it names on other machines (the Redis queue); every other kind runs in this process's worker threads. */
  executor?: JobExecutor;
}

/** Anything that queues jobs (services depend on this, not on the runner). */
export interface JobQueue {
  enqueue<K extends JobKind>(kind: K, videoId: number | null, params: JobParams<K>, runId?: number | null): StoredJob;
  cancel(id: number): Promise<StoredJob>;
}

interface Running {
  job: StoredJob;
  worker: ExecutionHandle;
  /** Its work runs on another machine (counted against the executor's capacity, not the local concurrency). */
  remote: boolean;
  cancelRequested: boolean;
  /** Another runner or store took the job back (this runner's lease ran out): nothing of it is written. */
  leaseLost: boolean;
  lastProgressAt: number;
  settled: Promise<void>;
}

type Outcome = { status: 'done'; result: unknown } | { status: 'failed' | 'cancelled'; error: ErrorReply };

const internal = (detail: string): ErrorReply => ({ code: 'INTERNAL', message: errorMessage('INTERNAL', detail) });

/**
 * Runs queued jobs from the database in worker threads, at most `concurrency` at once.
 * Params are checked against the kind's schema when a job is queued and when it is taken;
 * the worker's result against the result schema before the kind's commit stores it. Progress
 * goes to the database (throttled) and to `onUpdate`.
 *
 * Each runner has an owner id; a job it claims is leased to it for `leaseMs`, renewed every
 * `heartbeatMs` while it runs. Only the owner writes a job's progress and outcome, and only
 * while it holds the lease. When a runner stops, it gives back its own running jobs; a job
 * whose owner died or hangs (its lease ran out) is re-queued by whichever runner or store
 * notices first (Store.recover(), every heartbeat). A job interrupted `maxAttempts` times fails.
 */
export class JobRunner implements JobQueue {
  private readonly running = new Map<number, Running>();
  private readonly kinds: readonly JobKind[];
  private started = false;
  private stopping = false;
  private idleWaiters: Array<() => void> = [];
  private heartbeat: NodeJS.Timeout | undefined;
  /** This runner's owner id on the jobs it claims. */
  readonly owner = newJobOwner();

  constructor(
    private readonly store: Store,
    private readonly options: JobRunnerOptions,
  ) {
    this.kinds = options.kinds ?? (Object.keys(jobKinds) as JobKind[]);
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 30_000;
  }

  start(): void {
    if (this.started) return this.kick();
    this.started = true;
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs ?? 5000);
    this.heartbeat.unref();
    this.store.jobs.requeueAbandoned();
    this.kick();
  }

  /**
   * Renews this runner's leases; a job whose lease it lost (it was re-queued while this process
   * hung) is stopped without writing anything. Then re-queues jobs whose owner is gone, and
   * takes queued work (also what other processes queued).
   */
  private beat(): void {
    try {
      if (this.running.size > 0) {
        const held = this.store.jobs.renewLeases(this.owner, [...this.running.keys()], this.leaseMs);
        for (const [id, entry] of this.running) {
          if (held.has(id) || entry.leaseLost) continue;
          entry.leaseLost = true;
          this.options.log?.(`job ${id} (${entry.job.kind}) is no longer this runner's (its lease ran out); stopping it`);
          // a remote job keeps running on its worker: the runner that holds it now follows it
          if (entry.remote) void entry.worker.terminate();
          else {
            entry.worker.postMessage({ type: 'cancel' } satisfies ToJobWorker);
            setTimeout(() => void entry.worker.terminate(), this.options.cancelGraceMs ?? 5000).unref();
          }
        }
      }
      if (this.stopping) return;
      this.store.jobs.requeueAbandoned();
      this.kick();
    } catch (error) {
      this.options.log?.('the job heartbeat failed', error);
    }
  }

  /**
   * Claims as many queued jobs as the concurrency limit allows; with an executor, its kinds are
   * claimed up to its capacity besides (their work runs elsewhere, this process only waits).
   */
  kick(): void {
    if (!this.started || this.stopping) return;
    const executor = this.options.executor;
    const remoteKinds = executor ? this.kinds.filter((kind) => executor.runsRemotely(kind)) : [];
    const localKinds = executor ? this.kinds.filter((kind) => !executor.runsRemotely(kind)) : this.kinds;
    const count = (remote: boolean) => [...this.running.values()].filter((entry) => entry.remote === remote).length;
    while (localKinds.length > 0 && count(false) < this.options.concurrency()) {
      const job = this.store.jobs.claimNext(localKinds, this.owner, this.leaseMs);
      if (!job) break;
      this.launch(job);
    }
    while (executor && remoteKinds.length > 0 && count(true) < executor.capacity) {
      const job = this.store.jobs.claimNext(remoteKinds, this.owner, this.leaseMs);
      if (!job) break;
      this.launch(job);
    }
    this.resolveIdleIfDone();
  }

  /** Queues a job after checking its params against the kind's schema (a mismatch is a bug: it throws). */
  enqueue<K extends JobKind>(kind: K, videoId: number | null, params: JobParams<K>, runId: number | null = null): StoredJob {
    const checked = descriptorOf(kind).params.parse(params);
    const job = this.store.jobs.enqueue(kind, videoId, checked, runId);
    // after the caller's transaction (if any) has committed: a rolled-back job is never announced
    queueMicrotask(() => {
      const stored = this.store.jobs.find(job.id);
      if (stored) this.options.onUpdate(publicJob(stored));
      this.kick();
    });
    return job;
  }

  async cancel(id: number): Promise<StoredJob> {
    const job = this.store.jobs.get(id);
    if (job.status === 'queued') {
      this.store.jobs.cancelQueued(id);
      const cancelled = this.store.jobs.get(id);
      this.options.onUpdate(publicJob(cancelled));
      return cancelled;
    }
    const running = this.running.get(id);
    if (job.status !== 'running' || !running) throw new AppError('JOB_NOT_CANCELLABLE', String(id));
    running.cancelRequested = true;
    running.worker.postMessage({ type: 'cancel' } satisfies ToJobWorker);
    const grace = setTimeout(() => void running.worker.terminate(), this.options.cancelGraceMs ?? 5000);
    await running.settled;
    clearTimeout(grace);
    return this.store.jobs.get(id);
  }

  /** Resolves once no job is queued or running (for the CLI and tests). */
  async idle(): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.running.size === 0 && !this.store.jobs.hasQueued(this.kinds);
  }

  private resolveIdleIfDone(): void {
    if (this.idleWaiters.length > 0 && this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /**
   * Stops every worker; this runner's own jobs go back to the queue ('interrupted by shutdown',
   * or failed past their attempts), jobs other runners hold are not touched. Each job is first
   * cancelled and given `cancelGraceMs` to wind down (its ffmpeg and worker threads closed, its
   * onnxruntime sessions released: terminating a thread inside a native run aborts the whole
   * process), then its worker is terminated.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const all = [...this.running.values()];
    await Promise.all(
      all.map(async (r) => {
        // a remote job goes on on its worker; the next runner to claim it picks up its result
        if (r.remote) return void (await r.worker.terminate());
        r.worker.postMessage({ type: 'cancel' } satisfies ToJobWorker);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([r.settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.cancelGraceMs ?? 5000)))]);
        clearTimeout(timer);
        await r.worker.terminate();
      }),
    );
    await Promise.all(all.map((r) => r.settled));
    clearInterval(this.heartbeat);
    if (this.started) this.store.jobs.releaseOwned(this.owner, phrase('jobs.progress.requeuedShutdown'));
  }

  private launch(job: StoredJob): void {
    const params = descriptorOf(job.kind).params.safeParse(job.params);
    if (!params.success) {
      this.options.log?.(`job ${job.id} (${job.kind}) has params its schema refuses`, params.error);
      this.emitIf(this.store.jobs.finish(job.id, 'failed', { error: new AppError('JOB_PARAMS_INVALID', String(job.id)).toReply() }, this.owner));
      queueMicrotask(() => this.kick());
      return;
    }
    const remote = this.options.executor?.runsRemotely(job.kind) ?? false;
    const worker: ExecutionHandle = remote ? this.options.executor!.start(job) : spawnWorker(siblingModule(import.meta.url, 'jobWorker'));
    let finished = false;
    let resolveSettled!: () => void;
    const settled = new Promise<void>((resolve) => (resolveSettled = resolve));
    const entry: Running = { job, worker, remote, cancelRequested: false, leaseLost: false, lastProgressAt: 0, settled };
    this.running.set(job.id, entry);
    this.options.onUpdate(publicJob(job));

    const finish = async (outcome: Outcome) => {
      if (finished) return;
      finished = true;
      try {
        if (this.stopping) return; // left as running; given back by stop()
        if (entry.leaseLost) return; // another runner has it now
        if (outcome.status === 'done') await this.commit({ ...job, params: params.data }, outcome.result);
        else this.emitIf(this.store.jobs.finish(job.id, outcome.status, { error: outcome.error }, this.owner));
      } finally {
        this.running.delete(job.id);
        void worker.terminate();
        resolveSettled();
        this.kick();
      }
    };

    worker.on('message', (message: FromJobWorker) => {
      if (message.type === 'progress') {
        const now = Date.now();
        if (now - entry.lastProgressAt < (this.options.progressIntervalMs ?? 250) && message.progress < 1) return;
        entry.lastProgressAt = now;
        // not announced once the lease is lost: the row is another runner's now
        if (!entry.leaseLost && this.store.jobs.setProgress(job.id, message.progress, message.phrase, this.owner, message.worker)) this.emit(this.store.jobs.get(job.id));
      } else if (message.type === 'done') {
        void finish({ status: 'done', result: message.result });
      } else {
        if (message.error.code !== 'JOB_CANCELLED') this.options.log?.(`job ${job.id} (${job.kind}) failed: ${message.error.code}`, message.cause);
        void finish(entry.cancelRequested || message.error.code === 'JOB_CANCELLED' ? { status: 'cancelled', error: message.error } : { status: 'failed', error: message.error });
      }
    });
    worker.on('error', (error: Error) => {
      this.options.log?.(`job ${job.id} (${job.kind}) worker crashed`, error);
      void finish({ status: 'failed', error: internal(error.message.slice(0, 200)) });
    });
    worker.on('exit', () => {
      if (entry.cancelRequested) void finish({ status: 'cancelled', error: new AppError('JOB_CANCELLED').toReply() });
      else void finish({ status: 'failed', error: internal('the job stopped unexpectedly') });
    });
    worker.postMessage({ type: 'run', jobId: job.id, kind: job.kind, params: params.data, context: this.options.context() } satisfies ToJobWorker);
  }

  /**
   * Checks the worker's result against the kind's schema, lets the kind store it, and marks
   * the job done (and queues what follows) in one transaction, which first checks that this
   * runner still holds the job's lease (a runner that lost it writes nothing: the job's new
   * owner writes the one result). A result that cannot be stored fails the job with a
   * sentence; what it left on disk is removed.
   */
  private async commit<K extends JobKind>(job: TypedJob<K>, raw: unknown): Promise<void> {
    const descriptor = descriptorOf(job.kind);
    const checked = descriptor.result.safeParse(raw);
    if (!checked.success) {
      this.options.log?.(`job ${job.id} (${job.kind}) returned a result its schema refuses`, checked.error);
      this.emitIf(this.store.jobs.finish(job.id, 'failed', { error: internal(`the result of ${descriptor.title} did not match its schema`) }, this.owner));
      return;
    }
    if (!this.store.jobs.owns(job.id, this.owner)) {
      this.options.log?.(`job ${job.id} (${job.kind}) finished after this runner lost it; its result is dropped`);
      await descriptor.discard?.(checked.data).catch(() => undefined);
      return;
    }
    try {
      const writes = await descriptor.commit(this.options.commitContext(), job, checked.data);
      const done = this.store.writeTransaction(() => {
        if (!this.store.jobs.owns(job.id, this.owner)) return undefined;
        writes();
        const stored = this.store.jobs.finish(job.id, 'done', { result: checked.data }, this.owner);
        if (stored) this.options.afterCommit?.(stored);
        return stored;
      });
      if (!done) {
        this.options.log?.(`job ${job.id} (${job.kind}) finished after this runner lost it; its result is dropped`);
        await descriptor.discard?.(checked.data).catch(() => undefined);
      }
      this.emitIf(done);
    } catch (error) {
      this.options.log?.(`job ${job.id} (${job.kind}) could not be saved`, error);
      await descriptor.discard?.(checked.data).catch(() => undefined);
      const reply = error instanceof AppError ? error.toReply() : internal('the result could not be saved');
      this.emitIf(this.store.jobs.finish(job.id, 'failed', { error: reply }, this.owner));
    }
  }

  private emit(job: StoredJob): void {
    this.options.onUpdate(publicJob(job));
  }

  /** Announces a job's outcome when it was written (undefined: the runner no longer held the job). */
  private emitIf(job: StoredJob | undefined): void {
    if (job) this.emit(job);
  }
}
