import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, createReadStream, createWriteStream, existsSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { backupManifestSchema, type BackupManifest } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import { phrase, type Phrase } from '../contract/phrase.js';
import { isEncryptedFile, openStoredFile } from '../filecrypt/storedFile.js';
import { vaultKeyFromDatabaseKey } from '../filecrypt/vaultKey.js';
import type { Clock } from './clock.js';
import { openSqlite, schemaVersion, type Db } from './database.js';
import type { DatabaseKey } from './databaseKey.js';
import { createPrivateFolder, privateFileMode } from './dataDir.js';
import { processAlive } from './instanceLock.js';
import type { Store } from './store.js';
import { referencedVaultPaths } from './vaultReferences.js';

/**
 * A consistent copy of the database while WalkScope runs (SQLite's online backup), for the
 * hospital's backup routine. The vault folder holds the videos and is copied as plain files.
 * Audited: a backup is a copy of every patient's data leaving the database.
 */
export async function backupDatabase(store: Store, actor: string, target: string): Promise<{ pages: number; target: string }> {
  if (existsSync(target)) throw new AppError('BACKUP_TARGET_EXISTS', target);
  const pages = await copyDatabase(store.db, target, store.databaseKey);
  // SQLite creates the copy with the umask's mode; it holds the same patients as the original
  chmodSync(target, 0o600);
  store.audit.record(actor, 'database.backup', 'database', 'walkscope.db', null, { target, pages, encrypted: store.databaseKey !== undefined });
  return { pages, target };
}

/**
 * A consistent copy of the database in one read snapshot: SQLite's online backup for a plain
 * database; VACUUM INTO for an encrypted one, whose copy SQLite3 Multiple Ciphers encrypts with
 * the same key (the online backup refuses a target without the source's cipher). Returns pages.
 */
async function copyDatabase(db: Db, target: string, key: DatabaseKey | undefined): Promise<number> {
  if (!key) return (await db.backup(target, { progress: () => 0x7fffffff })).totalPages;
  db.prepare('VACUUM INTO ?').run(target);
  return db.pragma('page_count', { simple: true }) as number;
}

export const backupManifestName = 'manifest.json';
export const backupDatabaseName = 'walkscope.db';

/** A backup folder as written: where, its manifest and the SHA-256 of manifest.json. */
export interface WrittenBackup {
  path: string;
  manifest: BackupManifest;
  manifestSha256: string;
  bytes: number;
}

export interface BackupSource {
  /** A connection to the data folder's database (the store's own, or one opened by a job's worker). */
  db: Db;
  /** The key that connection was opened with: the copy is encrypted with it too. */
  key?: DatabaseKey | undefined;
  dataDir: string;
  vaultRoot: string;
}

export interface WriteBackupOptions {
  appVersion: string;
  clock: Clock;
  signal?: AbortSignal;
  /** A fraction 0..1 and what is being done (jobs.progress.*; English: `englishOf`). */
  onProgress?: (fraction: number, message: Phrase) => void;
}

/**
 * Writes a backup folder at `target` (which must not exist): `walkscope.db` by SQLite's online
 * backup (one snapshot, consistent while jobs write), every vault file that snapshot refers to
 * (copied, never linked: a backup must outlive the source disk), and `manifest.json` with each
 * file's SHA-256 and size, the schema and app versions, the time and the audit chain's head.
 * Everything is written into a `.partial` sibling first and renamed at the end, so a folder with
 * a manifest is always a whole backup. Folders 0700, files 0600.
 */
