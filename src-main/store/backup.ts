import { chmodSync, existsSync } from 'node:fs';
import { AppError } from '../contract/errors.js';
import type { Store } from './store.js';

/**
 * A consistent copy of the database while WalkScope runs (SQLite's online backup), for the
 * hospital's backup routine. The vault folder holds the videos and is copied as plain files.
 */
export async function backupDatabase(store: Store, target: string): Promise<{ pages: number; target: string }> {
  if (existsSync(target)) throw new AppError('BACKUP_TARGET_EXISTS', target);
  const result = await store.db.backup(target);
  // SQLite creates the copy with the umask's mode; it holds the same patients as the original
  chmodSync(target, 0o600);
  return { pages: result.totalPages, target };
}
