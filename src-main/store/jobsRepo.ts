import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Job, JobKind, JobStatus } from '../contract/entities.js';
import { AppError, errorMessage } from '../contract/errors.js';
import { englishOf, phrase, phraseFromJson, type Phrase } from '../contract/phrase.js';
import type { Db } from './database.js';
import type { Clock } from './clock.js';
import { processAlive } from './instanceLock.js';

interface JobRow {
  id: number;
  kind: JobKind;
  status: JobStatus;
  video_id: number | null;
  params_json: string;
  progress: number;
  message: string;
  message_phrase_json: string | null;
  error_code: string | null;
  error_message: string | null;
  result_json: string | null;
  attempts: number;
  run_id: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  heartbeat_at: number | null;
  worker: string | null;
}

/** A job's message as the columns store it: the English text and the phrase it was made from (null: English only). */
function messageColumns(message: string | Phrase): { message: string; phrase: string | null } {
  return typeof message === 'string' ? { message, phrase: null } : { message: englishOf(message), phrase: JSON.stringify(message) };
}

const outcomePhrases = { done: phrase('jobs.progress.done'), cancelled: phrase('jobs.progress.cancelled'), failed: phrase('jobs.progress.failed') } as const;

/** How often a job may be taken and interrupted before it fails instead of running again. */
export const defaultMaxJobAttempts = 3;

/**
 * A new owner id for one JobRunner: `pid@host/nonce`. The nonce tells apart two runners of one
 * process (and a reused pid); the pid and host let a runner on the same machine see at once
 * that an owner's process is gone, without waiting for its lease to run out.
 */
