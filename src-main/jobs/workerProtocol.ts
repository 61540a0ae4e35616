import type { ErrorReply } from '../contract/errors.js';
import type { JobKind, Settings } from '../contract/entities.js';
import type { Phrase } from '../contract/phrase.js';
import type { DatabaseKey } from '../store/databaseKey.js';

/** Messages between the job runner (main thread) and one job's worker thread. */
export type ToJobWorker =
  /** `params` were checked against the kind's schema by the runner; the worker checks them again to type them. */
  | { type: 'run'; jobId: number; kind: JobKind; params: unknown; context: JobWorkerContext }
  | { type: 'cancel' };

export type FromJobWorker =
  /** `message` is the English text of `phrase`, a catalogue phrase; `worker` names the remote worker that runs the job (absent: this machine). */
  | { type: 'progress'; progress: number; message: string; phrase: Phrase; worker?: string }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: ErrorReply; cause: string };

/** What a job needs to know about the app, passed by value (workers share no memory). */
export interface JobWorkerContext {
  dataDir: string;
  vaultDir: string;
  /**
   * The key the database and the vault are encrypted with (null: not encrypted), so the work can
   * read encrypted inputs and open the database (a backup); it travels between threads of one
   * process only and is never stored or logged.
   */
  databaseKey: DatabaseKey | null;
  ffmpegPath: string | null;
  ffprobePath: string | null;
  detectionWorkers: number;
  inferenceThreads: number;
  executionProviders: Settings['executionProviders'];
}
