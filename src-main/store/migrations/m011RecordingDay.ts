import type { Migration } from './migration.js';

/**
 * The day each video was recorded, so a patient's videos group into visits: from the
 * container's creation time at import, or set by a user (audited). Videos imported before
 * this have no day until someone sets it; their clips take their original's.
 */
export const m011RecordingDay: Migration = {
  version: 11,
  name: 'recording day',
  sql: `
    ALTER TABLE videos ADD COLUMN recorded_on TEXT;
    ALTER TABLE videos ADD COLUMN recorded_on_source TEXT CHECK (recorded_on_source IN ('container','user'));
  `,
};
