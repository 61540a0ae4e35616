import { parentPort } from 'node:worker_threads';
import { isAppError } from '../contract/errors.js';
import type { FromPoseWorker, ToPoseWorker } from './poseMessages.js';
import { loadPoseModel, type PoseModel } from '../detect/poseModel.js';
import type { PoseModelName } from '../detect/poseModelSpecs.js';
import type { BackendChoice } from '../detect/tfRuntime.js';

const port = parentPort;
if (!port) throw new Error('poseWorker must run in a worker thread');
let model: PoseModel | undefined;

/** One message at a time: onnxruntime would queue concurrent runs anyway, and each run's time is then its own. */
let queue: Promise<void> = Promise.resolve();

/** Set as soon as 'close' arrives: the crops queued before it are not run. */
let closing = false;

port.on('message', (message: ToPoseWorker) => {
  if (message.type === 'close') closing = true;
  queue = queue.then(async () => {
    try {
      if (message.type === 'close') {
        // terminating a thread while onnxruntime runs on it aborts the process: it is released here first
        await model?.dispose();
        model = undefined;
        port.postMessage({ type: 'closed' } satisfies FromPoseWorker);
      } else if (closing) {
        // queued before the close: dropped
      } else if (message.type === 'init') {
        model = await loadPoseModel(message.model, message.backend);
        await model.prepare();
        port.postMessage({ type: 'ready', backend: model.backend, sha256: model.sha256, inputSize: model.inputSize, keypoints: model.keypoints } satisfies FromPoseWorker);
      } else {
        const started = performance.now();
        const points = await model!.estimate(message.rgb);
        port.postMessage({ type: 'result', key: message.sequence, result: { points, ms: performance.now() - started } } satisfies FromPoseWorker, [points.buffer as ArrayBuffer]);
      }
    } catch (error) {
      const coded = isAppError(error) ? { code: error.code, detail: error.detail } : {};
      port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error), ...coded } satisfies FromPoseWorker);
    }
  });
});
