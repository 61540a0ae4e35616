import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { frameSeriesSchema, poseTrackSchema, videoMeasurementsSchema, type MeasurementFrames, type VideoMeasurements } from '../contract/measurements.js';
import type { Db } from './database.js';
import type { Clock } from './clock.js';
import type { AuditLog } from './auditLog.js';

/** What a measurement row's JSON holds: the measurements without the row's own ids. */
export const storedMeasurementsSchema = videoMeasurementsSchema.omit({ analysisId: true, videoId: true, stage1AnalysisId: true, createdAt: true });
export type StoredMeasurementResult = z.infer<typeof storedMeasurementsSchema>;
const storedFramesSchema = z.object({ pose: poseTrackSchema, series: frameSeriesSchema });

interface MeasurementRow {
  id: number;
  video_id: number;
  stage1_analysis_id: number;
  job_id: number | null;
  result_json: string;
  created_at: string;
}

const toMeasurements = (row: MeasurementRow): VideoMeasurements => ({
  analysisId: row.id,
  videoId: row.video_id,
  stage1AnalysisId: row.stage1_analysis_id,
  createdAt: row.created_at,
  ...storedMeasurementsSchema.parse(JSON.parse(row.result_json)),
});

/** The measurement step's results. A video's current ones are its newest made on its current stage 1 result. */
export class MeasurementsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  insert(actor: string, input: { videoId: number; stage1AnalysisId: number; jobId: number | null; result: StoredMeasurementResult; frames: Omit<MeasurementFrames, 'analysisId'> }): VideoMeasurements {
    return this.db.transaction(() => {
      const info = this.db
        .prepare('INSERT INTO measurements (video_id, stage1_analysis_id, job_id, result_json, frames_gz, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(input.videoId, input.stage1AnalysisId, input.jobId, JSON.stringify(input.result), gzipSync(JSON.stringify(input.frames)), this.clock());
      const stored = this.get(Number(info.lastInsertRowid))!;
      this.audit.record(actor, 'measurement.add', 'measurement', stored.analysisId, null, { videoId: stored.videoId, stage1AnalysisId: stored.stage1AnalysisId, provenance: stored.provenance, verticalReferenceDeg: stored.verticalReferenceDeg, summary: stored.summary });
      return stored;
    })();
  }

  get(id: number): VideoMeasurements | undefined {
    const row = this.db.prepare('SELECT id, video_id, stage1_analysis_id, job_id, result_json, created_at FROM measurements WHERE id = ?').get(id) as MeasurementRow | undefined;
    return row ? toMeasurements(row) : undefined;
  }

  /** The newest measurements made on this stage 1 result, if any. */
  forStage1(videoId: number, stage1AnalysisId: number): VideoMeasurements | undefined {
    const row = this.db
      .prepare('SELECT id, video_id, stage1_analysis_id, job_id, result_json, created_at FROM measurements WHERE video_id = ? AND stage1_analysis_id = ? ORDER BY id DESC LIMIT 1')
      .get(videoId, stage1AnalysisId) as MeasurementRow | undefined;
    return row ? toMeasurements(row) : undefined;
  }

  frames(id: number): MeasurementFrames | undefined {
    const row = this.db.prepare('SELECT frames_gz FROM measurements WHERE id = ?').get(id) as { frames_gz: Buffer } | undefined;
    return row ? { analysisId: id, ...storedFramesSchema.parse(JSON.parse(gunzipSync(row.frames_gz).toString('utf8'))) } : undefined;
  }
}
