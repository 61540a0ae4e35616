import type { ZodType } from 'zod';
import type { JobKind } from '../contract/entities.js';
import type { JobParams, JobResult } from '../contract/jobs.js';
import type { Phrase } from '../contract/phrase.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import type { StoredJob } from '../store/jobsRepo.js';
import type { Store } from '../store/store.js';
import type { JobWorkerContext } from './workerProtocol.js';

/** What a job's work gets inside its worker thread: the app's settings, cancellation, progress. */
export interface JobExecution {
  context: JobWorkerContext;
  signal: AbortSignal;
  /**
   * How far the work is (0..1) and what it is doing, as a catalogue phrase (jobs.progress.*):
   * the job stores its English (`englishOf`) and the phrase, shown in the reader's language.
   */
  progress(fraction: number, message: Phrase): void;
  /**
   * What to hand ffmpeg for a vault file: its path, or for an encrypted file an address on this
   * job's loopback media server (filecrypt/mediaInputServer.ts), closed when the job ends.
   */
  mediaInput(path: string): Promise<string>;
}

/** The module that does a kind's heavy work in a worker thread (no database there). */
export interface JobWorkModule<K extends JobKind> {
  default(params: JobParams<K>, execution: JobExecution): Promise<JobResult<K>>;
}

/** A stored job of one kind, its params checked against the kind's schema. */
export type TypedJob<K extends JobKind> = Omit<StoredJob, 'kind' | 'params'> & { kind: K; params: JobParams<K> };

/** What a commit may use on the main thread. */
export interface CommitContext {
  store: Store;
  ffmpeg: FfmpegPathOverrides;
}

/**
 * The database writes of a commit. The runner runs them in one transaction with marking the
 * job done and queuing what follows it, so a crash leaves either all of it or none.
 */
export type CommitWrites = () => void;

/**
 * Everything about one job kind, in one place: its params and result schemas (from the
 * contract), the module that runs it in a worker, how its result is stored, and which steps
 * of an analysis run must have committed before it is queued.
 */
export interface JobKindDescriptor<K extends JobKind> {
  readonly kind: K;
  /** For logs and the job list, e.g. "stage 1 (person-centred clip)". */
  readonly title: string;
  readonly params: ZodType<JobParams<K>>;
  readonly result: ZodType<JobResult<K>>;
  /** Imported only inside the worker thread. */
  work(): Promise<JobWorkModule<K>>;
  /** Main thread: the slow part (files into the vault) first, then the writes to run in the job's final transaction. */
  commit(context: CommitContext, job: TypedJob<K>, result: JobResult<K>): Promise<CommitWrites>;
  /** Removes what a result left on disk when it cannot be committed (e.g. the clip in the vault's temporary folder). */
  discard?(result: JobResult<K>): Promise<void>;
  /** In an analysis run: the step whose commit queues this one (none: it is queued first). */
  readonly after: JobKind | null;
  /** The files that cross machines when the kind runs on a remote worker (absent: it always runs on this machine). */
  readonly remote?: RemoteFiles<K>;
}

/**
 * Which params and result fields of a kind name files, for the remote queue (src-main/remote):
 * the coordinator sends each input through the shared media folder and the worker replaces the
 * path by its verified copy; the worker sends each output back the same way and the coordinator
 * replaces it by a verified copy in the vault's temporary folder before the kind's commit runs.
 */
export interface RemoteFiles<K extends JobKind> {
  readonly inputFiles: readonly (keyof JobParams<K> & string)[];
  /** Params that name a flat folder (a model bundle). */
  readonly inputFolders?: readonly (keyof JobParams<K> & string)[];
  readonly outputFiles: readonly (keyof JobResult<K> & string)[];
}
