import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * The vault's encrypted file format: AES-256-GCM over fixed-size chunks, so any byte range can be
 * read by decrypting only the chunks it touches (the player seeks, ffmpeg reads the index at the
 * end of an MP4 first).
 *
 *   header (32 bytes): "WSVAULT1" | chunk size, u32 big-endian | 4 zero bytes | salt (16 random bytes)
 *   then chunk 0, 1, ... each: ciphertext (chunk size bytes, the last one 0..chunk size) | tag (16)
 *
 * Every file has its own key, HKDF-SHA256(vault key, salt), so the nonce can simply be the chunk's
 * index. Each chunk's tag also covers the header, its index and whether it is the last chunk: a
 * swapped, reordered or dropped chunk, a file cut at a chunk boundary or a changed header all
 * fail to decrypt. The plain size follows from the file size, so nothing else is stored.
 */

export const cipherMagic = Buffer.from('WSVAULT1', 'latin1');
export const headerBytes = 32;
export const tagBytes = 16;
/** 64 KiB: one chunk per typical HTTP read of a player, about 0.02% overhead in tags. */
export const defaultChunkBytes = 64 * 1024;

const fileKeyInfo = Buffer.from('walkscope vault file v1', 'latin1');

/** What the header says; the salt selects the file's key. */
export interface CipherHeader {
  chunkBytes: number;
  salt: Buffer;
  /** The 32 bytes as written, authenticated with every chunk. */
  raw: Buffer;
}

export function newHeader(chunkBytes = defaultChunkBytes): CipherHeader {
  if (!Number.isInteger(chunkBytes) || chunkBytes < 16 || chunkBytes > 16 * 1024 * 1024) throw new RangeError(`chunk size ${chunkBytes} is out of range`);
  const raw = Buffer.alloc(headerBytes);
  cipherMagic.copy(raw, 0);
  raw.writeUInt32BE(chunkBytes, 8);
  const salt = randomBytes(16);
  salt.copy(raw, 16);
  return { chunkBytes, salt, raw };
}

/** True when the bytes begin like an encrypted vault file. */
export function hasCipherMagic(head: Buffer): boolean {
  return head.length >= cipherMagic.length && head.subarray(0, cipherMagic.length).equals(cipherMagic);
}

/** Reads a header; undefined when the bytes are not one (a plain file). */
export function parseHeader(raw: Buffer): CipherHeader | undefined {
  if (raw.length < headerBytes || !hasCipherMagic(raw)) return undefined;
  const chunkBytes = raw.readUInt32BE(8);
  if (chunkBytes < 16 || chunkBytes > 16 * 1024 * 1024 || raw.readUInt32BE(12) !== 0) return undefined;
  const copy = Buffer.from(raw.subarray(0, headerBytes));
  return { chunkBytes, salt: copy.subarray(16, 32), raw: copy };
}

export function fileKey(vaultKey: Buffer, salt: Buffer): Buffer {
  if (vaultKey.length !== 32) throw new RangeError('the vault key must be 32 bytes');
  return Buffer.from(hkdfSync('sha256', vaultKey, salt, fileKeyInfo, 32));
}

function nonce(index: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(index), 4);
  return iv;
}

function associatedData(header: Buffer, index: number, last: boolean): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(index), 0);
  tail[8] = last ? 1 : 0;
  return Buffer.concat([header, tail]);
}

export function sealChunk(key: Buffer, header: Buffer, index: number, last: boolean, plain: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce(index));
  cipher.setAAD(associatedData(header, index, last));
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** Decrypts one sealed chunk; throws when it does not authenticate. */
export function openChunk(key: Buffer, header: Buffer, index: number, last: boolean, sealed: Buffer): Buffer {
  if (sealed.length < tagBytes) throw new Error(`chunk ${index} is shorter than its tag`);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce(index));
  decipher.setAAD(associatedData(header, index, last));
  decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - tagBytes)), decipher.final()]);
}

/** The layout of an encrypted file of `fileBytes` bytes; undefined when no whole file has that size. */
export function layoutOf(fileBytes: number, chunkBytes: number): { chunks: number; plainBytes: number } | undefined {
  const body = fileBytes - headerBytes;
  if (body < tagBytes) return undefined;
  const sealedChunk = chunkBytes + tagBytes;
  const chunks = Math.ceil(body / sealedChunk);
  const lastSealed = body - (chunks - 1) * sealedChunk;
  if (lastSealed < tagBytes) return undefined;
  // only an empty file has an empty last chunk
  if (lastSealed === tagBytes && chunks > 1) return undefined;
  return { chunks, plainBytes: body - chunks * tagBytes };
}

/** Bytes an encrypted copy of `plainBytes` takes on disk. */
export function sealedSize(plainBytes: number, chunkBytes = defaultChunkBytes): number {
  const chunks = Math.max(1, Math.ceil(plainBytes / chunkBytes));
  return headerBytes + plainBytes + chunks * tagBytes;
}

/**
 * A stream that encrypts what passes through it into the format above (header first). A chunk
 * is sealed only once the next byte has arrived, so the last one is known to be last.
 */
export class EncryptingStream extends Transform {
  private readonly header: CipherHeader;
  private readonly key: Buffer;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  private started = false;

  constructor(vaultKey: Buffer, chunkBytes = defaultChunkBytes) {
    super();
    this.header = newHeader(chunkBytes);
    this.key = fileKey(vaultKey, this.header.salt);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.started) {
      this.started = true;
      this.push(this.header.raw);
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const size = this.header.chunkBytes;
    if (this.pendingBytes > size) {
      let all = Buffer.concat(this.pending);
      while (all.length > size) {
        this.push(sealChunk(this.key, this.header.raw, this.index++, false, all.subarray(0, size)));
        all = all.subarray(size);
      }
      this.pending = [all];
      this.pendingBytes = all.length;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (!this.started) this.push(this.header.raw);
    this.push(sealChunk(this.key, this.header.raw, this.index, true, Buffer.concat(this.pending)));
    this.pending = [];
    done();
  }
}
