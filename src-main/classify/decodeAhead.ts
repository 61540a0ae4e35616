/**
 * prepareVideo in a decode worker thread (decodeWorker.ts), for a caller that runs the model on
 * its own thread: onnxruntime-node's session.run blocks the calling thread, so decoding there
 * cannot go on while the model runs. The worker decodes and transforms the next batches
 * meanwhile (up to `ahead` batches beyond the one taken) and hands each over without a copy.
 * Same PreparedVideo as prepareVideo; the errors are prepareVideo's.
 *
 * One worker per calling thread, started on first use and kept: it holds no model, only waits.
 * It keeps the process alive only while a video is being decoded.
 */
import type { Worker } from 'node:worker_threads';
import { AppError, errorCatalogue, type ErrorCode } from '../contract/errors.js';
import { siblingModule, spawnWorker } from '../runtime/workerThreads.js';
import type { DecodeReply, DecodeRequest } from './decodeMessages.js';
import type { ClipBatch, PreparedVideo, PreprocessInput, PreprocessOptions, PreprocessStats } from './preprocess.js';

type Listener = (reply: DecodeReply | { type: 'lost'; error: Error }) => void;

let worker: Worker | undefined;
let nextId = 1;
const listeners = new Map<number, Listener>();

function decoder(): Worker {
  if (worker) return worker;
  const started = spawnWorker(siblingModule(import.meta.url, 'decodeWorker'));
  started.on('message', (reply: DecodeReply) => listeners.get(reply.id)?.(reply));
  const lost = (error: Error) => {
    if (worker === started) worker = undefined;
    for (const listener of [...listeners.values()]) listener({ type: 'lost', error });
  };
  started.on('error', (error) => lost(new AppError('INTERNAL', `the decode worker failed: ${error.message}`, { cause: error })));
  started.on('exit', (code) => lost(new AppError('INTERNAL', `the decode worker stopped (exit code ${code})`)));
  started.unref();
  worker = started;
  return started;
}

function listen(id: number, listener: Listener): void {
  if (listeners.size === 0) worker?.ref();
  listeners.set(id, listener);
}

function unlisten(id: number): void {
  listeners.delete(id);
  if (listeners.size === 0) worker?.unref();
}

function revive(error: Extract<DecodeReply, { type: 'failed' }>['error']): Error {
  if (error.code && error.code in errorCatalogue) return new AppError(error.code as ErrorCode, error.detail ?? '');
  const revived = new Error(error.message);
  revived.name = error.name;
  return revived;
}

/** Ends the decode worker (it is started again when next needed). */
export async function endDecodeWorker(): Promise<void> {
  const ending = worker;
  worker = undefined;
  await ending?.terminate();
}

export interface DecodeAheadOptions extends PreprocessOptions {
  /** Batches decoded ahead of the one the model runs (default 1). */
  ahead?: number;
}

export async function prepareVideoAhead(videoPath: string, input: PreprocessInput, options: DecodeAheadOptions = {}): Promise<PreparedVideo> {
  const { signal, ahead = 1, ...rest } = options;
  if (signal?.aborted) throw new AppError('JOB_CANCELLED');
  const port = decoder();
  const id = nextId++;
  // replies queue here until the consumer asks for them
  const queue: Array<DecodeReply | { type: 'lost'; error: Error }> = [];
  let wake: (() => void) | undefined;
  const onAbort = () => port.postMessage({ type: 'cancel', id } satisfies DecodeRequest);
  const finish = () => {
    unlisten(id);
    signal?.removeEventListener('abort', onAbort);
  };
  listen(id, (reply) => {
    queue.push(reply);
    wake?.();
    wake = undefined;
  });
  signal?.addEventListener('abort', onAbort, { once: true });
  const take = async () => {
    while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    const reply = queue.shift()!;
    if (reply.type === 'lost') throw reply.error;
    if (reply.type === 'failed') throw revive(reply.error);
    return reply;
  };
  port.postMessage({ type: 'prepare', id, videoPath, input, options: rest, credit: 1 + Math.max(0, ahead) } satisfies DecodeRequest);

  let planned: Extract<DecodeReply, { type: 'planned' }>;
  try {
    const first = await take();
    if (first.type !== 'planned') throw new Error(`unexpected decode reply ${first.type}`);
    planned = first;
  } catch (error) {
    finish();
    throw error;
  }
  const plan = planned.plan;
  const stats: PreprocessStats = { probeMs: planned.probeMs, decodeMs: 0, transformMs: 0, assembleMs: 0, framesRead: 0, framesTransformed: 0 };

  async function* batches(): AsyncGenerator<ClipBatch, void, undefined> {
    let ended = false;
    try {
      for (;;) {
        const reply = await take();
        if (reply.type === 'ended') {
          Object.assign(stats, reply.stats);
          plan.splice(reply.clips);
          ended = true;
          return;
        }
        if (reply.type !== 'batch') throw new Error(`unexpected decode reply ${reply.type}`);
        port.postMessage({ type: 'pull', id } satisfies DecodeRequest);
        yield { clips: reply.clips, data: reply.data };
      }
    } finally {
      if (!ended) port.postMessage({ type: 'cancel', id } satisfies DecodeRequest);
      finish();
      if (signal?.aborted) throw new AppError('JOB_CANCELLED');
    }
  }

  return { plan, parameters: planned.parameters, stats, batches };
}
