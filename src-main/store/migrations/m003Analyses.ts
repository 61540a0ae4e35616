import type { Migration } from './migration.js';

/**
 * Stage 1 and stage 2 outputs: each analysis row records what ran (kind, parameters) and
 * its summary; stage 1 keeps its tracks and keypoints as a gzip-compressed JSON blob.
 */
export const m003Analyses: Migration = {
  version: 3,
  name: 'stage 1 and stage 2 results',
  sql: `
    ALTER TABLE analyses ADD COLUMN model_id TEXT REFERENCES model_bundles(id) ON DELETE SET NULL;
    ALTER TABLE analyses ADD COLUMN classified_video_id INTEGER REFERENCES videos(id) ON DELETE SET NULL;
    ALTER TABLE analyses ADD COLUMN tracks_gz BLOB;
    CREATE INDEX analyses_model ON analyses(model_id);
  `,
};
