import { parentPort } from 'node:worker_threads';
import { isAppError } from '../contract/errors.js';
import type { PoolReply } from '../runtime/workerPool.js';
import type { Letterbox } from '../domain/letterbox.js';
import type { PersonDetection } from '../domain/detectionTypes.js';
import { loadDetector, type Detector } from './detector.js';
import type { DetectorName } from './detectorSpecs.js';
import type { BackendChoice } from './tfRuntime.js';

/** Messages between detectVideo and one detection worker. */
export type ToDetectionWorker =
  | { type: 'init'; backend: BackendChoice; detector: DetectorName; prepare?: Letterbox | undefined }
  | { type: 'detect'; frame: number; rgb: Uint8Array; box: Letterbox; minScore: number }
  /** Release the detector's sessions and say 'closed' (then the pool terminates the thread). */
  | { type: 'close' };
/** The worker pool's protocol (runtime/workerPool.ts): results by frame. */
export type FromDetectionWorker = PoolReply<{ backend: string }, PersonDetection[]>;

const port = parentPort;
if (!port) throw new Error('detectionWorker must run in a worker thread');
let detector: Detector | undefined;

/** One message at a time (onnxruntime runs one at a time anyway), so 'close' never releases a session under a run. */
let queue: Promise<void> = Promise.resolve();

port.on('message', (message: ToDetectionWorker) => {
  queue = queue.then(async () => {
    try {
      if (message.type === 'close') {
        // terminating a thread while onnxruntime runs on it aborts the process: released here first
        await detector?.dispose();
        detector = undefined;
        port.postMessage({ type: 'closed' } satisfies FromDetectionWorker);
      } else if (message.type === 'init') {
        detector = await loadDetector(message.detector, message.backend);
        if (message.prepare) await detector.prepare(message.prepare);
        port.postMessage({ type: 'ready', backend: detector.backend } satisfies FromDetectionWorker);
      } else {
        const people = await detector!.detect(message.rgb, message.box, message.minScore);
        port.postMessage({ type: 'result', key: message.frame, result: people } satisfies FromDetectionWorker);
      }
    } catch (error) {
      const coded = isAppError(error) ? { code: error.code, detail: error.detail } : {};
      port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error), ...coded } satisfies FromDetectionWorker);
    }
  });
});
