import { z } from 'zod';
import { jobKindSchema, type JobKind } from '../contract/entities.js';
import { errorCatalogue, errorMessage, type ErrorCode, type ErrorReply } from '../contract/errors.js';
import { phraseSchema } from '../contract/phrase.js';
import { mediaFolderRefSchema, mediaRefSchema } from './sharedMediaStore.js';
import { redactQueueUrls } from './queueAddress.js';

/**
 * What travels through Redis for one remote job. The coordinator writes `data`; a worker writes
 * the return value and progress. Both sides check them with these schemas: a payload pushed into
 * the queue by hand, or by another program, is refused with a sentence rather than run.
 */
export const remoteJobDataSchema = z
  .object({
    app: z.literal('walkscope'),
    /** The coordinator's WalkScope version: a worker of another version refuses the job. */
    version: z.string().min(1),
    kind: jobKindSchema,
    /** The job's id in the coordinator's database. */
    jobId: z.number().int().positive(),
    /** The kind's params as the coordinator stored them; the paths the kind names as files are replaced on the worker by its verified copies. */
    params: z.record(z.string(), z.unknown()),
    /** Each file param (and folder param) by its reference in the shared media folder. */
    inputs: z.record(z.string(), z.union([mediaRefSchema, mediaFolderRefSchema])),
  })
  .strict();
export type RemoteJobData = z.infer<typeof remoteJobDataSchema>;

export const remoteJobReturnSchema = z
  .object({
    /** The kind's result, with the file fields it names left as the worker wrote them (the coordinator replaces them). */
    result: z.record(z.string(), z.unknown()),
    /** Each file the result names, by its reference in the shared media folder. */
    outputs: z.record(z.string(), mediaRefSchema),
    worker: z.string(),
    /** How long the work itself took on the worker (the rest of a job's time is the queue's). */
    workMs: z.number(),
  })
  .strict();
export type RemoteJobReturn = z.infer<typeof remoteJobReturnSchema>;

export const remoteProgressSchema = z.object({ fraction: z.number(), message: z.string(), phrase: phraseSchema, worker: z.string() }).strict();
export type RemoteProgress = z.infer<typeof remoteProgressSchema>;

/** BullMQ queue names: one queue per job kind. */
export function queueNameOf(kind: JobKind): string {
  return `walkscope-${kind}`;
}

/** BullMQ job ids: one per coordinator job, so a job queued again after a restart finds the remote job it already has. */
export function remoteJobIdOf(jobId: number): string {
  return `ws-${jobId}`;
}

/** The Redis key a coordinator sets to cancel a remote job; workers look at it while the job runs. */
export function cancelKeyOf(remoteJobId: string): string {
  return `walkscope:cancel:${remoteJobId}`;
}

/** A live worker's registration (refreshed while it runs; gone when it stops or dies). */
export const workerKeyPrefix = 'walkscope:worker:';

/** The version the coordinator runs, for workers to compare with theirs at start. */
export const coordinatorVersionKey = 'walkscope:coordinator-version';

/** A failure as a BullMQ failedReason: the error reply as JSON, so the coordinator shows the same sentence. */
export function encodeFailure(error: ErrorReply): string {
  return JSON.stringify({ code: error.code, message: error.message });
}

/** The error reply a failedReason carries (a reason from elsewhere, e.g. a stalled job, as an internal error naming it). */
export function decodeFailure(reason: string | undefined): ErrorReply {
  try {
    const parsed = z.object({ code: z.string(), message: z.string() }).safeParse(JSON.parse(reason ?? ''));
    if (parsed.success && parsed.data.code in errorCatalogue) return { code: parsed.data.code as ErrorCode, message: parsed.data.message };
  } catch {
    // not one of ours: BullMQ's own reason
  }
  const text = redactQueueUrls(reason ?? 'no reason given').slice(0, 200);
  return { code: 'REMOTE_JOB_FAILED', message: errorMessage('REMOTE_JOB_FAILED', text) };
}
