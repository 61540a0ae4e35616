import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AppError } from '../contract/errors.js';
import { fileKey, headerBytes, layoutOf, openChunk, parseHeader, tagBytes, type CipherHeader } from './chunkedCipher.js';

/**
 * A vault file opened for reading byte ranges of its plain content, whether it is stored in clear
 * (files from before encryption was turned on, model bundles) or encrypted (chunkedCipher.ts).
 * The two look the same to the media routes and to the loopback server ffmpeg reads through.
 */
export interface StoredFile {
  /** Bytes of plain content. */
  readonly size: number;
  readonly encrypted: boolean;
  /** The bytes start..end (inclusive) of the plain content; the stream ends at `end`. */
  stream(start: number, end: number): Readable;
  /** All of it in memory (a thumbnail). */
  readAll(): Promise<Buffer>;
  close(): Promise<void>;
}

/** Not on Windows; there the caller's realpath check alone keeps a file inside the vault. */
const noFollow = constants.O_NOFOLLOW ?? 0;

/** True when the file at `path` is stored encrypted. */
export async function isEncryptedFile(path: string): Promise<boolean> {
  const handle = await open(path, constants.O_RDONLY | noFollow);
  try {
    const head = Buffer.alloc(headerBytes);
    const { bytesRead } = await handle.read(head, 0, headerBytes, 0);
    return parseHeader(head.subarray(0, bytesRead)) !== undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Opens `path` (never through a symbolic link at its last component). An encrypted file needs
 * the vault key: without it the answer is VAULT_KEY_MISSING, with a wrong one or damaged bytes
 * the stream fails with VAULT_FILE_DAMAGED when it reaches the chunk that does not authenticate.
 */
export async function openStoredFile(path: string, vaultKey: Buffer | undefined): Promise<StoredFile> {
  const handle = await open(path, constants.O_RDONLY | noFollow);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new AppError('FILE_NOT_FOUND', `${path} is not a regular file`);
    const head = Buffer.alloc(headerBytes);
    const { bytesRead } = await handle.read(head, 0, headerBytes, 0);
    const header = parseHeader(head.subarray(0, bytesRead));
    if (!header) return plainFile(handle, info.size);
    if (!vaultKey) throw new AppError('VAULT_KEY_MISSING', path);
    const layout = layoutOf(info.size, header.chunkBytes);
    if (!layout) throw new AppError('VAULT_FILE_DAMAGED', `${path} (its size, ${info.size} bytes, is not that of a whole encrypted file)`);
    return encryptedFile(handle, path, header, layout, fileKey(vaultKey, header.salt));
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Bytes read at a time from a plain file. */
const plainReadBytes = 256 * 1024;

function plainFile(handle: FileHandle, size: number): StoredFile {
  // read with positioned reads rather than handle.createReadStream: many ranges of one open file
  // (a seeking player) would each leave a listener on the handle
  async function* range(start: number, end: number): AsyncGenerator<Buffer> {
    const last = Math.min(end, size - 1);
    for (let at = start; at <= last; ) {
      const piece = Buffer.alloc(Math.min(plainReadBytes, last - at + 1));
      const { bytesRead } = await handle.read(piece, 0, piece.length, at);
      if (bytesRead === 0) return;
      yield piece.subarray(0, bytesRead);
      at += bytesRead;
    }
  }
  return {
    size,
    encrypted: false,
    stream: (start, end) => Readable.from(range(start, end), { objectMode: false }),
    readAll: async () => handle.readFile(),
    close: () => handle.close(),
  };
}

function encryptedFile(handle: FileHandle, path: string, header: CipherHeader, layout: { chunks: number; plainBytes: number }, key: Buffer): StoredFile {
  const sealedChunk = header.chunkBytes + tagBytes;
  const readChunk = async (index: number): Promise<Buffer> => {
    const offset = headerBytes + index * sealedChunk;
    const last = index === layout.chunks - 1;
    const length = last ? layout.plainBytes - index * header.chunkBytes + tagBytes : sealedChunk;
    const sealed = Buffer.alloc(length);
    const { bytesRead } = await handle.read(sealed, 0, length, offset);
    try {
      if (bytesRead !== length) throw new Error('short read');
      return openChunk(key, header.raw, index, last, sealed);
    } catch (cause) {
      throw new AppError('VAULT_FILE_DAMAGED', `${path} (chunk ${index} of ${layout.chunks} does not authenticate: a wrong key or changed bytes)`, { cause });
    }
  };
  async function* range(start: number, end: number): AsyncGenerator<Buffer> {
    if (layout.plainBytes === 0 || end < start) return;
    const first = Math.floor(start / header.chunkBytes);
    const lastIndex = Math.floor(Math.min(end, layout.plainBytes - 1) / header.chunkBytes);
    for (let index = first; index <= lastIndex; index++) {
      const plain = await readChunk(index);
      const base = index * header.chunkBytes;
      yield plain.subarray(Math.max(0, start - base), Math.min(plain.length, end - base + 1));
    }
  }
  return {
    size: layout.plainBytes,
    encrypted: true,
    stream: (start, end) => Readable.from(range(start, end), { objectMode: false }),
    readAll: async () => {
      const parts: Buffer[] = [];
      for await (const part of range(0, layout.plainBytes - 1)) parts.push(part);
      return Buffer.concat(parts);
    },
    close: () => handle.close(),
  };
}
