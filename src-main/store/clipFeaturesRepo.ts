import type { AuditLog } from './auditLog.js';
import type { Clock } from './clock.js';
import type { Db } from './database.js';

/** One clip's pooled features and where they came from. */
export interface ClipFeatures {
  videoId: number;
  /** The video whose clips were sampled: the person-centred clip of `stage1AnalysisId`, or the original. */
  sampledVideoId: number;
  stage1AnalysisId: number | null;
  bundleId: string;
  bundleSha256: string;
  clipIndex: number;
  startSec: number;
  endSec: number;
  frameIndices: number[];
  features: Float32Array;
  jobId: number | null;
  createdAt: string;
}

export type NewClipFeatures = Omit<ClipFeatures, 'createdAt'>;

interface Row {
  video_id: number;
  sampled_video_id: number;
  stage1_analysis_id: number | null;
  bundle_id: string;
  bundle_sha256: string;
  clip_index: number;
  start_sec: number;
  end_sec: number;
  frame_indices_json: string;
  feature_size: number;
  features: Buffer;
  job_id: number | null;
  created_at: string;
}

const columns = 'video_id, sampled_video_id, stage1_analysis_id, bundle_id, bundle_sha256, clip_index, start_sec, end_sec, frame_indices_json, feature_size, features, job_id, created_at';

/** float32 little-endian bytes of a feature vector (a copy, aligned). */
export function featureBytes(features: Float32Array): Buffer {
  const out = Buffer.alloc(features.length * 4);
  for (let j = 0; j < features.length; j++) out.writeFloatLE(features[j]!, j * 4);
  return out;
}

function featuresOf(bytes: Buffer, size: number): Float32Array {
  const out = new Float32Array(size);
  for (let j = 0; j < size; j++) out[j] = bytes.readFloatLE(j * 4);
  return out;
}

const toClipFeatures = (row: Row): ClipFeatures => ({
  videoId: row.video_id,
  sampledVideoId: row.sampled_video_id,
  stage1AnalysisId: row.stage1_analysis_id,
  bundleId: row.bundle_id,
  bundleSha256: row.bundle_sha256,
  clipIndex: row.clip_index,
  startSec: row.start_sec,
  endSec: row.end_sec,
  frameIndices: JSON.parse(row.frame_indices_json) as number[],
  features: featuresOf(row.features, row.feature_size),
  jobId: row.job_id,
  createdAt: row.created_at,
});

/**
 * The clip features of feature backbones (migration 15). Insert-only: a clip of a sampled video
 * is stored once per bundle SHA-256, so a result that arrives twice adds nothing.
 */
export class ClipFeaturesRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** Stores one video's clips; returns how many were new. Runs inside the caller's transaction when there is one. */
  insertVideo(actor: string, clips: readonly NewClipFeatures[]): number {
    if (clips.length === 0) return 0;
    const statement = this.db.prepare(`INSERT OR IGNORE INTO clip_features (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const now = this.clock();
    return this.db.transaction(() => {
      let added = 0;
      for (const c of clips) {
        added += statement.run(c.videoId, c.sampledVideoId, c.stage1AnalysisId, c.bundleId, c.bundleSha256, c.clipIndex, c.startSec, c.endSec, JSON.stringify(c.frameIndices), c.features.length, featureBytes(c.features), c.jobId, now).changes;
      }
      const first = clips[0]!;
      if (added > 0) {
        this.audit.record(actor, 'features.add', 'video', first.videoId, null, { sampledVideoId: first.sampledVideoId, stage1AnalysisId: first.stage1AnalysisId, bundleId: first.bundleId, bundleSha256: first.bundleSha256, clips: added, featureSize: first.features.length, jobId: first.jobId });
      }
      return added;
    })();
  }

  /** A sampled video's clips from one bundle, in clip order. */
  forSampledVideo(sampledVideoId: number, bundleSha256: string): ClipFeatures[] {
    const rows = this.db.prepare(`SELECT ${columns} FROM clip_features WHERE sampled_video_id = ? AND bundle_sha256 = ? ORDER BY clip_index`).all(sampledVideoId, bundleSha256) as Row[];
    return rows.map(toClipFeatures);
  }

  /** How many clips of a sampled video one bundle has features for. */
  countForSampledVideo(sampledVideoId: number, bundleSha256: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM clip_features WHERE sampled_video_id = ? AND bundle_sha256 = ?').get(sampledVideoId, bundleSha256) as { n: number }).n;
  }
}
