import { chmodSync, existsSync } from 'node:fs';
import { AppError } from '../contract/errors.js';
import type { Store } from './store.js';

/**
 * A consistent copy of the database while WalkScope runs (SQLite's online backup), for the
 * hospital's backup routine. The vault folder holds the videos and is copied as plain files.
 * Audited: a backup is a copy of every patient's data leaving the database.
 */
export async function backupDatabase(store: Store, actor: string, target: string): Promise<{ pages: number; target: string }> {
  if (existsSync(target)) throw new AppError('BACKUP_TARGET_EXISTS', target);
  const result = await store.db.backup(target);
  // SQLite creates the copy with the umask's mode; it holds the same patients as the original
  chmodSync(target, 0o600);
  store.audit.record(actor, 'database.backup', 'database', 'walkscope.db', null, { target, pages: result.totalPages });
  return { pages: result.totalPages, target };
}