export async function writeBackup(source: BackupSource, target: string, options: WriteBackupOptions): Promise<WrittenBackup> {
  if (existsSync(target)) throw new AppError('BACKUP_TARGET_EXISTS', target);
  createPrivateFolder(dirname(target));
  await sweepAbandonedPartials(dirname(target));
  const partial = join(dirname(target), partialName(basename(target)));
  createPrivateFolder(partial);
  try {
    const createdAt = options.clock();
    options.onProgress?.(0, phrase('jobs.progress.copyingDatabase'));
    const dbCopy = join(partial, backupDatabaseName);
    // every page in one step: one read snapshot, so writers in other connections never restart it
    await copyDatabase(source.db, dbCopy, source.key);
    chmodSync(dbCopy, privateFileMode);
    const snapshot = readSnapshot(dbCopy, source.key);
    const vaultFiles = await expandVaultPaths(source.vaultRoot, snapshot.referenced);
    const totalBytes = vaultFiles.reduce((sum, f) => sum + f.size, 0);
    const files: BackupManifest['files'] = [{ path: backupDatabaseName, ...(await hashFile(dbCopy)) }];
    let copied = 0;
    for (const file of vaultFiles) {
      options.signal?.throwIfAborted();
      const to = join(partial, 'vault', ...file.vaultPath.split('/'));
      createPrivateFolder(dirname(to));
      const { sha256, size } = await copyHashed(join(source.vaultRoot, ...file.vaultPath.split('/')), to, options.signal);
      const named = /^videos\/[0-9a-f]{2}\/([0-9a-f]{64})\./.exec(file.vaultPath)?.[1];
      // an encrypted video is named by its plain content: the copy is decrypted to check it
      if (named !== undefined && named !== sha256 && named !== (await plainSha256(to, source.key))) {
        throw new AppError('BACKUP_FAILED', `the vault file ${file.vaultPath} no longer matches its SHA-256 (the disk may be failing; restore it from an older backup)`);
      }
      files.push({ path: `vault/${file.vaultPath}`, sha256, size });
      copied += size;
      options.onProgress?.(totalBytes === 0 ? 1 : copied / totalBytes, phrase('jobs.progress.copiedVaultFiles', { done: files.length - 1, total: vaultFiles.length }));
    }
    const manifest: BackupManifest = {
      format: 'walkscope-backup-v1',
      createdAt,
      appVersion: options.appVersion,
      schemaVersion: snapshot.schemaVersion,
      auditHead: snapshot.auditHead,
      source: source.dataDir,
      files,
    };
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    await writeFile(join(partial, backupManifestName), manifestText, { mode: privateFileMode, flag: 'wx' });
    await syncPath(join(partial, backupManifestName));
    await rename(partial, target);
    return { path: target, manifest, manifestSha256: sha256Of(manifestText), bytes: files.reduce((sum, f) => sum + f.size, 0) };
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    if (error instanceof AppError) throw error;
    throw new AppError('BACKUP_FAILED', (error as Error).message);
  }
}

/**
 * Where a backup is written until it is whole: `.<name>.partial-<pid>@<host>-<random>`, so a
 * later backup into the same folder can tell one whose writer died (a crash, a kill, a power
 * cut) from one still being written, on this machine or another sharing the folder.
 */
function partialName(target: string): string {
  return `.${target}.partial-${process.pid}@${encodeURIComponent(hostname())}-${randomBytes(4).toString('hex')}`;
}

const partialPattern = /^\..+\.partial-(\d+)@([^/]+)-[0-9a-f]{8}$/;

/**
 * Removes the partial backups in `folder` that no live process is writing: those of a dead
 * process on this machine. Another machine's are left alone (its processes cannot be asked).
 * Returns the folders removed.
 */
export async function sweepAbandonedPartials(folder: string): Promise<string[]> {
  const removed: string[] = [];
  const here = encodeURIComponent(hostname());
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    const match = partialPattern.exec(name);
    if (!match || match[2] !== here || processAlive(Number(match[1]))) continue;
    await rm(join(folder, name), { recursive: true, force: true });
    removed.push(join(folder, name));
  }
  return removed;
}

/**
 * A job worker's own read-only connection to a data folder's database, for `writeBackup`
 * (the worker has no store), with the key its context carries; closed by `work`'s end.
 */
export async function withBackupSource<T>(dataDir: string, vaultRoot: string, databaseKey: DatabaseKey | null, work: (source: BackupSource) => Promise<T>): Promise<T> {
  const key = databaseKey ?? undefined;
  const db = openSqlite(join(dataDir, backupDatabaseName), { key, readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return await work({ db, dataDir, vaultRoot, key });
  } finally {
    db.close();
  }
}

/** A full backup into `target` from the store's own connection, audited as database.backup with the manifest's SHA-256. */
export async function backupDataFolder(store: Store, actor: string, target: string, appVersion: string): Promise<WrittenBackup> {
  const written = await writeBackup({ db: store.db, key: store.databaseKey, dataDir: store.dataDir, vaultRoot: store.vault.root }, target, { appVersion, clock: store.clock });
  recordBackup(store, actor, summaryOf(written), { scheduled: false, removed: [] });
  return written;
}

/** What the audit log and a backup job's result keep of a backup. */
export interface BackupSummary {
  path: string;
  manifestSha256: string;
  createdAt: string;
  files: number;
  bytes: number;
  schemaVersion: number;
  auditHead: BackupManifest['auditHead'];
}

export function summaryOf(written: WrittenBackup): BackupSummary {
  const { path, manifest, manifestSha256, bytes } = written;
  return { path, manifestSha256, createdAt: manifest.createdAt, files: manifest.files.length, bytes, schemaVersion: manifest.schemaVersion, auditHead: manifest.auditHead };
}

/** The audit row of a backup: where it went and the SHA-256 of its manifest (and, for a scheduled one, the older backups removed). */
export function recordBackup(store: Store, actor: string, backup: BackupSummary, extra: { scheduled: boolean; removed: string[] }): void {
  const { path, ...rest } = backup;
  store.audit.record(actor, 'database.backup', 'database', 'walkscope.db', null, {
    target: path,
    ...rest,
    scheduled: extra.scheduled,
    ...(extra.removed.length > 0 ? { removed: extra.removed } : {}),
  });
}

/**
 * What the backup's copy of the database says: schema version, audit head, the vault paths it
 * refers to. The copy is also switched to a rollback journal, so `walkscope.db` is one
 * self-contained file (no -wal beside it).
 */
function readSnapshot(file: string, key: DatabaseKey | undefined): { schemaVersion: number; auditHead: BackupManifest['auditHead']; referenced: string[] } {
  const db = openSqlite(file, { key });
  try {
    db.pragma('journal_mode = DELETE');
    const head = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string | null } | undefined;
    return { schemaVersion: schemaVersion(db), auditHead: head ?? null, referenced: [...referencedVaultPaths(db)].sort() };
  } finally {
    db.close();
  }
}

