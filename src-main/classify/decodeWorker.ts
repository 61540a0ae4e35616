/**
 * Worker thread entry that decodes and transforms stage 2 clips (prepareVideo) for the thread
 * that runs the model. onnxruntime-node's session.run is synchronous on the calling thread: while
 * it runs, that thread cannot read ffmpeg's pipe, so ffmpeg stalls. Here the next batch is
 * decoded and transformed meanwhile and handed over (its memory transferred) when it is taken.
 * Started by decodeAhead.ts; talks only in DecodeRequest / DecodeReply.
 */
import { parentPort } from 'node:worker_threads';
import { AppError, isAppError } from '../contract/errors.js';
import type { DecodeReply, DecodeRequest } from './decodeMessages.js';
import { prepareVideo } from './preprocess.js';

const port = parentPort;
if (!port) throw new Error('decodeWorker.ts runs as a worker thread');

interface Running {
  controller: AbortController;
  credit: number;
  /** Wakes the producer waiting for credit. */
  wake?: () => void;
}
const running = new Map<number, Running>();

function post(reply: DecodeReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(reply, transfer);
}

async function prepare(request: Extract<DecodeRequest, { type: 'prepare' }>): Promise<void> {
  const state: Running = { controller: new AbortController(), credit: request.credit };
  running.set(request.id, state);
  try {
    const prepared = await prepareVideo(request.videoPath, request.input, { ...request.options, signal: state.controller.signal });
    post({ type: 'planned', id: request.id, plan: prepared.plan, parameters: prepared.parameters, probeMs: prepared.stats.probeMs });
    for await (const batch of prepared.batches()) {
      while (state.credit <= 0 && !state.controller.signal.aborted) await new Promise<void>((resolve) => (state.wake = resolve));
      if (state.controller.signal.aborted) break;
      state.credit--;
      post({ type: 'batch', id: request.id, clips: batch.clips, data: batch.data }, [batch.data.buffer as ArrayBuffer]);
    }
    if (state.controller.signal.aborted) throw new AppError('JOB_CANCELLED');
    post({ type: 'ended', id: request.id, clips: prepared.plan.length, stats: prepared.stats });
  } catch (error) {
    post({
      type: 'failed',
      id: request.id,
      error: isAppError(error)
        ? { name: 'AppError', message: error.message, code: error.code, detail: error.detail }
        : { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) },
    });
  } finally {
    running.delete(request.id);
  }
}

port.on('message', (request: DecodeRequest) => {
  if (request.type === 'prepare') {
    void prepare(request);
    return;
  }
  const state = running.get(request.id);
  if (!state) return;
  if (request.type === 'pull') state.credit++;
  else state.controller.abort();
  state.wake?.();
  state.wake = undefined;
});
