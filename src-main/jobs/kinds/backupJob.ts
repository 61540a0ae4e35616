import { dirname } from 'node:path';
import { rm } from 'node:fs/promises';
import { backupParamsSchema, backupResultSchema } from '../../contract/jobs.js';
import { pruneBackups, recordBackup } from '../../store/backup.js';
import type { JobKindDescriptor } from '../jobKind.js';

/** The actor of scheduled backups in the audit log. */
export const scheduledBackupActor = 'walkscope.scheduler';

/**
 * A scheduled backup of the data folder (queued by the app's backup schedule): the worker writes
 * the backup folder; the commit removes the oldest WalkScope backups beyond `keep` and records
 * database.backup with the manifest's SHA-256 and what it removed.
 */
export const backupJob: JobKindDescriptor<'backup'> = {
  kind: 'backup',
  title: 'backup (database and vault)',
  params: backupParamsSchema,
  result: backupResultSchema,
  work: () => import('../work/backupWork.js'),
  after: null,
  async commit({ store }, job, result) {
    const removed = (await pruneBackups(dirname(result.path), job.params.keep)).filter((path) => path !== result.path);
    return () => recordBackup(store, scheduledBackupActor, result, { scheduled: true, removed });
  },
  // a backup that cannot be recorded in the audit log is not kept
  discard: (result) => rm(result.path, { recursive: true, force: true }),
};
