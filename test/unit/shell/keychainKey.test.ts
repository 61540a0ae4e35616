import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseKeyFromKeychain, keychainKeyFile, keychainKeySource, keychainProblem, storeKeyInKeychain, type Keychain } from '../../../src-main/shell/keychainKey.js';

/**
 * The desktop app's key in the OS keychain, with a stand-in for Electron's safeStorage (Electron
 * cannot run here): it "encrypts" by reversing the bytes behind a marker, enough to check that
 * only what the keychain returns is on disk and that every failure is a sentence.
 */
function fakeKeychain(options: { available?: boolean; backend?: string; account?: string } = {}): Keychain {
  const marker = `keychain:${options.account ?? 'me'}:`;
  return {
    isEncryptionAvailable: () => options.available ?? true,
    encryptString: (text) => Buffer.from(marker + [...text].reverse().join('')),
    decryptString: (blob) => {
      const text = blob.toString();
      if (!text.startsWith(marker)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return [...text.slice(marker.length)].reverse().join('');
    },
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
  };
}

const work = mkdtempSync(join(tmpdir(), 'walkscope-keychain-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const key = { hex: 'c0ffee'.padEnd(64, '1'), source: 'WALKSCOPE_DB_KEY_FILE=/media/usb/db.key' };

describe('the database key kept in the OS keychain (desktop app)', () => {
  it('stores only the keychain blob, 0600, and reads the key back when the environment names none', () => {
    const file = keychainKeyFile(work);
    storeKeyInKeychain(fakeKeychain(), file, key, 'linux');
    expect(readFileSync(file).includes(key.hex)).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(databaseKeyFromKeychain(fakeKeychain(), file, {}, 'linux')).toEqual({ hex: key.hex, source: keychainKeySource });
  });

  it('lets the environment win, and gives nothing when no blob was stored', () => {
    const file = keychainKeyFile(work);
    expect(databaseKeyFromKeychain(fakeKeychain(), file, { WALKSCOPE_DB_KEY_FILE: '/etc/walkscope/db.key' }, 'linux')).toBeUndefined();
    expect(databaseKeyFromKeychain(fakeKeychain(), file, { WALKSCOPE_DB_KEY: 'ab'.repeat(32) }, 'linux')).toBeUndefined();
    expect(databaseKeyFromKeychain(fakeKeychain(), join(work, 'none.keychain'), {}, 'linux')).toBeUndefined();
  });

  it('refuses a keychain that protects nothing: none at all, or Linux without a Secret Service', () => {
    expect(keychainProblem(fakeKeychain({ available: false }), 'darwin')).toBe('the operating system offers no keychain to this app');
    expect(keychainProblem(fakeKeychain({ backend: 'basic_text' }), 'linux')).toContain('no Secret Service or KWallet is running (Electron would use "basic_text"');
    expect(keychainProblem(fakeKeychain({ backend: 'basic_text' }), 'win32')).toBeUndefined();
    expect(keychainProblem(fakeKeychain({ backend: 'kwallet5' }), 'linux')).toBeUndefined();
    const file = join(work, 'refused.keychain');
    expect(() => storeKeyInKeychain(fakeKeychain({ backend: 'basic_text' }), file, key, 'linux')).toThrow(/cannot be kept in the keychain: no Secret Service/);
    expect(() => readFileSync(file)).toThrow();
  });

  it('says so when the blob belongs to another account or holds no key, and never starts unencrypted', () => {
    const file = join(work, 'other.keychain');
    storeKeyInKeychain(fakeKeychain({ account: 'someone-else' }), file, key, 'linux');
    expect(() => databaseKeyFromKeychain(fakeKeychain(), file, {}, 'linux')).toThrow(/the keychain could not decrypt .*other\.keychain \(made by another account or machine\?\)/);
    writeFileSync(join(work, 'garbage.keychain'), fakeKeychain().encryptString('not a key'));
    expect(() => databaseKeyFromKeychain(fakeKeychain(), join(work, 'garbage.keychain'), {}, 'linux')).toThrow(/does not hold a key/);
    expect(() => databaseKeyFromKeychain(fakeKeychain({ backend: 'basic_text' }), file, {}, 'linux')).toThrow(/cannot be read: no Secret Service/);
  });
});
