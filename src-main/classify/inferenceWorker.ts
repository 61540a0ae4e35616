/**
 * Worker thread entry for stage 2: owns the onnxruntime sessions (cached per model hash) and
 * runs decoding, preprocessing and inference off the caller's thread. Started by
 * Stage2Classifier through spawnWorker; talks only in InferenceRequest / InferenceReply.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../contract/errors.js';
import { classifyWithSession, releaseSessions, runBatch, sessionFor } from './classifyVideo.js';
import type { InferenceReply, InferenceRequest, InferenceWorkerConfig, SerialisedError } from './inferenceMessages.js';

const port = parentPort;
if (!port) throw new Error('inferenceWorker.ts runs as a worker thread');
const config = workerData as InferenceWorkerConfig;
const running = new Map<number, AbortController>();

function post(reply: InferenceReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(reply, transfer);
}

function serialise(error: unknown): SerialisedError {
  if (isAppError(error)) return { name: 'AppError', message: error.message, code: error.code, detail: error.detail };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

async function handle(request: InferenceRequest): Promise<void> {
  switch (request.type) {
    case 'classify': {
      const controller = new AbortController();
      running.set(request.id, controller);
      try {
        const opened = await sessionFor(request.bundle, config);
        const result = await classifyWithSession(request.videoPath, request.bundle, opened, {
          aggregation: request.aggregation,
          batchSize: config.batchSize,
          resize: config.resize,
          ffmpeg: config.ffmpeg,
          signal: controller.signal,
          onProgress: (done, total) => post({ type: 'progress', id: request.id, done, total }),
        });
        post({ type: 'classified', id: request.id, result });
      } finally {
        running.delete(request.id);
      }
      return;
    }
    case 'run': {
      const opened = await sessionFor(request.bundle, config);
      const t0 = performance.now();
      const output = await runBatch(opened, request.bundle, request.data, request.count);
      const runMs = performance.now() - t0;
      post({ type: 'ran', id: request.id, output, provider: opened.provider, skipped: opened.skipped, runMs }, [output.buffer as ArrayBuffer]);
      return;
    }
    case 'cancel':
      running.get(request.id)?.abort();
      return;
    case 'dispose':
      for (const controller of running.values()) controller.abort();
      await releaseSessions();
      post({ type: 'disposed', id: request.id });
      port!.close();
      return;
  }
}

port.on('message', (request: InferenceRequest) => {
  handle(request).catch((error: unknown) => post({ type: 'failed', id: request.id, error: serialise(error) }));
});
