import type { JobKind } from '../contract/entities.js';
import type { JobWorkerContext } from './workerProtocol.js';

/** What a job's work function gets: progress reporting and cancellation. */
export interface JobExecution {
  context: JobWorkerContext;
  signal: AbortSignal;
  progress(fraction: number, message: string): void;
}

/** The part of a job kind that runs inside a worker thread: heavy work, no database. */
export type JobWork = (params: Record<string, unknown>, execution: JobExecution) => Promise<unknown>;

/**
 * Each kind names the module (relative to this folder, without extension) whose default
 * export is its JobWork. The worker imports only the module it needs.
 */
export const jobWorkModules: Record<JobKind, string> = {
  'media.analyse': 'work/mediaAnalyseWork',
  stage1: 'work/stage1Work',
  stage2: 'work/stage2Work',
};
