import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { databaseKeyFileVariable, databaseKeyVariable, type DatabaseKey } from '../store/databaseKey.js';

/**
 * The desktop app keeps the database key in the operating system's keychain through Electron's
 * `safeStorage` (macOS Keychain, Windows DPAPI, the Secret Service or KWallet on Linux): the key
 * is encrypted by the OS for this account and only the encrypted blob is on disk, in the app's
 * per-user folder. Written once from a key file (`--store-key-in-keychain`, with
 * WALKSCOPE_DB_KEY_FILE set); read at every start when the environment names no key. The
 * environment always wins, so serve mode, the CLI and a service manager keep working as before.
 * Electron stays out of this module (`main.ts` passes `safeStorage` in), so it is tested in Node.
 */
export interface Keychain {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which store Chromium chose; `basic_text` is a fixed key, no protection at all. */
  getSelectedStorageBackend?(): string;
}

export const keychainKeyFileName = 'database-key.keychain';
export const keychainKeySource = 'the operating system keychain (Electron safeStorage)';

export function keychainKeyFile(userDataDir: string): string {
  return join(userDataDir, keychainKeyFileName);
}

/** Why this keychain cannot keep a key safely, or undefined when it can. */
export function keychainProblem(keychain: Keychain, platform: NodeJS.Platform = process.platform): string | undefined {
  if (!keychain.isEncryptionAvailable()) return 'the operating system offers no keychain to this app';
  if (platform === 'linux') {
    const backend = keychain.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') return `no Secret Service or KWallet is running (Electron would use "${backend}", a fixed key that protects nothing)`;
  }
  return undefined;
}

/**
 * The key kept in the keychain, when the environment names none and a blob was stored; the
 * environment's key otherwise applies (undefined here). A blob that does not decrypt to a key is
 * a sentence, never a silent start without encryption.
 */
export function databaseKeyFromKeychain(keychain: Keychain, file: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): DatabaseKey | undefined {
  if (env[databaseKeyFileVariable] || env[databaseKeyVariable]) return undefined;
  if (!existsSync(file)) return undefined;
  const problem = keychainProblem(keychain, platform);
  if (problem) throw new AppError('DATABASE_KEY_INVALID', `the key kept in the keychain (${file}) cannot be read: ${problem}. Set ${databaseKeyFileVariable} to the key file instead`);
  let text: string;
  try {
    text = keychain.decryptString(readFileSync(file)).trim();
  } catch (cause) {
    throw new AppError('DATABASE_KEY_INVALID', `the keychain could not decrypt ${file} (made by another account or machine?). Set ${databaseKeyFileVariable} to the key file instead`, { cause });
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new AppError('DATABASE_KEY_INVALID', `${file} does not hold a key; set ${databaseKeyFileVariable} to the key file and store it again with --store-key-in-keychain`);
  return { hex: text, source: keychainKeySource };
}

/** Stores `key` in the keychain: the encrypted blob written 0600 to a temporary file and renamed over `file`. */
export function storeKeyInKeychain(keychain: Keychain, file: string, key: DatabaseKey, platform: NodeJS.Platform = process.platform): void {
  const problem = keychainProblem(keychain, platform);
  if (problem) throw new AppError('DATABASE_KEY_INVALID', `the key cannot be kept in the keychain: ${problem}. Keep using ${databaseKeyFileVariable}`);
  const blob = keychain.encryptString(key.hex);
  if (keychain.decryptString(blob) !== key.hex) throw new AppError('DATABASE_KEY_INVALID', 'the keychain did not give the key back unchanged; nothing was stored');
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, blob, { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}
