import type { Migration } from './migration.js';

/**
 * The pooled features a feature backbone gave each sampled clip of a video: what a head is
 * trained on. One row per clip, with its provenance: the original video, the clip that was
 * sampled (the person-centred clip of a stage 1 result, or the original), the bundle by id and
 * SHA-256 (the weights that made them), the clip's window on the 30 fps timeline, and the job.
 * Rows are never changed: the same clip, bundle and index are stored once (a result that
 * arrives twice is kept once), and a new stage 1 clip or a new bundle gives new rows.
 * `features` holds feature_size float32 values, little-endian.
 */
export const m015ClipFeatures: Migration = {
  version: 15,
  name: 'clip features',
  sql: `
    CREATE TABLE clip_features (
      id INTEGER PRIMARY KEY,
      video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE RESTRICT,
      sampled_video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE RESTRICT,
      stage1_analysis_id INTEGER REFERENCES analyses(id),
      bundle_id TEXT NOT NULL,
      bundle_sha256 TEXT NOT NULL,
      clip_index INTEGER NOT NULL CHECK (clip_index >= 0),
      start_sec REAL NOT NULL,
      end_sec REAL NOT NULL,
      frame_indices_json TEXT NOT NULL,
      feature_size INTEGER NOT NULL CHECK (feature_size > 0),
      features BLOB NOT NULL CHECK (length(features) = 4 * feature_size),
      job_id INTEGER REFERENCES jobs(id),
      created_at TEXT NOT NULL,
      UNIQUE (sampled_video_id, bundle_sha256, clip_index)
    );
    CREATE INDEX clip_features_video ON clip_features(video_id, bundle_sha256, sampled_video_id);
  `,
};
