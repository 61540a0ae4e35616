import type { JobKind } from '../contract/entities.js';
import type { StoredJob } from '../store/jobsRepo.js';
import type { ToJobWorker } from './workerProtocol.js';

/**
 * Where a claimed job's work runs, as the runner sees it: a local worker thread (node's Worker
 * has this shape) or a remote job (src-main/remote/remoteExecutor.ts). It takes the `run` and
 * `cancel` messages and emits `message` (FromJobWorker), `error` and `exit`.
 */
export interface ExecutionHandle {
  // the listener's argument depends on the event (FromJobWorker, Error, exit code), as on node's Worker
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: 'message' | 'error' | 'exit', listener: (...args: any[]) => void): unknown;
  postMessage(message: ToJobWorker): void;
  terminate(): Promise<number>;
  /** True for a job whose work runs on another machine: a stopping runner leaves it running there. */
  readonly remote?: boolean;
}

/** Runs jobs of some kinds elsewhere than in this process's worker threads. */
export interface JobExecutor {
  runsRemotely(kind: JobKind): boolean;
  /** How many of its jobs the runner keeps in flight at once (besides the local concurrency). */
  readonly capacity: number;
  start(job: StoredJob): ExecutionHandle;
}
