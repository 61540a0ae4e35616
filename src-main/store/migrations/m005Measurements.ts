import type { Migration } from './migration.js';

/**
 * Posture and gait measurements, and the manual measurements drawn on a paused frame.
 *
 * - `measurements`: one row per run of the measurement step on a video: the stage 1 result
 *   whose patient track it measured, the summary (segments, gait, provenance) as JSON and the
 *   per-frame detail (keypoints, series) gzip-compressed. A video's current measurements are
 *   its newest made on its current stage 1 result; older rows stay for provenance.
 * - `annotations`: lines, angles and vertical references a user drew on a frame, with author
 *   and time; removing one keeps the row (removed_at, removed_by), as the audit log does.
 */
export const m005Measurements: Migration = {
  version: 5,
  name: 'measurements and annotations',
  sql: `
    CREATE TABLE measurements (
      id INTEGER PRIMARY KEY,
      video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE RESTRICT,
      stage1_analysis_id INTEGER NOT NULL REFERENCES analyses(id),
      job_id INTEGER REFERENCES jobs(id),
      result_json TEXT NOT NULL,
      frames_gz BLOB NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX measurements_video ON measurements(video_id, stage1_analysis_id, id);

    CREATE TABLE annotations (
      id INTEGER PRIMARY KEY,
      video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE RESTRICT,
      frame INTEGER NOT NULL CHECK (frame >= 0),
      shape_json TEXT NOT NULL,
      value REAL NOT NULL,
      label TEXT NOT NULL DEFAULT '',
      author TEXT NOT NULL,
      created_at TEXT NOT NULL,
      removed_at TEXT,
      removed_by TEXT
    );
    CREATE INDEX annotations_video ON annotations(video_id, id);
  `,
};
