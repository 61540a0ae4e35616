import { systemClock } from '../../store/clock.js';
import { scheduledBackupPath, summaryOf, withBackupSource, writeBackup } from '../../store/backup.js';
import { appVersion } from '../../runtime/appVersion.js';
import type { JobWorkModule } from '../jobKind.js';

/** A scheduled backup, written from the worker's own read-only connection to the database (SQLite's online backup). */
const backupWork: JobWorkModule<'backup'>['default'] = async (params, { context, signal, progress }) => {
  const createdAt = systemClock();
  const target = scheduledBackupPath(params.folder, createdAt);
  const written = await withBackupSource(context.dataDir, context.vaultDir, context.databaseKey, (source) =>
    writeBackup(source, target, { appVersion, clock: () => createdAt, signal, onProgress: (fraction, message) => progress(fraction * 0.99, message) }),
  );
  return summaryOf(written);
};

export default backupWork;
