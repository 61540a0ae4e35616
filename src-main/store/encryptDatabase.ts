import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { vaultKeyFromDatabaseKey } from '../filecrypt/vaultKey.js';
import { isPlainSqliteFile, openSqlite } from './database.js';
import type { DatabaseKey } from './databaseKey.js';
import { InstanceMarker } from './instanceLock.js';
import { isEncryptedArea, Vault } from './vault.js';

export interface EncryptedDatabase {
  file: string;
  pages: number;
  seconds: number;
}

export interface EncryptedDataFolder {
  /** The database, or null when it was encrypted already. */
  database: EncryptedDatabase | null;
  /** Vault files encrypted now, and their plain bytes. */
  vaultFiles: number;
  vaultBytes: number;
  seconds: number;
}

/**
 * `walkscope db encrypt`: the database (unless it is encrypted already) and then every plain file of
 * the vault's encrypted area (Vault.encryptInPlace: written beside it, read back, renamed over
 * it), all under the one check that no other WalkScope has the folder open. Running it again
 * finishes what a crash interrupted; with nothing left in clear it is refused.
 */
export async function encryptDataFolder(dataDir: string, key: DatabaseKey): Promise<EncryptedDataFolder> {
  const started = performance.now();
  const file = join(dataDir, 'walkscope.db');
  const plain = isPlainSqliteFile(file);
  if (plain === undefined) throw new AppError('DATABASE_KEY_INVALID', `there is no database at ${file} to encrypt`);
  const marker = new InstanceMarker(join(dataDir, 'instances'));
  try {
    if (!marker.isAlone()) throw new AppError('DATABASE_KEY_INVALID', `another WalkScope (the window, serve mode or a command) has ${dataDir} open; close it first`);
    if (!plain) openSqlite(file, { key }).close(); // the key must be this database's before the vault is touched
    const vault = new Vault(join(dataDir, 'vault'), vaultKeyFromDatabaseKey(key.hex));
    const pending: string[] = [];
    for (const vaultPath of await vault.listFiles()) {
      const opened = await vault.open(vaultPath).catch(() => undefined);
      if (opened && !opened.encrypted && isEncryptedArea(vaultPath)) pending.push(vaultPath);
      await opened?.close();
    }
    if (!plain && pending.length === 0) throw new AppError('DATABASE_KEY_INVALID', `${file} is already encrypted, and so is every file of its vault`);
    const database = plain ? encryptDatabaseFile(file, key, started) : null;
    let vaultFiles = 0;
    let vaultBytes = 0;
    for (const vaultPath of pending) {
      const size = (await stat(vault.absolute(vaultPath))).size;
      if (await vault.encryptInPlace(vaultPath)) {
        vaultFiles++;
        vaultBytes += size;
      }
    }
    return { database, vaultFiles, vaultBytes, seconds: (performance.now() - started) / 1000 };
  } finally {
    marker.release();
  }
}

/**
 * Encrypts a plain walkscope.db in place with `key`: the WAL is checkpointed into the file and
 * removed, then SQLite3 Multiple Ciphers rewrites every page in one transaction (`PRAGMA rekey`,
 * under a rollback journal: a crash leaves the plain database as it was), and the result is
 * opened with the key and integrity-checked. Free disk blocks may still hold old plain pages:
 * disk encryption covers those.
 */
function encryptDatabaseFile(file: string, key: DatabaseKey, started: number): EncryptedDatabase {
  const db = openSqlite(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`rekey = "x'${key.hex}'"`);
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  const check = openSqlite(file, { key });
  try {
    const rows = check.pragma('integrity_check') as Array<{ integrity_check: string }>;
    if (rows.length !== 1 || rows[0]!.integrity_check !== 'ok') throw new AppError('DATABASE_KEY_WRONG', `${file} after encryption (integrity check: ${rows[0]?.integrity_check ?? 'no answer'})`);
    return { file, pages: check.pragma('page_count', { simple: true }) as number, seconds: (performance.now() - started) / 1000 };
  } finally {
    check.close();
  }
}
