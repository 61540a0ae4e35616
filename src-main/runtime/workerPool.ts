import type { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../contract/errors.js';
import { endWorker, spawnWorker } from './workerThreads.js';

/**
 * What every pool worker answers (a worker module's side of the protocol): `ready` once its
 * model is loaded (with what it says of itself), a `result` for each request's key, an `error`
 * in words (with a catalogue code when it has one), and `closed` once it has released its
 * sessions after a close request.
 */
export type PoolReply<Ready, Result> =
  | ({ type: 'ready' } & Ready)
  | { type: 'result'; key: number; result: Result }
  | { type: 'error'; message: string; code?: ErrorCode; detail?: string }
  | { type: 'closed' };

/** The close request every pool worker understands. */
export const closeRequest = { type: 'close' } as const;

export interface WorkerPoolOptions {
  count: number;
  /** The worker module (runtime/workerThreads.ts siblingModule). */
  module: URL;
  /** The first message each worker gets: load the model. */
  init: unknown;
  /** The failure of a worker error without a catalogue code, e.g. "the pose model could not run: ...". */
  failure(message: string): AppError;
  /** What a worker that stopped on its own means. */
  stopped(exitCode: number): AppError;
}

/**
 * A pool of worker threads that each hold a model and answer one request at a time, fed round
 * robin, results matched to their request by key. When one worker fails, every waiting request
 * fails with it and the pool is of no further use (`failed`). Closing asks each worker to
 * release its onnxruntime sessions before its thread is terminated (endWorker).
 */
export class WorkerPool<Ready, Result> {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (result: Result) => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;
  private closing = false;
  private next = 0;
  /** What the workers said of themselves when ready (the last to answer). */
  ready: Ready | undefined;

  private constructor() {}

  static async start<Ready, Result>(options: WorkerPoolOptions): Promise<WorkerPool<Ready, Result>> {
    const pool = new WorkerPool<Ready, Result>();
    await Promise.all(
      Array.from({ length: options.count }, () => {
        const worker = spawnWorker(options.module);
        pool.workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.on('message', (message: PoolReply<Ready, Result>) => {
            if (message.type === 'ready') {
              const { type: _ready, ...facts } = message;
              pool.ready = facts as Ready;
              resolve();
            } else if (message.type === 'result') {
              const settle = pool.pending.get(message.key);
              pool.pending.delete(message.key);
              settle?.resolve(message.result);
            } else if (message.type === 'error') {
              pool.fail(message.code ? new AppError(message.code, message.detail ?? '') : options.failure(message.message));
              reject(pool.failure);
            }
            // 'closed' is the answer to close(), heard by endWorker
          });
          worker.on('error', (error) => {
            pool.fail(error);
            reject(error);
          });
          worker.on('exit', (code) => {
            if (pool.closing) return;
            pool.fail(options.stopped(code));
            reject(pool.failure);
          });
          worker.postMessage(options.init);
        });
      }),
    ).catch(async (error: unknown) => {
      await pool.close();
      throw error;
    });
    return pool;
  }

  /** Sends one request to the next worker; resolves with the result answered for `key` (unique among those waiting). */
  run(key: number, request: unknown, transfer: ArrayBuffer[] = []): Promise<Result> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = this.workers[this.next++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(key, { resolve, reject });
      worker.postMessage(request, transfer);
    });
  }

  /** Fails every request waiting for a worker (none waits forever) and the pool with them. */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
  }

  /** A worker failed: the pool is of no further use. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  get threads(): number {
    return this.workers.length;
  }

  /** Ends every worker, each after it has released its sessions; requests still waiting fail with `reason`. */
  async close(reason: Error = new AppError('JOB_CANCELLED'), graceMs = 5000): Promise<void> {
    this.closing = true;
    this.fail(reason);
    await Promise.all(this.workers.map((worker) => endWorker(worker, closeRequest, (m) => (m as { type?: string }).type === 'closed', graceMs)));
  }
}
