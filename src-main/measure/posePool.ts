import type { Worker } from 'node:worker_threads';
import { AppError } from '../contract/errors.js';
import type { PoseModelName } from '../detect/poseModelSpecs.js';
import type { BackendChoice } from '../detect/tfRuntime.js';
import { endWorker, siblingModule, spawnWorker } from '../runtime/workerThreads.js';
import type { FromPoseWorker, ToPoseWorker } from './poseWorker.js';

/** What a pose worker said about its model once ready. */
export interface PoseModelFacts {
  backend: string;
  sha256: string;
  inputSize: number;
  keypoints: number;
}

/**
 * Pose workers (poseWorker.ts), each with the model on one onnxruntime thread, fed
 * round-robin; a result comes back under the sequence number it was sent with. A worker that
 * fails fails the pool and every crop waiting on it (none waits forever).
 */
export class PosePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (result: { points: Float32Array; ms: number }) => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;
  private closing = false;
  facts: PoseModelFacts = { backend: '', sha256: '', inputSize: 0, keypoints: 0 };

  private constructor() {}

  static async start(count: number, model: PoseModelName, backend: BackendChoice): Promise<PosePool> {
    const pool = new PosePool();
    await Promise.all(
      Array.from({ length: count }, () => {
        const worker = spawnWorker(siblingModule(import.meta.url, 'poseWorker'));
        pool.workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.on('message', (message: FromPoseWorker) => {
            if (message.type === 'ready') {
              const { backend: described, sha256, inputSize, keypoints } = message;
              pool.facts = { backend: described, sha256, inputSize, keypoints };
              resolve();
            } else if (message.type === 'estimated') {
              const settle = pool.pending.get(message.sequence);
              pool.pending.delete(message.sequence);
              settle?.resolve({ points: message.points, ms: message.ms });
            } else if (message.type === 'closed') {
              // answered to close() (runtime/workerThreads.ts endWorker)
            } else {
              pool.fail(message.code ? new AppError(message.code, message.detail) : new AppError('POSE_MODEL_INVALID', `${model}: ${message.message}`));
              reject(pool.failure);
            }
          });
          worker.on('error', (error) => {
            pool.fail(error);
            reject(error);
          });
          worker.on('exit', (code) => {
            if (pool.closing) return;
            const error = new AppError('POSE_MODEL_INVALID', `a pose worker stopped (exit code ${code})`);
            pool.fail(error);
            reject(error);
          });
          worker.postMessage({ type: 'init', model, backend } satisfies ToPoseWorker);
        });
      }),
    ).catch(async (error: unknown) => {
      await pool.close();
      throw error;
    });
    return pool;
  }

  /** Keypoints of one crop (`rgb`: inputSize x inputSize x 3, handed over without a copy), in the model's input pixels. */
  estimate(sequence: number, rgb: Uint8Array): Promise<{ points: Float32Array; ms: number }> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = this.workers[sequence % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(sequence, { resolve, reject });
      worker.postMessage({ type: 'estimate', sequence, rgb } satisfies ToPoseWorker, [rgb.buffer as ArrayBuffer]);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
  }

  get threads(): number {
    return this.workers.length;
  }

  /**
   * Ends every worker; crops still waiting are failed with `reason`. Each worker is first asked
   * to finish its run and release its session (terminating a thread inside an onnxruntime run
   * aborts the whole process), then terminated; one that does not answer within `graceMs` (a
   * run of the slowest model takes about 0.1 s) is terminated all the same.
   */
  async close(reason: Error = new AppError('JOB_CANCELLED'), graceMs = 5000): Promise<void> {
    this.closing = true;
    this.fail(reason);
    await Promise.all(this.workers.map((worker) => endWorker(worker, { type: 'close' } satisfies ToPoseWorker, (m) => (m as FromPoseWorker).type === 'closed', graceMs)));
  }
}
