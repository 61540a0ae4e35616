import type { PoseModelName } from '../detect/poseModelSpecs.js';
import type { BackendChoice } from '../detect/tfRuntime.js';
import type { PoolReply } from '../runtime/workerPool.js';

/** What a pose worker said about its model once ready. */
export interface PoseModelFacts {
  backend: string;
  sha256: string;
  inputSize: number;
  keypoints: number;
}

/** One crop's keypoints in the model's input pixels, and how long the model took. */
export interface PoseEstimate {
  points: Float32Array;
  ms: number;
}

/** Messages between the pose pool (posePool.ts) and one pose worker: one model, one onnxruntime thread. */
export type ToPoseWorker =
  | { type: 'init'; model: PoseModelName; backend: BackendChoice }
  | { type: 'estimate'; sequence: number; rgb: Uint8Array }
  /** Finish the run in progress, skip the crops still queued, release the session, say 'closed'. */
  | { type: 'close' };
/** The worker pool's protocol (runtime/workerPool.ts): results by sequence number. */
export type FromPoseWorker = PoolReply<PoseModelFacts, PoseEstimate>;

