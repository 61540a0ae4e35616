import { parentPort } from 'node:worker_threads';
import { isAppError, type ErrorCode } from '../contract/errors.js';
import { loadPoseModel, type PoseModel } from '../detect/poseModel.js';
import type { PoseModelName } from '../detect/poseModelSpecs.js';
import type { BackendChoice } from '../detect/tfRuntime.js';

/** Messages between the pose pool (posePool.ts) and one pose worker: one model, one onnxruntime thread. */
export type ToPoseWorker =
  | { type: 'init'; model: PoseModelName; backend: BackendChoice }
  | { type: 'estimate'; sequence: number; rgb: Uint8Array };
export type FromPoseWorker =
  | { type: 'ready'; backend: string; sha256: string; inputSize: number; keypoints: number }
  | { type: 'estimated'; sequence: number; points: Float32Array; ms: number }
  | { type: 'error'; message: string; code?: ErrorCode; detail?: string };

const port = parentPort;
if (!port) throw new Error('poseWorker must run in a worker thread');
let model: PoseModel | undefined;

/** One message at a time: onnxruntime would queue concurrent runs anyway, and each run's time is then its own. */
let queue: Promise<void> = Promise.resolve();

port.on('message', (message: ToPoseWorker) => {
  queue = queue.then(async () => {
    try {
      if (message.type === 'init') {
        model = await loadPoseModel(message.model, message.backend);
        await model.prepare();
        port.postMessage({ type: 'ready', backend: model.backend, sha256: model.sha256, inputSize: model.inputSize, keypoints: model.keypoints } satisfies FromPoseWorker);
      } else {
        const started = performance.now();
        const points = await model!.estimate(message.rgb);
        port.postMessage({ type: 'estimated', sequence: message.sequence, points, ms: performance.now() - started } satisfies FromPoseWorker, [points.buffer as ArrayBuffer]);
      }
    } catch (error) {
      const coded = isAppError(error) ? { code: error.code, detail: error.detail } : {};
      port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error), ...coded } satisfies FromPoseWorker);
    }
  });
});
