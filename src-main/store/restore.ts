import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { BackupManifest } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import { backupDatabaseName, copyHashed, readBackupManifest, sha256Of } from './backup.js';
import type { Clock } from './clock.js';
import { openSqlite, schemaVersion } from './database.js';
import { databaseKeyFromEnvironment, type DatabaseKey } from './databaseKey.js';
import { createPrivateFolder, fixDataFolderPermissions } from './dataDir.js';
import { migrations } from './migrations/index.js';
import { Store } from './store.js';
import { referencedVaultPaths } from './vaultReferences.js';

export interface RestoreOptions {
  /** The backup folder (with manifest.json). */
  from: string;
  /** The data folder to create: it must not exist, or be empty. */
  dataDir: string;
  actor: string;
  clock?: Clock;
}

export interface RestoreResult {
  dataDir: string;
  from: string;
  manifestSha256: string;
  createdAt: string;
  files: number;
  bytes: number;
  /** The backup's schema version, and the version after the migrations ran on open. */
  schemaVersion: { backup: number; restored: number };
  /** Whether the restored audit log verifies, and still holds the head the manifest recorded. */
  auditChain: { intact: boolean; reachesBackupHead: boolean };
  /** Jobs that were running when the backup was taken, queued again; backup jobs cancelled. */
  jobs: { requeued: number[]; cancelled: number[] };
}

const newestSchema = Math.max(...migrations.map((m) => m.version));

const refuse = (detail: string) => new AppError('RESTORE_REFUSED', detail);

/**
 * Restores a backup folder into a new data folder. Nothing is accepted before every file has
 * been copied and its SHA-256 and size checked against the manifest, the database has passed
 * `PRAGMA integrity_check`, its schema is one this version can open (the migrations then run
 * forward) and every vault file it refers to is in the backup. All of it happens in a
 * temporary sibling folder that is renamed into place at the end, so a refused restore leaves
 * nothing behind. The restored database records `database.restore`, naming the backup.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const from = resolve(options.from);
  const target = resolve(options.dataDir);
  const targetExists = existsSync(target);
  if (targetExists) {
    if (!statSync(target).isDirectory()) throw refuse(`${target} is a file, not a folder`);
    if (readdirSync(target).length > 0) throw new AppError('RESTORE_TARGET_NOT_EMPTY', target);
  }
  const read = await readBackupManifest(from);
  if (!read) throw refuse(`${from} has no valid manifest.json, so it is not a WalkScope backup`);
  const { manifest } = read;
  const manifestSha256 = sha256Of(read.text);
  if (manifest.schemaVersion > newestSchema) {
    throw refuse(`it was made by a newer WalkScope (${manifest.appVersion}, database schema ${manifest.schemaVersion}; this version opens schemas up to ${newestSchema})`);
  }
  checkManifestPaths(manifest);

  createPrivateFolder(dirname(target));
  const temp = join(dirname(target), `.${basename(target)}.restoring-${process.pid}-${randomBytes(4).toString('hex')}`);
  createPrivateFolder(temp);
  try {
    await copyAndVerify(from, temp, manifest);
    // an encrypted backup opens with the key the environment gives, as the restored folder will
    const key = databaseKeyFromEnvironment(target);
    checkDatabase(join(temp, backupDatabaseName), manifest, key);

    const store = await Store.open({ dataDir: temp, ...(options.clock ? { clock: options.clock } : {}) });
    let result: RestoreResult;
    try {
      const jobs = store.jobs.resetAfterRestore();
      const head = manifest.auditHead;
      const reachesBackupHead = head === null || (store.db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(head.id) as { hash: string | null } | undefined)?.hash === head.hash;
      result = {
        dataDir: target,
        from,
        manifestSha256,
        createdAt: manifest.createdAt,
        files: manifest.files.length,
        bytes: manifest.files.reduce((sum, f) => sum + f.size, 0),
        schemaVersion: { backup: manifest.schemaVersion, restored: store.schemaVersion },
        auditChain: { intact: store.auditChain.intact, reachesBackupHead },
        jobs,
      };
      store.audit.record(options.actor, 'database.restore', 'database', 'walkscope.db', null, {
        from,
        manifestSha256,
        createdAt: manifest.createdAt,
        appVersion: manifest.appVersion,
        source: manifest.source,
        schemaVersion: result.schemaVersion,
        auditHead: manifest.auditHead,
        files: result.files,
        bytes: result.bytes,
        requeuedJobs: jobs.requeued,
        cancelledJobs: jobs.cancelled,
      });
    } finally {
      store.close();
    }
    fixDataFolderPermissions(temp);
    if (targetExists) await rmdir(target); // empty, checked above
    await rename(temp, target);
    return result;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (error instanceof AppError) throw error;
    throw refuse((error as Error).message);
  }
}

/** Only `walkscope.db` and files under `vault/`, with no `..`: a manifest cannot write outside the new folder. */
function checkManifestPaths(manifest: BackupManifest): void {
  if (!manifest.files.some((f) => f.path === backupDatabaseName)) throw refuse(`its manifest lists no ${backupDatabaseName}`);
  const seen = new Set<string>();
  for (const file of manifest.files) {
    const parts = file.path.split('/');
    const safe = file.path === backupDatabaseName || (parts[0] === 'vault' && parts.length > 1 && parts.every((p) => p !== '' && p !== '.' && p !== '..' && !p.includes('\\')));
    if (!safe) throw refuse(`its manifest names a file outside the backup: ${file.path}`);
    if (seen.has(file.path)) throw refuse(`its manifest lists ${file.path} twice`);
    seen.add(file.path);
  }
}

