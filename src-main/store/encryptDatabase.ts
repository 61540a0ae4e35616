import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { isPlainSqliteFile, openSqlite } from './database.js';
import type { DatabaseKey } from './databaseKey.js';
import { InstanceMarker } from './instanceLock.js';

export interface EncryptedDatabase {
  file: string;
  pages: number;
  seconds: number;
}

/**
 * Encrypts a data folder's plain walkscope.db in place with `key` (`walkscope db encrypt`):
 * the WAL is checkpointed into the file and removed, then SQLite3 Multiple Ciphers rewrites every
 * page in one transaction (`PRAGMA rekey`, under a rollback journal: a crash leaves the plain
 * database as it was), and the result is opened with the key and integrity-checked. Refused
 * while any other WalkScope process has the folder open. Free disk blocks may still hold old
 * plain pages: disk encryption covers those.
 */
export function encryptDatabaseInPlace(dataDir: string, key: DatabaseKey): EncryptedDatabase {
  const started = performance.now();
  const file = join(dataDir, 'walkscope.db');
  const plain = isPlainSqliteFile(file);
  if (plain === undefined) throw new AppError('DATABASE_KEY_INVALID', `there is no database at ${file} to encrypt`);
  if (!plain) throw new AppError('DATABASE_KEY_INVALID', `${file} is already encrypted`);
  const marker = new InstanceMarker(join(dataDir, 'instances'));
  try {
    if (!marker.isAlone()) throw new AppError('DATABASE_KEY_INVALID', `another WalkScope (the window, serve mode or a command) has ${dataDir} open; close it first`);
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
  } finally {
    marker.release();
  }
}
