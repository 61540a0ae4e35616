import type { Migration } from './migration.js';

/** The remote worker that runs a job (the Redis queue), as it names itself; null for a job run on this machine. */
export const m014JobWorker: Migration = {
  version: 14,
  name: 'job worker',
  sql: `
    ALTER TABLE jobs ADD COLUMN worker TEXT;
  `,
};
