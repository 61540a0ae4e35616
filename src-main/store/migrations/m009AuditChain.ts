import type { Migration } from './migration.js';

/**
 * The audit log's hash chain (store/auditChain.ts): every row carries the hash of the row
 * before it and its own. Rows written before this migration are hashed in order by
 * AuditLog when the store next opens (a migration is SQL only), which records the fact as
 * an `audit.chainStart` entry.
 */
export const m009AuditChain: Migration = {
  version: 9,
  name: 'audit chain',
  sql: `
    ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
    ALTER TABLE audit_log ADD COLUMN hash TEXT;
  `,
};
