import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { AppError } from '../contract/errors.js';

/** A file in the shared media folder: its SHA-256 and the extension it keeps (ffmpeg and onnxruntime are happier with one). */
export const mediaRefSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), ext: z.string().regex(/^(\.[a-z0-9]{1,8})?$/) }).strict();
export type MediaRef = z.infer<typeof mediaRefSchema>;

/** A folder of files (a model bundle), each by its reference, under the names it had. */
export const mediaFolderRefSchema = z.object({ files: z.array(z.object({ name: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/), ref: mediaRefSchema }).strict()).min(1) }).strict();
export type MediaFolderRef = z.infer<typeof mediaFolderRefSchema>;

const shaName = /^[0-9a-f]{64}$/;

function extensionOf(path: string): string {
  const ext = extname(path).toLowerCase();
  return /^\.[a-z0-9]{1,8}$/.test(ext) ? ext : '';
}

/** A stream stage that hashes what passes through it. */
function hashing(hash: ReturnType<typeof createHash>): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

/**
 * The content-addressed media folder that the coordinator and every worker reach (the
 * hospital NAS mounted on each machine): `objects/<ab>/<sha256><ext>`. Files arrive through a
 * temporary file under `tmp/<owner>/` that is hashed as it is written, fsynced and renamed into
 * place, so a half-written file never has a real name; a reader copies an object out while
 * hashing it again and refuses it when the hash is not its name (a worker never trusts a file
 * it did not verify). The folder holds plain (unencrypted) videos: it is as sensitive as the
 * vault, and the hospital's NAS permissions are what protect it.
 */
export class SharedMediaStore {
  readonly objectsDir: string;
  readonly tmpRoot: string;

  constructor(
    readonly root: string,
    /** Names this process's temporary folder (a worker id, or the coordinator's runner id). */
    readonly owner: string,
  ) {
    this.objectsDir = join(root, 'objects');
    this.tmpRoot = join(root, 'tmp');
  }

  /** Checks that the folder exists and can be written (a missing NAS mount is named, not created on the local disk). */
  async init(): Promise<void> {
    const info = await stat(this.root).catch(() => null);
    if (!info?.isDirectory()) throw new AppError('MEDIA_FOLDER_INVALID', `${this.root} does not exist or is not a folder (mount the shared folder first)`);
    await mkdir(this.objectsDir, { recursive: true });
    await mkdir(this.tempDir(), { recursive: true });
  }

  private tempDir(): string {
    return join(this.tmpRoot, ownerFolderName(this.owner));
  }

  pathOf(ref: MediaRef): string {
    return join(this.objectsDir, ref.sha256.slice(0, 2), `${ref.sha256}${ref.ext}`);
  }

  async has(ref: MediaRef): Promise<boolean> {
    return (await stat(this.pathOf(ref)).catch(() => null))?.isFile() ?? false;
  }

  /**
   * Puts a file in. `knownSha256` is the caller's own record of its content (the vault's name for
   * it): when an object of that name is already there, nothing is read; otherwise the file is
   * hashed as it is copied and a record that does not match is refused.
   */
  async put(path: string, knownSha256?: string, signal?: AbortSignal): Promise<MediaRef> {
    const ext = extensionOf(path);
    const expected = knownSha256 ?? (shaName.test(basename(path, extname(path))) ? basename(path, extname(path)) : undefined);
    if (expected && (await this.has({ sha256: expected, ext }))) return { sha256: expected, ext };
    await mkdir(this.tempDir(), { recursive: true });
    const temp = join(this.tempDir(), `${randomBytes(8).toString('hex')}.part`);
    const hash = createHash('sha256');
    try {
      await pipeline(createReadStream(path), hashing(hash), createWriteStream(temp, { flags: 'wx' }), signal ? { signal } : {});
      await fsync(temp);
      const sha256 = hash.digest('hex');
      if (expected && expected !== sha256) throw new AppError('MEDIA_HASH_MISMATCH', `${basename(path)} holds content ${sha256.slice(0, 12)}…, not the ${expected.slice(0, 12)}… it was recorded with`);
      const ref = { sha256, ext };
      await mkdir(join(this.objectsDir, sha256.slice(0, 2)), { recursive: true });
      await rename(temp, this.pathOf(ref));
      return ref;
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** Puts every file of a flat folder in (a model bundle); a subfolder is refused. */
  async putFolder(dir: string, signal?: AbortSignal): Promise<MediaFolderRef> {
    const files: MediaFolderRef['files'] = [];
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isFile()) throw new AppError('MEDIA_FOLDER_INVALID', `${join(dir, entry.name)} is not a plain file (a folder sent to workers must be flat)`);
      files.push({ name: entry.name, ref: await this.put(join(dir, entry.name), undefined, signal) });
    }
    if (files.length === 0) throw new AppError('MEDIA_FOLDER_INVALID', `${dir} is empty`);
    return { files };
  }

