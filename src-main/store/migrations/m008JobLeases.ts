import type { Migration } from './migration.js';

/**
 * Job leases: a running job names the runner that owns it (`lease_owner`, one per JobRunner:
 * its host, pid and a nonce), until when the owner's heartbeat holds it (`lease_expires_at`,
 * milliseconds since the epoch, wall-clock time) and when the owner was last heard from
 * (`heartbeat_at`, the same unit). Only a job whose owner is gone is re-queued.
 */
export const m008JobLeases: Migration = {
  version: 8,
  name: 'job leases',
  sql: `
    ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
    ALTER TABLE jobs ADD COLUMN lease_expires_at INTEGER;
    ALTER TABLE jobs ADD COLUMN heartbeat_at INTEGER;
    CREATE INDEX jobs_lease_owner ON jobs(lease_owner) WHERE lease_owner IS NOT NULL;
  `,
};
