import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { backupDatabase, backupDataFolder, summaryOf } from '../../store/backup.js';
import { restoreBackup } from '../../store/restore.js';
import { appVersion } from '../../runtime/appVersion.js';
import { currentActor } from '../../services/serviceContext.js';
import { chooseDataDir, fixDataFolderPermissions } from '../../store/dataDir.js';
import { databaseKeyFileVariable, databaseKeyFromEnvironment, newDatabaseKey } from '../../store/databaseKey.js';
import { encryptDataFolder } from '../../store/encryptDatabase.js';
import type { Command } from '../command.js';
import { UsageError } from '../cliContext.js';
import { formatTable } from '../output.js';
import { formatAuditChain } from '../auditChainText.js';

const summarise = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value).slice(0, 80));

export const adminCommands: Command[] = [
  {
    name: 'audit',
    summary: 'Show the audit log: who changed what, when, before and after',
    usage: 'walkscope audit [--entity patient|video|assessment|study|model|screening-model|settings|database|request|audit] [--id ID] [--limit N] [--json]',
    options: { entity: { type: 'string' }, id: { type: 'string' }, limit: { type: 'string' } },
    async run(context, _positionals, values) {
      const entries = await context.call('audit.list', {
        ...(typeof values.entity === 'string' ? { entity: values.entity } : {}),
        ...(typeof values.id === 'string' ? { entityId: values.id } : {}),
        ...(typeof values.limit === 'string' ? { limit: Number(values.limit) } : {}),
      });
      context.print(entries, () =>
        entries.length === 0
          ? 'The audit log has no matching entries.'
          : formatTable(entries, [
              { header: 'when', value: (e) => e.at.replace('T', ' ').slice(0, 19) },
              { header: 'who', value: (e) => e.actor },
              { header: 'what', value: (e) => e.action },
              { header: 'entity', value: (e) => `${e.entity} ${e.entityId}` },
              { header: 'before', value: (e) => summarise(e.before) },
              { header: 'after', value: (e) => summarise(e.after) },
            ]),
      );
    },
  },
  {
    name: 'audit verify',
    summary: "Check the audit log's hash chain: names the first row that was changed, removed or moved (exit code 1 when broken)",
    usage: 'walkscope audit verify [--json]',
    options: {},
    async run(context) {
      const state = await context.call('audit.verify', {});
      context.print(state, () => formatAuditChain(state));
      return state.intact ? 0 : 1;
    },
  },
  {
    name: 'data-folder',
    summary: 'Show the data folder, or point WalkScope (desktop, CLI and serve mode) at another one from the next start; nothing is moved',
    usage: 'walkscope data-folder [/absolute/path] [--json]',
    options: {},
    async run(context, positionals) {
      if (positionals.length > 1) throw new UsageError('give one folder');
      if (positionals.length === 0) {
        const info = await context.call('app.info', {});
        context.print(info.dataFolder, () => [`data folder: ${info.dataDir}`, ...(info.dataFolder.next ? [`from the next start: ${info.dataFolder.next}`] : [])].join('\n'));
        return;
      }
      const reply = await context.call('settings.setDataFolder', { path: positionals[0]! });
      context.print(reply, () =>
        reply.holdsWalkScopeData
          ? `From the next start WalkScope uses the data already in ${reply.next}.`
          : `From the next start WalkScope uses ${reply.next} (no WalkScope data there yet). To take the current data along, stop WalkScope and copy ${reply.current} there first.`,
      );
    },
  },
  {
    name: 'doctor',
    summary: 'Check the installation (the ffmpeg in use, who can read the data folder); --fix-permissions makes the data folder private (folders 0700, files 0600); exits 1 while a warning remains',
    usage: 'walkscope doctor [--fix-permissions] [--json]',
    options: { 'fix-permissions': { type: 'boolean' } },
    async run(context, _positionals, values) {
      const app = await context.app();
      const dataDir = app.store.dataDir;
      const fixed = values['fix-permissions'] === true ? fixDataFolderPermissions(dataDir) : [];
      const info = await context.call('app.info', {});
      context.print({ fixed: fixed.map((p) => p.path), warnings: info.warnings }, () =>
        [
          ...(fixed.length > 0 ? [`Made ${fixed.length === 1 ? '1 entry' : `${fixed.length} entries`} of ${dataDir} private (folders 0700, files 0600).`] : []),
          ...(info.warnings.length === 0 ? ['No problems found.'] : info.warnings.map((w) => `Warning: ${w}`)),
        ].join('\n'),
      );
      return info.warnings.length === 0 ? 0 : 1;
    },
  },
  {
    name: 'backup',
    summary: 'Write a backup folder (safe while WalkScope runs): the database, the vault files it refers to and a manifest of their SHA-256; --database-only copies the database alone',
    usage: 'walkscope backup --out FOLDER [--database-only] [--json]',
    options: { out: { type: 'string' }, 'database-only': { type: 'boolean' } },
    async run(context, _positionals, values) {
      if (typeof values.out !== 'string') throw new UsageError('give the new backup folder with --out FOLDER');
      const app = await context.app();
      const target = resolve(values.out);
      if (values['database-only'] === true) {
        const result = await backupDatabase(app.store, app.actor, target);
        context.print(result, () => `Wrote ${result.target} (${result.pages} pages): the database only. The vault folder ${app.store.vault.root} is not in it.`);
        return;
      }
      const started = performance.now();
      const written = await backupDataFolder(app.store, app.actor, target, appVersion);
      const seconds = (performance.now() - started) / 1000;
      const summary = summaryOf(written);
      context.print(summary, () => `Wrote the backup ${summary.path}: ${filesWord(summary.files)}, ${megabytes(summary.bytes)} in ${seconds.toFixed(1)} s; manifest SHA-256 ${summary.manifestSha256}. Restore it with walkscope restore --from ${summary.path} --data-dir NEW_FOLDER.`);
    },
  },
  {
    name: 'restore',
    summary: 'Restore a backup folder into a new (or empty) data folder, after checking every file against the manifest and the database\'s integrity',
    usage: 'walkscope restore --from BACKUP_FOLDER --data-dir NEW_OR_EMPTY_FOLDER [--json]',
    options: { from: { type: 'string' } },
    async run(context, _positionals, values) {
      if (typeof values.from !== 'string') throw new UsageError('give the backup folder with --from BACKUP_FOLDER');
      // the data folder is named explicitly: a restore never picks the default one
      if (typeof values['data-dir'] !== 'string') throw new UsageError('give the new data folder with --data-dir FOLDER (it must be empty or not exist yet)');
      const started = performance.now();
      const result = await restoreBackup({ from: resolve(values.from), dataDir: resolve(values['data-dir']), actor: currentActor() });
      const seconds = (performance.now() - started) / 1000;
      context.print(result, () =>
        [
          `Restored ${result.from} (taken ${result.createdAt}) into ${result.dataDir}: ${filesWord(result.files)}, ${megabytes(result.bytes)} checked against the manifest in ${seconds.toFixed(1)} s.`,
          `Database schema ${result.schemaVersion.backup}${result.schemaVersion.restored === result.schemaVersion.backup ? '' : `, migrated to ${result.schemaVersion.restored}`}; audit chain ${result.auditChain.intact ? 'intact' : 'BROKEN (run walkscope audit verify)'}${result.auditChain.reachesBackupHead ? '' : ", and it no longer holds the manifest's head row"}.`,
          ...(result.jobs.requeued.length > 0 ? [`Jobs that were running when the backup was taken are queued again: ${result.jobs.requeued.join(', ')}.`] : []),
          `Use it with --data-dir ${result.dataDir}, or walkscope data-folder ${result.dataDir}.`,
        ].join('\n'),
      );
    },
  },
  {
    name: 'db keygen',
    summary: 'Write a new random key for encrypting the database at rest into a file readable by you only (keep it outside the data folder, and a copy somewhere safe)',
    usage: 'walkscope db keygen --out KEYFILE',
    options: { out: { type: 'string' } },
    async run(context, _positionals, values) {
      if (typeof values.out !== 'string') throw new UsageError('give the new key file with --out KEYFILE');
      const file = resolve(values.out);
      writeFileSync(file, `${newDatabaseKey()}\n`, { mode: 0o600, flag: 'wx' });
      context.print({ file }, () =>
        [
          `Wrote a new key to ${file} (readable by you only).`,
          `Encrypt the database with it: ${databaseKeyFileVariable}=${file} walkscope db encrypt, and start WalkScope with ${databaseKeyFileVariable} set from then on.`,
          'Keep a copy of the key somewhere safe: without it the database and its backups cannot be read by anyone.',
        ].join('\n'),
      );
    },
  },
  {
    name: 'db encrypt',
    summary: `Encrypt the data folder's database and the vault's videos and thumbnails in place with the key ${databaseKeyFileVariable} names (WalkScope must be closed)`,
    usage: `${databaseKeyFileVariable}=KEYFILE walkscope db encrypt [--data-dir DIR] [--json]`,
    options: {},
    async run(context, _positionals, values) {
      const { dataDir } = chooseDataDir(typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined);
      const key = databaseKeyFromEnvironment(dataDir);
      if (!key) throw new UsageError(`set ${databaseKeyFileVariable} to a key file first (walkscope db keygen --out KEYFILE writes one)`);
      const result = await encryptDataFolder(dataDir, key);
      context.print(result, () => {
        const database = result.database ? `${result.database.file} (${result.database.pages} pages)` : 'no database pages (it was encrypted already)';
        return `Encrypted ${database} and ${filesWord(result.vaultFiles)} of the vault (${megabytes(result.vaultBytes)}) in ${result.seconds.toFixed(1)} s with the key from ${key.source}. Backups made from now on are encrypted with the same key; older backups are not.`;
      });
    },
  },
];

const filesWord = (n: number) => (n === 1 ? '1 file' : `${n} files`);
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
