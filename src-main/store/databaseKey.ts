import { randomBytes } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { AppError } from '../contract/errors.js';

/**
 * The key that encrypts walkscope.db at rest (SQLCipher 4's format, through SQLite3 Multiple
 * Ciphers): 32 random bytes written as 64 hex characters. It is kept outside the data folder, so a
 * copied data folder or backup is unreadable without it:
 * - WALKSCOPE_DB_KEY_FILE names a file holding the key, readable by its owner only (0600), not in
 *   the data folder (`walkscope db keygen --out FILE` writes one);
 * - WALKSCOPE_DB_KEY holds the key itself (for a service manager's secret store).
 * Neither set: the database is not encrypted. WalkScope's own job workers inherit the variables.
 */
export interface DatabaseKey {
  /** 64 hex characters. */
  hex: string;
  /** Where it came from, for `walkscope info` (never the key). */
  source: string;
}

export const databaseKeyFileVariable = 'WALKSCOPE_DB_KEY_FILE';
export const databaseKeyVariable = 'WALKSCOPE_DB_KEY';

const keyPattern = /^[0-9a-fA-F]{64}$/;

/** A new random key, as `walkscope db keygen` writes it. */
export function newDatabaseKey(): string {
  return randomBytes(32).toString('hex');
}

const inside = (folder: string, file: string) => {
  const rel = relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** The key the environment names for a data folder, checked; undefined when none is set. */
export function databaseKeyFromEnvironment(dataDir: string, env: NodeJS.ProcessEnv = process.env): DatabaseKey | undefined {
  const file = env[databaseKeyFileVariable];
  const value = env[databaseKeyVariable];
  if (file && value) throw new AppError('DATABASE_KEY_INVALID', `both ${databaseKeyFileVariable} and ${databaseKeyVariable} are set; set one`);
  if (value !== undefined && value !== '') {
    if (!keyPattern.test(value.trim())) throw new AppError('DATABASE_KEY_INVALID', `${databaseKeyVariable} must be 64 hex characters (32 bytes), as \`walkscope db keygen\` makes`);
    return { hex: value.trim().toLowerCase(), source: databaseKeyVariable };
  }
  if (file === undefined || file === '') return undefined;
  const path = resolve(file);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new AppError('DATABASE_KEY_INVALID', `the key file ${path} (${databaseKeyFileVariable}) does not exist`);
  }
  const folder = (() => {
    try {
      return realpathSync(dataDir);
    } catch {
      return resolve(dataDir);
    }
  })();
  if (inside(folder, real)) throw new AppError('DATABASE_KEY_INVALID', `the key file ${path} is inside the data folder ${dataDir}; a key kept beside the data protects nothing. Move it elsewhere`);
  const info = statSync(real);
  if (!info.isFile()) throw new AppError('DATABASE_KEY_INVALID', `${path} (${databaseKeyFileVariable}) is not a file`);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    throw new AppError('DATABASE_KEY_INVALID', `the key file ${path} can be read by other accounts (mode ${(info.mode & 0o777).toString(8)}); make it 0600 (chmod 600)`);
  }
  const text = readFileSync(real, 'utf8').trim();
  if (!keyPattern.test(text)) throw new AppError('DATABASE_KEY_INVALID', `the key file ${path} must hold 64 hex characters (32 bytes), as \`walkscope db keygen\` writes`);
  return { hex: text.toLowerCase(), source: `${databaseKeyFileVariable}=${path}` };
}
