import { chmodSync, closeSync, existsSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../contract/errors.js';
import type { DatabaseKey } from './databaseKey.js';
import { migrations as defaultMigrations, type Migration } from './migrations/index.js';

export type Db = Database.Database;

/** The database and its WAL/SHM files: readable and writable by the account running WalkScope only. */
export const databaseFileMode = 0o600;

export interface OpenDatabaseOptions {
  /** Extra migrations (later stages append theirs); applied after the built-in ones by version. */
  migrations?: Migration[];
  /** The key the file is (or, when new, will be) encrypted with; none: a plain SQLite file. */
  key?: DatabaseKey | undefined;
}

/** Every plain SQLite file starts with these 16 bytes; an encrypted one starts with random salt. */
const plainHeader = Buffer.from('SQLite format 3\0', 'latin1');

/** Whether a database file on disk is a plain SQLite file (false: encrypted, or not a database). Empty or missing: undefined. */
export function isPlainSqliteFile(file: string): boolean | undefined {
  if (!existsSync(file)) return undefined;
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    if (readSync(fd, head, 0, 16, 0) < 16) return undefined;
  } finally {
    closeSync(fd);
  }
  return head.equals(plainHeader);
}

/**
 * One connection to a WalkScope database file, keyed when a key is given (SQLCipher 4's format,
 * through SQLite3 Multiple Ciphers), and read once so that a missing, wrong or unneeded key is a
 * sentence here rather than "file is not a database" at the first query. Every connection the
 * store makes goes through this.
 */
export function openSqlite(file: string, options: { key?: DatabaseKey | undefined; readonly?: boolean; fileMustExist?: boolean } = {}): Db {
  const plain = file === ':memory:' ? undefined : isPlainSqliteFile(file);
  const name = basename(file);
  if (options.key && plain === true) throw new AppError('DATABASE_NOT_ENCRYPTED', name);
  if (!options.key && plain === false) throw new AppError('DATABASE_KEY_MISSING', name);
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.fileMustExist ?? false });
  try {
    if (options.key) {
      db.pragma(`cipher = 'sqlcipher'`);
      db.pragma('legacy = 4');
      db.pragma(`key = "x'${options.key.hex}'"`);
    }
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw new AppError('DATABASE_KEY_WRONG', name, { cause: error });
    throw error;
  }
}

/**
 * Opens (or creates) the WalkScope database: WAL journal, foreign keys on, a busy timeout
 * for the CLI and the app sharing one file, then runs pending migrations, each in its own
 * transaction. `:memory:` gives a private database for tests.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const fresh = file !== ':memory:' && !existsSync(file);
  // a new database file is private (0600) before SQLite opens it; SQLite gives the WAL and
  // SHM files it creates the database file's mode
  if (fresh) closeSync(openSync(file, 'wx', databaseFileMode));
  const db = openSqlite(file, { key: options.key });
  try {
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    if (fresh) for (const companion of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(companion)) chmodSync(companion, databaseFileMode);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db, [...defaultMigrations, ...(options.migrations ?? [])]);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, all: Migration[]): void {
  const sorted = [...all].sort((a, b) => a.version - b.version);
  const versions = new Set<number>();
  for (const m of sorted) {
    if (versions.has(m.version)) throw new Error(`two migrations share version ${m.version}`);
    versions.add(m.version);
  }
  const current = schemaVersion(db);
  const newest = sorted.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(`the database was written by a newer WalkScope (schema ${current}, this version knows ${newest})`);
  }
  for (const migration of sorted) {
    if (migration.version <= current) continue;
    const foreignKeysWereOn = db.pragma('foreign_keys', { simple: true }) === 1;
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        if (migration.rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`migration ${migration.version} (${migration.name}) would leave ${broken.length} rows pointing at nothing; nothing was changed`);
        }
        db.pragma(`user_version = ${migration.version}`);
      })();
    } finally {
      if (migration.rebuildsTables && foreignKeysWereOn) db.pragma('foreign_keys = ON');
    }
  }
}