export function newJobOwner(): string {
  return `${process.pid}@${hostname()}/${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/** Whether the process an owner id names is known to be gone (only a process on this machine can be checked). */
function ownerProcessGone(owner: string): boolean {
  const match = /^(\d+)@(.*)\/[^/]*$/.exec(owner);
  if (!match || match[2] !== hostname()) return false;
  const pid = Number(match[1]);
  return pid !== process.pid && !processAlive(pid);
}

/** Who holds a running job, and until when (milliseconds since the epoch). */
export interface JobLease {
  owner: string;
  expiresAt: number;
  heartbeatAt: number;
}

/** A job as stored: params and result as they were written (the job kind's schemas check them when they are used). */
export interface StoredJob extends Job {
  params: unknown;
  result: unknown;
}

function estimateEta(row: JobRow, nowMs: number): number | null {
  if (row.status !== 'running' || !row.started_at || row.progress <= 0.02) return null;
  const elapsed = (nowMs - Date.parse(row.started_at)) / 1000;
  return Math.max(0, (elapsed * (1 - row.progress)) / row.progress);
}

function toJob(row: JobRow, nowMs: number): StoredJob {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    videoId: row.video_id,
    progress: row.progress,
    message: row.message,
    messagePhrase: phraseFromJson(row.message_phrase_json),
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    attempts: row.attempts,
    runId: row.run_id,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    etaSec: estimateEta(row, nowMs),
    ...(row.worker ? { worker: row.worker } : {}),
    params: JSON.parse(row.params_json) as unknown,
    result: row.result_json === null ? null : JSON.parse(row.result_json),
  };
}

export function publicJob(job: StoredJob): Job {
  const { params: _p, result: _r, ...rest } = job;
  return rest;
}

/** A job as the UIs show it: named by its video's file and patient where it has a video that still exists. */
export function withSubject(job: Job, videos: { find(id: number): { originalName: string; patientCode: string } | undefined }): Job {
  const video = job.videoId === null ? undefined : videos.find(job.videoId);
  return video ? { ...job, subject: { fileName: video.originalName, patientCode: video.patientCode } } : job;
}

export interface JobsRepoOptions {
  /** After this many attempts an interrupted job fails instead of going back to the queue (default 3). */
  maxAttempts?: number;
  /** Wall-clock milliseconds for leases (they are compared across processes; records keep using `clock`). */
  leaseClock?: () => number;
}

export class JobsRepo {
  readonly maxAttempts: number;
  private readonly leaseNow: () => number;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    options: JobsRepoOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? defaultMaxJobAttempts;
    this.leaseNow = options.leaseClock ?? Date.now;
  }

  private now(): number {
    return Date.parse(this.clock());
  }

  /** Queues a job; `params` were checked against the kind's schema by the caller (JobRunner.enqueue). */
  enqueue(kind: JobKind, videoId: number | null, params: unknown, runId: number | null = null): StoredJob {
    const info = this.db
      .prepare(`INSERT INTO jobs (kind, status, video_id, params_json, run_id, created_at) VALUES (?, 'queued', ?, ?, ?, ?)`)
      .run(kind, videoId, JSON.stringify(params), runId, this.clock());
    return this.get(Number(info.lastInsertRowid));
  }

  /** The jobs of analysis runs, oldest first. */
  listForRuns(runIds: readonly number[]): StoredJob[] {
    if (runIds.length === 0) return [];
    const rows = this.db.prepare(`SELECT * FROM jobs WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY id`).all(JSON.stringify(runIds)) as JobRow[];
    const now = this.now();
    return rows.map((row) => toJob(row, now));
  }

  /** A queued or running job of this kind for this video, if any (imports do not queue a second media analysis). */
  pendingFor(kind: JobKind, videoId: number): StoredJob | undefined {
    const row = this.db.prepare(`SELECT * FROM jobs WHERE kind = ? AND video_id = ? AND status IN ('queued', 'running') ORDER BY id LIMIT 1`).get(kind, videoId) as JobRow | undefined;
    return row ? toJob(row, this.now()) : undefined;
  }

  find(id: number): StoredJob | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? toJob(row, this.now()) : undefined;
  }

  get(id: number): StoredJob {
    const job = this.find(id);
    if (!job) throw new AppError('JOB_NOT_FOUND', String(id));
    return job;
  }

  list(statuses: JobStatus[] | undefined, limit = 100): StoredJob[] {
    const all = statuses === undefined || statuses.length === 0;
    const rows = this.db
      .prepare(`SELECT * FROM jobs WHERE @all OR status IN (SELECT value FROM json_each(@statuses)) ORDER BY id DESC LIMIT @limit`)
      .all({ all: all ? 1 : 0, statuses: JSON.stringify(statuses ?? []), limit }) as JobRow[];
    const now = this.now();
    return rows.map((row) => toJob(row, now));
  }

  /** Whether any job of these kinds is waiting in the queue. */
  hasQueued(kinds: readonly JobKind[]): boolean {
    return this.db.prepare(`SELECT 1 FROM jobs WHERE status = 'queued' AND kind IN (SELECT value FROM json_each(?)) LIMIT 1`).get(JSON.stringify(kinds)) !== undefined;
  }

  /**
   * Takes the oldest queued job of these kinds for `owner`, leased for `leaseMs`, and marks it
   * running. One UPDATE whose WHERE re-checks `status = 'queued'` under SQLite's write lock: of
   * two runners (in one process or two) racing for a job, exactly one gets it.
   */
  claimNext(kinds: readonly JobKind[], owner: string, leaseMs: number): StoredJob | undefined {
    const now = this.leaseNow();
    const row = this.db
      .prepare(
        `UPDATE jobs SET status = 'running', started_at = @startedAt, attempts = attempts + 1, progress = 0, message = @message, message_phrase_json = @phrase,
           lease_owner = @owner, lease_expires_at = @expires, heartbeat_at = @now
         WHERE status = 'queued' AND id = (SELECT id FROM jobs WHERE status = 'queued' AND kind IN (SELECT value FROM json_each(@kinds)) ORDER BY id LIMIT 1)
         RETURNING *`,
      )
      .get({ startedAt: this.clock(), owner, expires: now + leaseMs, now, kinds: JSON.stringify(kinds), ...messageColumns(phrase('jobs.progress.starting')) }) as JobRow | undefined;
    return row ? toJob(row, this.now()) : undefined;
  }

  /** Who holds a running job (null: it is not running, or nobody holds it). */
  leaseOf(id: number): JobLease | null {
    const row = this.db.prepare(`SELECT lease_owner, lease_expires_at, heartbeat_at FROM jobs WHERE id = ? AND status = 'running'`).get(id) as
      | Pick<JobRow, 'lease_owner' | 'lease_expires_at' | 'heartbeat_at'>
      | undefined;
    if (!row?.lease_owner) return null;
    return { owner: row.lease_owner, expiresAt: row.lease_expires_at ?? 0, heartbeatAt: row.heartbeat_at ?? 0 };
  }

  /** Whether `owner` still holds this running job. */
  owns(id: number, owner: string): boolean {
    return this.db.prepare(`SELECT 1 FROM jobs WHERE id = ? AND status = 'running' AND lease_owner = ?`).get(id, owner) !== undefined;
  }

  /** The heartbeat: extends `owner`'s leases on these jobs by `leaseMs`; returns the ids it still holds. */
  renewLeases(owner: string, ids: readonly number[], leaseMs: number): Set<number> {
    if (ids.length === 0) return new Set();
    const now = this.leaseNow();
    const rows = this.db
      .prepare(
        `UPDATE jobs SET lease_expires_at = ?, heartbeat_at = ?
         WHERE status = 'running' AND lease_owner = ? AND id IN (SELECT value FROM json_each(?)) RETURNING id`,
      )
      .all(now + leaseMs, now, owner, JSON.stringify(ids)) as Array<{ id: number }>;
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Progress of a running job, its message as English text or as a phrase (stored with its
   * English text); with `owner`, only while that owner holds it. Whether it was written.
   */
  setProgress(id: number, progress: number, message: string | Phrase, owner: string | null = null, worker?: string): boolean {
    const columns = messageColumns(message);
    const info = this.db
      .prepare(`UPDATE jobs SET progress = ?, message = ?, message_phrase_json = ?, worker = COALESCE(?, worker) WHERE id = ? AND status = 'running' AND (? IS NULL OR lease_owner = ?)`)
      .run(Math.min(1, Math.max(0, progress)), columns.message, columns.phrase, worker ?? null, id, owner, owner);
    return info.changes === 1;
  }

  /**
   * Records a job's outcome and releases its lease. With `owner`, only while that owner holds the
   * running job: a runner that lost its lease gets `undefined` and writes nothing.
   */
  finish(id: number, status: 'done' | 'failed' | 'cancelled', outcome: { result?: unknown; error?: { code: string; message: string } }): StoredJob;
  finish(id: number, status: 'done' | 'failed' | 'cancelled', outcome: { result?: unknown; error?: { code: string; message: string } }, owner: string): StoredJob | undefined;
  finish(id: number, status: 'done' | 'failed' | 'cancelled', outcome: { result?: unknown; error?: { code: string; message: string } }, owner: string | null = null): StoredJob | undefined {
    const info = this.db
      .prepare(
        `UPDATE jobs SET status = @status, finished_at = @now, progress = CASE WHEN @status = 'done' THEN 1 ELSE progress END,
         message = @message, message_phrase_json = @phrase, result_json = @result, error_code = @code, error_message = @errorMessage,
         lease_owner = NULL, lease_expires_at = NULL
         WHERE id = @id AND (@owner IS NULL OR (status = 'running' AND lease_owner = @owner))`,
      )
      .run({
        id,
        owner,
        status,
        now: this.clock(),
        ...messageColumns(outcomePhrases[status]),
        result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
        code: outcome.error?.code ?? null,
        errorMessage: outcome.error?.message ?? null,
      });
    if (owner !== null && info.changes === 0) return undefined;
    return this.get(id);
  }

  /** Marks a queued job cancelled at once; a running one is left to the runner to stop. */
  cancelQueued(id: number): boolean {
    const { message, phrase: phraseJson } = messageColumns(outcomePhrases.cancelled);
    const info = this.db
      .prepare(`UPDATE jobs SET status = 'cancelled', finished_at = ?, message = ?, message_phrase_json = ? WHERE id = ? AND status = 'queued'`)
      .run(this.clock(), message, phraseJson, id);
    return info.changes === 1;
  }

  /**
   * A stopping runner gives its own running jobs back: re-queued with `message` (e.g.
   * jobs.progress.requeuedShutdown), or failed once they have had `maxAttempts` attempts. Jobs
   * other runners hold are not touched.
   */
  releaseOwned(owner: string, message: string | Phrase): number[] {
    return this.db.transaction(() => {
      const rows = this.db.prepare(`SELECT * FROM jobs WHERE status = 'running' AND lease_owner = ?`).all(owner) as JobRow[];
      for (const row of rows) this.giveBack(row, message, this.leaseNow());
      return rows.map((r) => r.id);
    }).immediate();
  }

  /**
   * Re-queues (or, past `maxAttempts`, fails) running jobs whose owner is gone: its lease ran
   * out (the owner died or hangs), its process on this machine is no longer alive, or nobody
   * holds it (a row from before leases). Any runner or store may call it at any time.
   */
  requeueAbandoned(): number[] {
    if (this.abandoned().length === 0) return []; // the usual case: no write lock taken
    return this.db.transaction(() => {
      const abandoned = this.abandoned(); // again, under the write lock: an owner may have renewed meanwhile
      for (const row of abandoned) this.giveBack(row, phrase('jobs.progress.requeuedInterrupted'), row.heartbeat_at ?? this.leaseNow());
      return abandoned.map((r) => r.id);
    }).immediate();
  }

  private abandoned(): JobRow[] {
    const now = this.leaseNow();
    const rows = this.db.prepare(`SELECT * FROM jobs WHERE status = 'running'`).all() as JobRow[];
    return rows.filter((row) => row.lease_owner === null || (row.lease_expires_at ?? 0) < now || ownerProcessGone(row.lease_owner));
  }

  /**
   * A restored copy of a data folder has no runner yet, so no lease in it is held: running jobs
   * go back to the queue (their attempt is not counted against them), and queued or running
   * backup jobs are cancelled (they belonged to the folder the backup was taken from).
   */
  resetAfterRestore(): { requeued: number[]; cancelled: number[] } {
    const cancelledMessage = messageColumns(phrase('jobs.progress.cancelledRestored'));
    const requeuedMessage = messageColumns(phrase('jobs.progress.requeuedRestored'));
    return this.db.transaction(() => {
      const cancelled = this.db
        .prepare(
          `UPDATE jobs SET status = 'cancelled', finished_at = ?, message = ?, message_phrase_json = ?,
           lease_owner = NULL, lease_expires_at = NULL WHERE kind = 'backup' AND status IN ('queued', 'running') RETURNING id`,
        )
        .all(this.clock(), cancelledMessage.message, cancelledMessage.phrase) as Array<{ id: number }>;
      const requeued = this.db
        .prepare(
          `UPDATE jobs SET status = 'queued', progress = 0, message = ?, message_phrase_json = ?, started_at = NULL,
           attempts = MAX(0, attempts - 1), lease_owner = NULL, lease_expires_at = NULL WHERE status = 'running' RETURNING id`,
        )
        .all(requeuedMessage.message, requeuedMessage.phrase) as Array<{ id: number }>;
      return { requeued: requeued.map((r) => r.id), cancelled: cancelled.map((r) => r.id) };
    }).immediate();
  }

  /** The newest job of a kind (any status), if any: the scheduler's "when was the last backup". */
  latestOfKind(kind: JobKind): StoredJob | undefined {
    const row = this.db.prepare(`SELECT * FROM jobs WHERE kind = ? ORDER BY id DESC LIMIT 1`).get(kind) as JobRow | undefined;
    return row ? toJob(row, this.now()) : undefined;
  }

  /** One interrupted job back to the queue, or failed with the reason when it has used its attempts. */
  private giveBack(row: JobRow, message: string | Phrase, ownerLastSeenMs: number): void {
    if (row.attempts >= this.maxAttempts) {
      const detail = `interrupted ${row.attempts} times: the last owner stopped at ${new Date(ownerLastSeenMs).toISOString()}`;
      this.db
        .prepare(
          `UPDATE jobs SET status = 'failed', finished_at = ?, message = ?, message_phrase_json = ?, error_code = 'JOB_INTERRUPTED', error_message = ?,
           lease_owner = NULL, lease_expires_at = NULL WHERE id = ?`,
        )
        .run(this.clock(), englishOf(outcomePhrases.failed), JSON.stringify(outcomePhrases.failed), errorMessage('JOB_INTERRUPTED', detail), row.id);
      return;
    }
    const columns = messageColumns(message);
    this.db
      .prepare(`UPDATE jobs SET status = 'queued', progress = 0, message = ?, message_phrase_json = ?, started_at = NULL, lease_owner = NULL, lease_expires_at = NULL WHERE id = ?`)
      .run(columns.message, columns.phrase, row.id);
  }
}
