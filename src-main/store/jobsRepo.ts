import type { Job, JobKind, JobStatus } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import type { Db } from './database.js';
import type { Clock } from './clock.js';

interface JobRow {
  id: number;
  kind: JobKind;
  status: JobStatus;
  video_id: number | null;
  params_json: string;
  progress: number;
  message: string;
  error_code: string | null;
  error_message: string | null;
  result_json: string | null;
  attempts: number;
  run_id: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
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
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    attempts: row.attempts,
    runId: row.run_id,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    etaSec: estimateEta(row, nowMs),
    params: JSON.parse(row.params_json) as unknown,
    result: row.result_json === null ? null : JSON.parse(row.result_json),
  };
}

export function publicJob(job: StoredJob): Job {
  const { params: _p, result: _r, ...rest } = job;
  return rest;
}

export class JobsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

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

  /** Atomically takes the oldest queued job, if any, and marks it running. */
  claimNext(kinds: readonly JobKind[]): StoredJob | undefined {
    return this.db.transaction(() => {
      const row = this.db
        .prepare(`SELECT id FROM jobs WHERE status = 'queued' AND kind IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT 1`)
        .get(JSON.stringify(kinds)) as { id: number } | undefined;
      if (!row) return undefined;
      this.db
        .prepare(`UPDATE jobs SET status = 'running', started_at = ?, attempts = attempts + 1, progress = 0, message = 'Starting' WHERE id = ?`)
        .run(this.clock(), row.id);
      return this.get(row.id);
    })();
  }

  setProgress(id: number, progress: number, message: string): void {
    this.db.prepare(`UPDATE jobs SET progress = ?, message = ? WHERE id = ? AND status = 'running'`).run(Math.min(1, Math.max(0, progress)), message, id);
  }

  finish(id: number, status: 'done' | 'failed' | 'cancelled', outcome: { result?: unknown; error?: { code: string; message: string } }): StoredJob {
    this.db
      .prepare(
        `UPDATE jobs SET status = @status, finished_at = @now, progress = CASE WHEN @status = 'done' THEN 1 ELSE progress END,
         message = @message, result_json = @result, error_code = @code, error_message = @errorMessage WHERE id = @id`,
      )
      .run({
        id,
        status,
        now: this.clock(),
        message: status === 'done' ? 'Done' : status === 'cancelled' ? 'Cancelled' : 'Failed',
        result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
        code: outcome.error?.code ?? null,
        errorMessage: outcome.error?.message ?? null,
      });
    return this.get(id);
  }

  /** Marks a queued job cancelled at once; a running one is left to the runner to stop. */
  cancelQueued(id: number): boolean {
    const info = this.db.prepare(`UPDATE jobs SET status = 'cancelled', finished_at = ?, message = 'Cancelled' WHERE id = ? AND status = 'queued'`).run(this.clock(), id);
    return info.changes === 1;
  }

  /** After a crash: jobs that were running when the process died go back to the queue. */
  requeueInterrupted(): number[] {
    return this.db.transaction(() => {
      const rows = this.db.prepare(`SELECT id FROM jobs WHERE status = 'running'`).all() as Array<{ id: number }>;
      this.db.prepare(`UPDATE jobs SET status = 'queued', progress = 0, message = 'Re-queued after an interruption', started_at = NULL WHERE status = 'running'`).run();
      return rows.map((r) => r.id);
    })();
  }
}
