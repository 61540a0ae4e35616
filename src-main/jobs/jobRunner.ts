import type { Worker } from 'node:worker_threads';
import type { Job, JobKind } from '../contract/entities.js';
import { AppError, errorMessage } from '../contract/errors.js';
import type { Store } from '../store/store.js';
import { publicJob, type StoredJob } from '../store/jobsRepo.js';
import { siblingModule, spawnWorker } from '../runtime/workerThreads.js';
import type { FromJobWorker, JobWorkerContext, ToJobWorker } from './workerProtocol.js';

/** Main-thread half of a job kind: writes the worker's result into the store. */
export type JobCommitter = (job: StoredJob, result: unknown) => void | Promise<void>;

export interface JobRunnerOptions {
  concurrency: () => number;
  committers: Partial<Record<JobKind, JobCommitter>>;
  context: () => JobWorkerContext;
  onUpdate: (job: Job) => void;
  log?: (message: string, cause?: unknown) => void;
  /** How long a cancelled job may take to stop before its worker is terminated. */
  cancelGraceMs?: number;
  /** Minimum time between two progress writes of one job. */
  progressIntervalMs?: number;
}

interface Running {
  job: StoredJob;
  worker: Worker;
  cancelRequested: boolean;
  lastProgressAt: number;
  settled: Promise<void>;
}

/**
 * Runs queued jobs from the database in worker threads, at most `concurrency` at once.
 * Progress goes to the database (throttled) and to `onUpdate`; results are committed on the
 * main thread. A job that was running when the process died is re-queued by Store.recover().
 */
export class JobRunner {
  private readonly running = new Map<number, Running>();
  private started = false;
  private stopping = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly store: Store,
    private readonly options: JobRunnerOptions,
  ) {}

  private get kinds(): JobKind[] {
    return Object.keys(this.options.committers) as JobKind[];
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

  enqueue(kind: JobKind, videoId: number | null, params: Record<string, unknown>): StoredJob {
    const job = this.store.jobs.enqueue(kind, videoId, params);
    this.options.onUpdate(publicJob(job));
    queueMicrotask(() => this.kick());
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
    return this.running.size === 0 && this.store.jobs.list(['queued'], 1).filter((j) => this.kinds.includes(j.kind)).length === 0;
  }

  private resolveIdleIfDone(): void {
    if (this.idleWaiters.length > 0 && this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Stops every worker; their jobs go back to the queue for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    const all = [...this.running.values()];
    await Promise.all(all.map((r) => r.worker.terminate()));
    await Promise.all(all.map((r) => r.settled));
    this.store.jobs.requeueInterrupted();
  }

  private launch(job: StoredJob): void {
    const worker = spawnWorker(siblingModule(import.meta.url, 'jobWorker'));
    let finished = false;
    let resolveSettled!: () => void;
    const settled = new Promise<void>((resolve) => (resolveSettled = resolve));
    const entry: Running = { job, worker, cancelRequested: false, lastProgressAt: 0, settled };
    this.running.set(job.id, entry);
    this.options.onUpdate(publicJob(job));

    const finish = async (outcome: { status: 'done'; result: unknown } | { status: 'failed' | 'cancelled'; error: { code: string; message: string } }) => {
      if (finished) return;
      finished = true;
      try {
        if (this.stopping) return; // left as running; re-queued by stop()
        if (outcome.status === 'done') {
          try {
            await this.options.committers[job.kind]?.(job, outcome.result);
            this.emit(this.store.jobs.finish(job.id, 'done', { result: outcome.result }));
          } catch (error) {
            this.options.log?.(`job ${job.id} (${job.kind}) could not be saved`, error);
            const reply = error instanceof AppError ? error.toReply() : { code: 'INTERNAL', message: errorMessage('INTERNAL', 'the result could not be saved') };
            this.emit(this.store.jobs.finish(job.id, 'failed', { error: reply }));
          }
        } else {
          this.emit(this.store.jobs.finish(job.id, outcome.status, { error: outcome.error }));
        }
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
      void finish({ status: 'failed', error: { code: 'INTERNAL', message: errorMessage('INTERNAL', error.message.slice(0, 200)) } });
    });
    worker.on('exit', () => {
      if (entry.cancelRequested) void finish({ status: 'cancelled', error: new AppError('JOB_CANCELLED').toReply() });
      else void finish({ status: 'failed', error: { code: 'INTERNAL', message: errorMessage('INTERNAL', 'the job stopped unexpectedly') } });
    });
    worker.postMessage({ type: 'run', jobId: job.id, kind: job.kind, params: job.params, context: this.options.context() } satisfies ToJobWorker);
  }

  private emit(job: StoredJob): void {
    this.options.onUpdate(publicJob(job));
  }
}
