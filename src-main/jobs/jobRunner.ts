import type { Worker } from 'node:worker_threads';
import type { Job, JobKind } from '../contract/entities.js';
import { AppError, errorMessage, type ErrorReply } from '../contract/errors.js';
import type { JobParams } from '../contract/jobs.js';
import type { Store } from '../store/store.js';
import { publicJob, type StoredJob } from '../store/jobsRepo.js';
import { siblingModule, spawnWorker } from '../runtime/workerThreads.js';
import { descriptorOf, jobKinds } from './jobKinds.js';
import type { CommitContext, TypedJob } from './jobKind.js';
import type { FromJobWorker, JobWorkerContext, ToJobWorker } from './workerProtocol.js';

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
}

/** Anything that queues jobs (services depend on this, not on the runner). */
export interface JobQueue {
  enqueue<K extends JobKind>(kind: K, videoId: number | null, params: JobParams<K>, runId?: number | null): StoredJob;
  cancel(id: number): Promise<StoredJob>;
}

interface Running {
  job: StoredJob;
  worker: Worker;
  cancelRequested: boolean;
  lastProgressAt: number;
  settled: Promise<void>;
}

type Outcome = { status: 'done'; result: unknown } | { status: 'failed' | 'cancelled'; error: ErrorReply };

const internal = (detail: string): ErrorReply => ({ code: 'INTERNAL', message: errorMessage('INTERNAL', detail) });

/**
 * Runs queued jobs from the database in worker threads, at most `concurrency` at once.
 * Params are checked against the kind's schema when a job is queued and when it is taken;
 * the worker's result against the result schema before the kind's commit stores it. Progress
 * goes to the database (throttled) and to `onUpdate`. A job that was running when the
 * process died is re-queued by Store.recover().
 */
export class JobRunner implements JobQueue {
  private readonly running = new Map<number, Running>();
  private readonly kinds: readonly JobKind[];
  private started = false;
  private stopping = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly store: Store,
    private readonly options: JobRunnerOptions,
  ) {
    this.kinds = options.kinds ?? (Object.keys(jobKinds) as JobKind[]);
  }

  start(): void {
    this.started = true;
    this.kick();
  }

  /** Claims as many queued jobs as the concurrency limit allows. */
  kick(): void {
    if (!this.started || this.stopping) return;
    while (this.running.size < this.options.concurrency()) {
      const job = this.store.jobs.claimNext(this.kinds);
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
   * Stops every worker; their jobs go back to the queue for the next start. Each job is first
   * cancelled and given `cancelGraceMs` to wind down (its ffmpeg and worker threads closed, its
   * onnxruntime sessions released: terminating a thread inside a native run aborts the whole
   * process), then its worker is terminated.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const all = [...this.running.values()];
    await Promise.all(
      all.map(async (r) => {
        r.worker.postMessage({ type: 'cancel' } satisfies ToJobWorker);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([r.settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.cancelGraceMs ?? 5000)))]);
        clearTimeout(timer);
        await r.worker.terminate();
      }),
    );
    await Promise.all(all.map((r) => r.settled));
    this.store.jobs.requeueInterrupted();
  }

  private launch(job: StoredJob): void {
    const params = descriptorOf(job.kind).params.safeParse(job.params);
    if (!params.success) {
      this.options.log?.(`job ${job.id} (${job.kind}) has params its schema refuses`, params.error);
      this.emit(this.store.jobs.finish(job.id, 'failed', { error: new AppError('JOB_PARAMS_INVALID', String(job.id)).toReply() }));
      queueMicrotask(() => this.kick());
      return;
    }
    const worker = spawnWorker(siblingModule(import.meta.url, 'jobWorker'));
    let finished = false;
    let resolveSettled!: () => void;
    const settled = new Promise<void>((resolve) => (resolveSettled = resolve));
    const entry: Running = { job, worker, cancelRequested: false, lastProgressAt: 0, settled };
    this.running.set(job.id, entry);
    this.options.onUpdate(publicJob(job));

    const finish = async (outcome: Outcome) => {
      if (finished) return;
      finished = true;
      try {
        if (this.stopping) return; // left as running; re-queued by stop()
        if (outcome.status === 'done') await this.commit({ ...job, params: params.data }, outcome.result);
        else this.emit(this.store.jobs.finish(job.id, outcome.status, { error: outcome.error }));
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
        this.store.jobs.setProgress(job.id, message.progress, message.message);
        this.emit(this.store.jobs.get(job.id));
      } else if (message.type === 'done') {
        void finish({ status: 'done', result: message.result });
      } else {
        if (message.error.code !== 'JOB_CANCELLED') this.options.log?.(`job ${job.id} (${job.kind}) failed: ${message.error.code}`, message.cause);
        void finish(entry.cancelRequested || message.error.code === 'JOB_CANCELLED' ? { status: 'cancelled', error: message.error } : { status: 'failed', error: message.error });
      }
    });
    worker.on('error', (error) => {
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
   * the job done (and queues what follows) in one transaction. A result that cannot be
   * stored fails the job with a sentence; what it left on disk is removed.
   */
  private async commit<K extends JobKind>(job: TypedJob<K>, raw: unknown): Promise<void> {
    const descriptor = descriptorOf(job.kind);
    const checked = descriptor.result.safeParse(raw);
    if (!checked.success) {
      this.options.log?.(`job ${job.id} (${job.kind}) returned a result its schema refuses`, checked.error);
      this.emit(this.store.jobs.finish(job.id, 'failed', { error: internal(`the result of ${descriptor.title} did not match its schema`) }));
      return;
    }
    try {
      const writes = await descriptor.commit(this.options.commitContext(), job, checked.data);
      const done = this.store.transaction(() => {
        writes();
        const stored = this.store.jobs.finish(job.id, 'done', { result: checked.data });
        this.options.afterCommit?.(stored);
        return stored;
      });
      this.emit(done);
    } catch (error) {
      this.options.log?.(`job ${job.id} (${job.kind}) could not be saved`, error);
      await descriptor.discard?.(checked.data).catch(() => undefined);
      const reply = error instanceof AppError ? error.toReply() : internal('the result could not be saved');
      this.emit(this.store.jobs.finish(job.id, 'failed', { error: reply }));
    }
  }

  private emit(job: StoredJob): void {
    this.options.onUpdate(publicJob(job));
  }
}
