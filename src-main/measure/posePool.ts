import { AppError } from '../contract/errors.js';
import type { PoseModelName } from '../detect/poseModelSpecs.js';
import type { BackendChoice } from '../detect/tfRuntime.js';
import { WorkerPool } from '../runtime/workerPool.js';
import { siblingModule } from '../runtime/workerThreads.js';
import type { PoseEstimate, PoseModelFacts, ToPoseWorker } from './poseMessages.js';

export type { PoseEstimate, PoseModelFacts } from './poseMessages.js';

/**
 * Pose workers (poseWorker.ts), each with the model on one onnxruntime thread, fed
 * round-robin; a result comes back under the sequence number it was sent with. A worker that
 * fails fails the pool and every crop waiting on it (none waits forever).
 */
export class PosePool {
  private constructor(private readonly pool: WorkerPool<PoseModelFacts, PoseEstimate>) {}

  static async start(count: number, model: PoseModelName, backend: BackendChoice): Promise<PosePool> {
    const pool = await WorkerPool.start<PoseModelFacts, PoseEstimate>({
      count,
      module: siblingModule(import.meta.url, 'poseWorker'),
      init: { type: 'init', model, backend } satisfies ToPoseWorker,
      failure: (message) => new AppError('POSE_MODEL_INVALID', `${model}: ${message}`),
      stopped: (code) => new AppError('POSE_MODEL_INVALID', `a pose worker stopped (exit code ${code})`),
    });
    return new PosePool(pool);
  }

  get facts(): PoseModelFacts {
    return this.pool.ready ?? { backend: '', sha256: '', inputSize: 0, keypoints: 0 };
  }

  /** Keypoints of one crop (`rgb`: inputSize x inputSize x 3, handed over without a copy). */
  estimate(sequence: number, rgb: Uint8Array): Promise<PoseEstimate> {
    return this.pool.run(sequence, { type: 'estimate', sequence, rgb } satisfies ToPoseWorker, [rgb.buffer as ArrayBuffer]);
  }

  get threads(): number {
    return this.pool.threads;
  }

  /** Ends every worker after it has finished its run and released its session; crops still waiting fail with `reason`. */
  close(reason?: Error, graceMs?: number): Promise<void> {
    return this.pool.close(reason, graceMs);
  }
}