/** Referenced vault paths as files (a model bundle's folder becomes its files); a missing one fails the backup by name. */
async function expandVaultPaths(vaultRoot: string, referenced: readonly string[]): Promise<Array<{ vaultPath: string; size: number }>> {
  const out: Array<{ vaultPath: string; size: number }> = [];
  const visit = async (vaultPath: string): Promise<void> => {
    const info = await stat(join(vaultRoot, ...vaultPath.split('/'))).catch(() => undefined);
    if (!info) throw new AppError('BACKUP_FAILED', `the vault file ${vaultPath}, which the database refers to, is missing from ${vaultRoot}`);
    if (info.isDirectory()) {
      for (const name of (await readdir(join(vaultRoot, ...vaultPath.split('/')))).sort()) await visit(`${vaultPath}/${name}`);
    } else {
      out.push({ vaultPath, size: info.size });
    }
  };
  for (const path of referenced) await visit(path);
  return out;
}

export const sha256Of = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The SHA-256 of an encrypted file's plain content; undefined for a plain file or when it cannot be decrypted. */
async function plainSha256(path: string, key: DatabaseKey | undefined): Promise<string | undefined> {
  if (!key || !(await isEncryptedFile(path))) return undefined;
  const file = await openStoredFile(path, vaultKeyFromDatabaseKey(key.hex)).catch(() => undefined);
  if (!file) return undefined;
  const hash = createHash('sha256');
  try {
    for await (const chunk of file.stream(0, file.size - 1) as AsyncIterable<Buffer>) hash.update(chunk);
    return hash.digest('hex');
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}

/** SHA-256 and size of a file, read as a stream. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Copies `from` to a new file `to` (0600, fsynced), hashing the bytes as they are written. */
export async function copyHashed(from: string, to: string, signal?: AbortSignal): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), tap, createWriteStream(to, { flags: 'wx', mode: privateFileMode }), ...(signal ? [{ signal }] : []));
  await syncPath(to);
  return { sha256: hash.digest('hex'), size };
}

async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A WalkScope backup found in a folder, by its manifest. */
export interface FoundBackup {
  path: string;
  createdAt: string;
}

/** Reads and checks a backup's manifest.json; null when the folder is not a WalkScope backup. */
export async function readBackupManifest(folder: string): Promise<{ manifest: BackupManifest; text: string } | null> {
  const text = await readFile(join(folder, backupManifestName), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const parsed = backupManifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? { manifest: parsed.data, text } : null;
  } catch {
    return null;
  }
}

/** The WalkScope backups directly inside `folder` (subfolders with a valid manifest), newest first. */
export async function listBackups(folder: string): Promise<FoundBackup[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const found: FoundBackup[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const read = await readBackupManifest(join(folder, entry.name));
    if (read) found.push({ path: join(folder, entry.name), createdAt: read.manifest.createdAt });
  }
  return found.sort((a, b) => (a.createdAt === b.createdAt ? b.path.localeCompare(a.path) : b.createdAt.localeCompare(a.createdAt)));
}

/** Deletes the oldest WalkScope backups in `folder` beyond the newest `keep`; anything else in the folder is left alone. */
export async function pruneBackups(folder: string, keep: number): Promise<string[]> {
  const old = (await listBackups(folder)).slice(Math.max(1, keep));
  for (const backup of old) await rm(backup.path, { recursive: true, force: true });
  return old.map((b) => b.path);
}

/** A new folder name for a scheduled backup taken at `at`: `walkscope-backup-20240501-093000Z` (with -2, -3... if taken). */
export function scheduledBackupPath(folder: string, at: string): string {
  const stamp = at.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '').replace('T', '-');
  const base = join(folder, `walkscope-backup-${stamp}`);
  let path = base;
  for (let n = 2; existsSync(path); n++) path = `${base}-${n}`;
  return path;
}
