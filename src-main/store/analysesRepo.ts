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
  createdAt: row.created_at,
});

/** Results of stage 1 and stage 2 runs. Each run adds a row; the newest is the current one. */
export class AnalysesRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  insert(actor: string, input: { videoId: number; stage: 1 | 2; jobId: number | null; params: unknown; result: unknown; modelId?: string | null; classifiedVideoId?: number | null; tracks?: unknown }): StoredAnalysis {
    return this.db.transaction(() => {
      const info = this.db
        .prepare(
          `INSERT INTO analyses (video_id, stage, job_id, params_json, result_json, model_id, classified_video_id, tracks_gz, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.videoId,
          input.stage,
          input.jobId,
          JSON.stringify(input.params ?? {}),
          JSON.stringify(input.result ?? null),
          input.modelId ?? null,
          input.classifiedVideoId ?? null,
          input.tracks === undefined ? null : gzipSync(JSON.stringify(input.tracks)),
          this.clock(),
        );
      const created = this.get(Number(info.lastInsertRowid))!;
      this.audit.record(actor, `analysis.stage${input.stage}`, 'analysis', created.id, null, { videoId: created.videoId, params: created.params, result: created.result });
      return created;
    })();
  }

  get(id: number): StoredAnalysis | undefined {
    const row = this.db.prepare('SELECT * FROM analyses WHERE id = ?').get(id) as AnalysisRow | undefined;
    return row ? toAnalysis(row) : undefined;
  }

  latest(videoId: number, stage: 1 | 2, modelId?: string): StoredAnalysis | undefined {
    const row = this.db
      .prepare(`SELECT * FROM analyses WHERE video_id = ? AND stage = ? AND (? IS NULL OR model_id = ?) ORDER BY id DESC LIMIT 1`)
      .get(videoId, stage, modelId ?? null, modelId ?? null) as AnalysisRow | undefined;
    return row ? toAnalysis(row) : undefined;
  }

  tracks(id: number): unknown {
    const row = this.db.prepare('SELECT tracks_gz FROM analyses WHERE id = ?').get(id) as { tracks_gz: Buffer | null } | undefined;
    return row?.tracks_gz ? JSON.parse(gunzipSync(row.tracks_gz).toString('utf8')) : null;
  }
}
