import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrations as defaultMigrations, type Migration } from './migrations/index.js';

export type Db = Database.Database;

/** The database and its WAL/SHM files: readable and writable by the account running WalkScope only. */
export const databaseFileMode = 0o600;

export interface OpenDatabaseOptions {
  /** Extra migrations (later stages append theirs); applied after the built-in ones by version. */
  migrations?: Migration[];
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
  const db = new Database(file);
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
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
