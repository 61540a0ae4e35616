import { hkdfSync } from 'node:crypto';

const vaultKeyInfo = Buffer.from('walkscope vault key v1', 'latin1');
const vaultKeySalt = Buffer.from('walkscope', 'latin1');

/**
 * The key the vault's files are encrypted with, derived from the database key (64 hex characters)
 * with HKDF-SHA256: one secret to keep, and the database's SQLCipher key is never used as an AES
 * key directly. Each file then derives its own key from this one and its salt (chunkedCipher.ts).
 */
export function vaultKeyFromDatabaseKey(databaseKeyHex: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(databaseKeyHex)) throw new RangeError('the database key must be 64 hex characters');
  return Buffer.from(hkdfSync('sha256', Buffer.from(databaseKeyHex, 'hex'), vaultKeySalt, vaultKeyInfo, 32));
}
