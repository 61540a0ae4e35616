import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, readdir, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../contract/errors.js';
import { defaultUploadLimits, uploadRefusal, type UploadLimits } from '../domain/uploadLimits.js';

export interface ReceiveOptions {
  /** The size the client declared (Content-Length), checked before a byte is written. */
  declaredBytes?: number | undefined;
  limits?: UploadLimits;
}

/**
 * Serve mode only: a browser cannot hand a file path to the back end, so it streams the file
 * into a private upload folder and imports it by upload id. Uploads are removed after the
 * import (whatever its outcome) and at start; an upload that is refused or cut off is removed at
 * once. What is held (received or arriving) is counted here, so the limits in
 * domain/uploadLimits.ts hold across concurrent uploads.
 */
export class UploadArea {
  /** Bytes each upload holds: received so far, or declared if more; kept until imported or discarded. */
  private readonly held = new Map<string, number>();

  constructor(
    private readonly dir: string,
    /** Free bytes on the upload folder's disk (statfs; tests give their own). */
    private readonly freeDiskBytes: () => Promise<number> = async () => {
      const info = await statfs(this.dir);
      return info.bavail * info.bsize;
    },
  ) {}

  async init(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    this.held.clear();
  }

  /**
   * Writes the body to a new upload file. Refuses with UPLOAD_TOO_LARGE before writing when
   * the declared size does not fit, or as soon as the received bytes stop fitting; either way,
   * or when the body ends early, the partial file is gone when this rejects. The body is left
   * unconsumed after a refusal (the caller answers, then lets it drain).
   */
  async receive(body: Readable, options: ReceiveOptions = {}): Promise<{ uploadId: string; sizeBytes: number }> {
    const limits = options.limits ?? defaultUploadLimits;
    const freeDiskBytes = await this.freeDiskBytes();
    const otherHeld = this.heldBytes();
    const refuseIfTooLarge = (fileBytes: number) => {
      const refusal = uploadRefusal({ fileBytes, heldBytes: otherHeld, freeDiskBytes }, limits);
      if (refusal) throw new AppError('UPLOAD_TOO_LARGE', refusal);
    };
    if (options.declaredBytes !== undefined) refuseIfTooLarge(options.declaredBytes);

    const uploadId = randomBytes(16).toString('hex');
    const file = this.pathOf(uploadId);
    this.held.set(uploadId, options.declaredBytes ?? 0);
    let received = 0;
    try {
      await new Promise<void>((resolvePromise, reject) => {
        const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
        let settled = false;
        let ended = false;
        const fail = (error: unknown) => {
          if (settled) return;
          settled = true;
          body.off('data', onData);
          body.pause();
          out.destroy();
          // the write stream must have let go of the file before the caller removes it
          if (out.closed) reject(error);
          else out.once('close', () => reject(error));
        };
        const onData = (chunk: Buffer) => {
          received += chunk.length;
          try {
            refuseIfTooLarge(received);
          } catch (error) {
            return fail(error);
          }
          this.held.set(uploadId, Math.max(received, options.declaredBytes ?? 0));
          if (!out.write(chunk)) {
            body.pause();
            out.once('drain', () => body.resume());
          }
        };
        body.on('data', onData);
        body.once('end', () => {
          ended = true;
          if (!settled) out.end();
        });
        body.once('error', fail);
        body.once('close', () => {
          if (!ended) fail(new Error(`the upload was cut off after ${received} bytes`));
        });
        out.once('error', fail);
        out.once('finish', () => {
          if (settled) return;
          settled = true;
          resolvePromise();
        });
      });
    } catch (error) {
      this.held.delete(uploadId);
      await rm(file, { force: true });
      throw error;
    }
    this.held.set(uploadId, received);
    return { uploadId, sizeBytes: received };
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
    this.held.delete(uploadId);
  }

  /** Bytes held by uploads received or arriving (what the total limit counts). */
  heldBytes(): number {
    return [...this.held.values()].reduce((sum, bytes) => sum + bytes, 0);
  }

  async count(): Promise<number> {
    return (await readdir(this.dir).catch(() => [])).length;
  }
}