  /**
   * Copies an object to `dest` (through a temporary name beside it), hashing it on the way; a
   * missing object or one whose content is not its name is refused and nothing is left at `dest`.
   */
  async fetch(ref: MediaRef, dest: string, signal?: AbortSignal): Promise<void> {
    const source = this.pathOf(ref);
    if (!(await this.has(ref))) throw new AppError('MEDIA_MISSING', `${ref.sha256.slice(0, 12)}…${ref.ext} is not in the shared media folder ${this.root}`);
    const temp = `${dest}.${randomBytes(4).toString('hex')}.part`;
    const hash = createHash('sha256');
    try {
      await pipeline(createReadStream(source), hashing(hash), createWriteStream(temp, { flags: 'wx' }), signal ? { signal } : {});
      const sha256 = hash.digest('hex');
      if (sha256 !== ref.sha256) throw new AppError('MEDIA_HASH_MISMATCH', `the shared file ${ref.sha256.slice(0, 12)}…${ref.ext} holds content ${sha256.slice(0, 12)}… (it was changed or damaged after it was written)`);
      await fsync(temp);
      await rename(temp, dest);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async remove(ref: MediaRef): Promise<void> {
    await rm(this.pathOf(ref), { force: true });
  }

  /**
   * Removes the temporary folders of owners that are gone: what a worker killed mid-copy left
   * behind. A worker's folder goes when `isAlive` says it is gone (workers register in Redis); a
   * coordinator's (`coordinator-*`, which does not register) only when untouched for `coordinatorAgeMs`.
   * This process's own folder is kept.
   */
  async sweepTemp(isAlive: (owner: string) => boolean | Promise<boolean>, coordinatorAgeMs = 3_600_000): Promise<string[]> {
    const removed: string[] = [];
    for (const name of await readdir(this.tmpRoot).catch(() => [] as string[])) {
      if (join(this.tmpRoot, name) === this.tempDir()) continue;
      if (name.startsWith('coordinator-')) {
        const info = await stat(join(this.tmpRoot, name)).catch(() => null);
        if (!info || Date.now() - info.mtimeMs < coordinatorAgeMs) continue;
      } else if (await isAlive(name)) continue;
      await rm(join(this.tmpRoot, name), { recursive: true, force: true });
      removed.push(name);
    }
    return removed;
  }

  /** Removes this process's temporary folder when it stops (nothing in it is anyone else's). */
  async removeOwnTemp(): Promise<void> {
    await rm(this.tempDir(), { recursive: true, force: true });
  }

  /** Every object's reference (tests and the folder's clean-up). */
  async list(): Promise<MediaRef[]> {
    const refs: MediaRef[] = [];
    for (const prefix of await readdir(this.objectsDir).catch(() => [] as string[])) {
      for (const name of await readdir(join(this.objectsDir, prefix)).catch(() => [] as string[])) {
        const ext = extname(name);
        const sha256 = basename(name, ext);
        if (shaName.test(sha256)) refs.push({ sha256, ext });
      }
    }
    return refs;
  }
}

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A folder name for an owner id (the same rule the store uses for its temporary folders). */
export function ownerFolderName(owner: string): string {
  return owner.replace(/[^A-Za-z0-9._-]/g, '_');
}
