import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../contract/errors.js';

/**
 * Serve mode only: a browser cannot hand a file path to the back end, so it streams the file
 * into a private upload folder and imports it by upload id. Uploads are removed after the
 * import (whatever its outcome) and at start.
 */
export class UploadArea {
  constructor(private readonly dir: string) {}

  async init(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
  }

  async receive(body: Readable, maxBytes: number): Promise<{ uploadId: string; sizeBytes: number }> {
    const uploadId = randomBytes(16).toString('hex');
    const file = this.pathOf(uploadId);
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) body.destroy(new Error(`upload larger than ${maxBytes} bytes`));
    });
    try {
      await pipeline(body, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
    return { uploadId, sizeBytes: size };
  }

  pathOf(uploadId: string): string {
    if (!/^[a-f0-9]{32}$/.test(uploadId)) throw new AppError('UPLOAD_NOT_FOUND', uploadId);
    return join(this.dir, uploadId);
  }

  async existing(uploadId: string): Promise<string> {
    const file = this.pathOf(uploadId);
    await stat(file).catch((cause: unknown) => {
      throw new AppError('UPLOAD_NOT_FOUND', uploadId, { cause });
    });
    return file;
  }

  async discard(uploadId: string): Promise<void> {
    await rm(this.pathOf(uploadId), { force: true });
  }

  async count(): Promise<number> {
    return (await readdir(this.dir).catch(() => [])).length;
  }
}