/** Copies every file the manifest lists, checking each copy's SHA-256 and size; refuses naming every file that is missing or differs. */
async function copyAndVerify(from: string, temp: string, manifest: BackupManifest): Promise<void> {
  const problems: string[] = [];
  for (const file of manifest.files) {
    const source = join(from, ...file.path.split('/'));
    const to = join(temp, ...file.path.split('/'));
    if (!existsSync(source)) {
      problems.push(`${file.path} is missing`);
      continue;
    }
    createPrivateFolder(dirname(to));
    const copied = await copyHashed(source, to);
    if (copied.size !== file.size || copied.sha256 !== file.sha256) problems.push(`${file.path} does not match its SHA-256 in the manifest (changed or damaged)`);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    throw refuse(`${problems.length === 1 ? 'a file of the backup is' : `${problems.length} files of the backup are`} not as the manifest lists: ${shown}${problems.length > 5 ? '; ...' : ''}`);
  }
}

/** `PRAGMA integrity_check`, the schema version the manifest states, and every vault file the database refers to present. */
function checkDatabase(file: string, manifest: BackupManifest, key: DatabaseKey | undefined): void {
  const db = openSqlite(file, { key, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    if (rows.length !== 1 || rows[0]!.integrity_check !== 'ok') {
      throw refuse(`the database fails SQLite's integrity check (${rows.slice(0, 3).map((r) => r.integrity_check).join('; ')})`);
    }
    const version = schemaVersion(db);
    if (version !== manifest.schemaVersion) throw refuse(`the database has schema ${version} but the manifest says ${manifest.schemaVersion}`);
    // a referenced path is a file, or a model bundle's folder: present when a file of the backup is it or lies under it
    const held = new Set<string>();
    for (const f of manifest.files) {
      if (!f.path.startsWith('vault/')) continue;
      const path = f.path.slice('vault/'.length);
      for (let at = path.length; at > 0; at = path.lastIndexOf('/', at - 1)) held.add(path.slice(0, at));
    }
    const missing = [...referencedVaultPaths(db)].filter((path) => !held.has(path));
    if (missing.length > 0) throw refuse(`the database refers to vault files the backup does not hold: ${missing.slice(0, 5).join(', ')}`);
  } finally {
    db.close();
  }
}
