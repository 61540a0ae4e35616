import { gunzipSync, gzipSync } from 'node:zlib';
import type { Db } from './database.js';
import type { Clock } from './clock.js';
import type { AuditLog } from './auditLog.js';

export interface StoredAnalysis {
  id: number;
  videoId: number;
  stage: 1 | 2;
  jobId: number | null;
  params: Record<string, unknown>;
  result: unknown;
  modelId: string | null;
  classifiedVideoId: number | null;
  /** Stage 2: the stage 1 result whose clip was classified (null: the original was, or not known for old results). */
  stage1AnalysisId: number | null;
  /** The stage 1 result after which this result no longer describes the video's current clip; null while current. */
  supersededBy: number | null;
  createdAt: string;
}

interface AnalysisRow {
  id: number;
  video_id: number;
  stage: 1 | 2;
  job_id: number | null;
  params_json: string;
  result_json: string | null;
  model_id: string | null;
  classified_video_id: number | null;
  stage1_analysis_id: number | null;
  superseded_by: number | null;
  created_at: string;
}

const toAnalysis = (row: AnalysisRow): StoredAnalysis => ({
  id: row.id,
  videoId: row.video_id,
  stage: row.stage,
  jobId: row.job_id,
  params: JSON.parse(row.params_json) as Record<string, unknown>,
  result: row.result_json === null ? null : JSON.parse(row.result_json),
  modelId: row.model_id,
  classifiedVideoId: row.classified_video_id,
  stage1AnalysisId: row.stage1_analysis_id,
  supersededBy: row.superseded_by,
  createdAt: row.created_at,
});

export interface NewAnalysis {
  videoId: number;
  stage: 1 | 2;
  jobId: number | null;
  params: unknown;
  result: unknown;
  modelId?: string | null;
  classifiedVideoId?: number | null;
  stage1AnalysisId?: number | null;
  /** Stored as already superseded (a stage 2 result whose stage 1 was replaced while it ran). */
  supersededBy?: number | null;
  tracks?: unknown;
}

/**
 * Results of stage 1 and stage 2 runs. Each run adds a row. A video's current stage 1 result
 * is its newest; a new one supersedes the older ones and every stage 2 result made before it
 * (they classified a clip that is no longer the video's). Superseded rows stay for provenance.
 */
export class AnalysesRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  insert(actor: string, input: NewAnalysis): StoredAnalysis {
    return this.db.transaction(() => {
      const info = this.db
        .prepare(
          `INSERT INTO analyses (video_id, stage, job_id, params_json, result_json, model_id, classified_video_id, stage1_analysis_id, superseded_by, tracks_gz, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.videoId,
          input.stage,
          input.jobId,
          JSON.stringify(input.params ?? {}),
          JSON.stringify(input.result ?? null),
          input.modelId ?? null,
          input.classifiedVideoId ?? null,
          input.stage1AnalysisId ?? null,
          input.supersededBy ?? null,
          input.tracks === undefined ? null : gzipSync(JSON.stringify(input.tracks)),
          this.clock(),
        );
      const created = this.get(Number(info.lastInsertRowid))!;
      this.audit.record(actor, `analysis.stage${input.stage}`, 'analysis', created.id, null, { videoId: created.videoId, params: created.params, result: created.result, stage1AnalysisId: created.stage1AnalysisId, supersededBy: created.supersededBy });
      return created;
    })();
  }

  /**
   * After a new stage 1 result: the video's other stage 1 results and every stage 2 result not
   * made from the new one become superseded by it. Returns the ids marked (audited as one entry).
   */
  supersedeBefore(actor: string, stage1: StoredAnalysis): number[] {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare(`SELECT id FROM analyses WHERE video_id = ? AND id <> ? AND superseded_by IS NULL AND (stage = 1 OR stage1_analysis_id IS NOT ? )`)
        .all(stage1.videoId, stage1.id, stage1.id) as Array<{ id: number }>;
      const ids = rows.map((r) => r.id);
      if (ids.length === 0) return ids;
      this.db.prepare(`UPDATE analyses SET superseded_by = ? WHERE id IN (SELECT value FROM json_each(?))`).run(stage1.id, JSON.stringify(ids));
      this.audit.record(actor, 'analysis.supersede', 'analysis', stage1.id, null, { videoId: stage1.videoId, superseded: ids });
      return ids;
    })();
  }

  get(id: number): StoredAnalysis | undefined {
    const row = this.db.prepare('SELECT * FROM analyses WHERE id = ?').get(id) as AnalysisRow | undefined;
    return row ? toAnalysis(row) : undefined;
  }

  /** The newest result of a stage, current or not (for tests and provenance). */
  latest(videoId: number, stage: 1 | 2, modelId?: string): StoredAnalysis | undefined {
    const row = this.db
      .prepare(`SELECT * FROM analyses WHERE video_id = ? AND stage = ? AND (? IS NULL OR model_id = ?) ORDER BY id DESC LIMIT 1`)
      .get(videoId, stage, modelId ?? null, modelId ?? null) as AnalysisRow | undefined;
    return row ? toAnalysis(row) : undefined;
  }

  /** The current result of a stage (newest not superseded), from one model when `modelId` is given. */
  current(videoId: number, stage: 1 | 2, modelId?: string): StoredAnalysis | undefined {
    const row = this.db
      .prepare(`SELECT * FROM analyses WHERE video_id = ? AND stage = ? AND superseded_by IS NULL AND (? IS NULL OR model_id = ?) ORDER BY id DESC LIMIT 1`)
      .get(videoId, stage, modelId ?? null, modelId ?? null) as AnalysisRow | undefined;
    return row ? toAnalysis(row) : undefined;
  }

  tracks(id: number): unknown {
    const row = this.db.prepare('SELECT tracks_gz FROM analyses WHERE id = ?').get(id) as { tracks_gz: Buffer | null } | undefined;
    return row?.tracks_gz ? JSON.parse(gunzipSync(row.tracks_gz).toString('utf8')) : null;
  }
}
