import { describe, expect, it } from 'vitest';
import { createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { EncryptingStream, cipherMagic, fileKey, headerBytes, layoutOf, openChunk, parseHeader, sealedSize, tagBytes } from '../../../src-main/filecrypt/chunkedCipher.js';
import { vaultKeyFromDatabaseKey } from '../../../src-main/filecrypt/vaultKey.js';

const key = Buffer.alloc(32, 7);

async function encrypt(plain: Buffer, chunkBytes: number, pieces = 3): Promise<Buffer> {
  // fed in uneven pieces, as a file stream would
  const parts: Buffer[] = [];
  for (let at = 0, i = 0; at < plain.length; i++) {
    const size = Math.max(1, Math.floor(plain.length / pieces) + (i % 2 ? 3 : -1));
    parts.push(plain.subarray(at, at + size));
    at += size;
  }
  return buffer(Readable.from(parts).pipe(new EncryptingStream(key, chunkBytes)));
}

/** Decrypts a whole file by the format's definition, chunk by chunk. */
function decryptAll(file: Buffer): Buffer {
  const header = parseHeader(file)!;
  const layout = layoutOf(file.length, header.chunkBytes)!;
  const perFile = fileKey(key, header.salt);
  const out: Buffer[] = [];
  for (let i = 0; i < layout.chunks; i++) {
    const from = headerBytes + i * (header.chunkBytes + tagBytes);
    const to = Math.min(file.length, from + header.chunkBytes + tagBytes);
    out.push(openChunk(perFile, header.raw, i, i === layout.chunks - 1, file.subarray(from, to)));
  }
  return Buffer.concat(out);
}

describe('the vault file format (chunked AES-256-GCM)', () => {
  it('round-trips every size around the chunk boundaries, at the size sealedSize predicts', async () => {
    const chunk = 16;
    for (const size of [0, 1, 15, 16, 17, 31, 32, 33, 48, 100, 1000]) {
      const plain = randomBytes(size);
      const file = await encrypt(plain, chunk);
      expect(file.length, `size ${size}`).toBe(sealedSize(size, chunk));
      expect(layoutOf(file.length, chunk)).toEqual({ chunks: Math.max(1, Math.ceil(size / chunk)), plainBytes: size });
      expect(decryptAll(file).equals(plain), `size ${size}`).toBe(true);
    }
  });

  it('writes the documented header: magic, chunk size, zeros, a random salt', async () => {
    const a = await encrypt(Buffer.from('same content'), 64 * 1024);
    const b = await encrypt(Buffer.from('same content'), 64 * 1024);
    expect(a.subarray(0, 8).equals(cipherMagic)).toBe(true);
    expect(a.readUInt32BE(8)).toBe(65536);
    expect(a.readUInt32BE(12)).toBe(0);
    expect(a.subarray(16, 32).equals(b.subarray(16, 32))).toBe(false);
    // one content, two unrelated files: no equal bytes after the header
    expect(a.subarray(headerBytes).equals(b.subarray(headerBytes))).toBe(false);
    expect(sealedSize(12)).toBe(32 + 12 + 16);
  });

  it('is AES-256-GCM with the key from HKDF-SHA256(vault key, salt) and the chunk index as nonce', async () => {
    const file = await encrypt(Buffer.from('0123456789abcdefXYZ'), 16);
    const salt = file.subarray(16, 32);
    const perFile = Buffer.from(hkdfSync('sha256', key, salt, Buffer.from('walkscope vault file v1'), 32));
    const iv = Buffer.alloc(12);
    iv.writeUInt32BE(0, 8);
    const aad = Buffer.concat([file.subarray(0, 32), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0])]);
    const decipher = createDecipheriv('aes-256-gcm', perFile, iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(file.subarray(32 + 16, 32 + 32));
    expect(Buffer.concat([decipher.update(file.subarray(32, 48)), decipher.final()]).toString()).toBe('0123456789abcdef');
  });

  it('refuses a changed byte, swapped chunks, a changed header and a file cut at a chunk boundary', async () => {
    const plain = randomBytes(64);
    const file = await encrypt(plain, 16);
    const sealed = 16 + tagBytes;
    const flipped = Buffer.from(file);
    flipped[headerBytes + sealed + 3]! ^= 1;
    expect(() => decryptAll(flipped)).toThrow();
    const swapped = Buffer.concat([file.subarray(0, headerBytes), file.subarray(headerBytes + sealed, headerBytes + 2 * sealed), file.subarray(headerBytes, headerBytes + sealed), file.subarray(headerBytes + 2 * sealed)]);
    expect(() => decryptAll(swapped)).toThrow();
    const otherSalt = Buffer.from(file);
    otherSalt[20]! ^= 1;
    expect(() => decryptAll(otherSalt)).toThrow();
    // three whole chunks of four: chunk 2 was sealed as "not last"
    const cut = file.subarray(0, headerBytes + 3 * sealed);
    expect(layoutOf(cut.length, 16)).toEqual({ chunks: 3, plainBytes: 48 });
    expect(() => decryptAll(cut)).toThrow();
  });

  it('knows which sizes cannot be a whole file', () => {
    expect(layoutOf(headerBytes + tagBytes - 1, 16)).toBeUndefined();
    expect(layoutOf(headerBytes + (16 + tagBytes) + tagBytes, 16)).toBeUndefined();
    expect(layoutOf(headerBytes + tagBytes, 16)).toEqual({ chunks: 1, plainBytes: 0 });
    expect(parseHeader(Buffer.from('not an encrypted file at all, just text'))).toBeUndefined();
  });

  it('derives the vault key from the database key, and only from a key', () => {
    const hex = 'ab'.repeat(32);
    expect(vaultKeyFromDatabaseKey(hex).equals(Buffer.from(hkdfSync('sha256', Buffer.from(hex, 'hex'), Buffer.from('walkscope'), Buffer.from('walkscope vault key v1'), 32)))).toBe(true);
    expect(vaultKeyFromDatabaseKey(hex).equals(Buffer.from(hex, 'hex'))).toBe(false);
    expect(() => vaultKeyFromDatabaseKey('abc')).toThrow(/64 hex/);
  });
});
