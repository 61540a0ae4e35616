import type { JobKind } from '../contract/entities.js';
import { AppError, type ErrorReply } from '../contract/errors.js';
import type { Phrase } from '../contract/phrase.js';
import { siblingModule, spawnWorker } from '../runtime/workerThreads.js';
import type { FromJobWorker, JobWorkerContext, ToJobWorker } from './workerProtocol.js';

/** A job's work that failed in its thread, with the reply the user reads and the cause for the log. */
export class JobThreadFailure extends Error {
  constructor(
    readonly reply: ErrorReply,
    readonly causeText: string,
  ) {
    super(reply.message);
  }
}

/**
 * Runs one job's work module in a worker thread of its own (the job worker the runner uses) and
 * resolves with its raw result (the caller checks it against the kind's result schema). An abort
 * of `signal` asks the work to stop, and terminates the thread after `cancelGraceMs`. A failure
 * rejects with JobThreadFailure.
 */
export function runJobInThread(
  kind: JobKind,
  params: unknown,
  context: JobWorkerContext,
  options: { jobId: number; signal: AbortSignal; onProgress: (fraction: number, message: string, phrase: Phrase) => void; cancelGraceMs?: number },
): Promise<unknown> {
  const worker = spawnWorker(siblingModule(import.meta.url, 'jobWorker'));
  return new Promise<unknown>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      outcome();
      void worker.terminate();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' } satisfies ToJobWorker);
      setTimeout(() => settle(() => reject(new JobThreadFailure(new AppError('JOB_CANCELLED').toReply(), 'cancelled; the thread did not stop in time'))), options.cancelGraceMs ?? 5000).unref();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: FromJobWorker) => {
      if (message.type === 'progress') options.onProgress(message.progress, message.message, message.phrase);
      else if (message.type === 'done') settle(() => resolve(message.result));
      else settle(() => reject(new JobThreadFailure(message.error, message.cause)));
    });
    worker.on('error', (error) => settle(() => reject(new JobThreadFailure(new AppError('INTERNAL', error.message.slice(0, 200)).toReply(), String(error.stack ?? error)))));
    worker.on('exit', () => settle(() => reject(new JobThreadFailure(new AppError('INTERNAL', 'the job stopped unexpectedly').toReply(), 'the job thread exited'))));
    if (options.signal.aborted) onAbort();
    else worker.postMessage({ type: 'run', jobId: options.jobId, kind, params, context } satisfies ToJobWorker);
  });
}
