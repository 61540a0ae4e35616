import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface IngestResult {
  sha256: string;
  /** Path inside the vault, with forward slashes, e.g. `videos/ab/ab12....mp4`. */
  vaultPath: string;
  sizeBytes: number;
  /** True when a file with the same content was already in the vault. */
  alreadyStored: boolean;
}

/**
 * A fresh path in a vault's temporary folder (`<vault>/tmp`, on the same file system as the
 * vault, so moving it into place is an atomic rename; emptied at start when no other process
 * uses the folder). Job workers write their outputs here; the main thread adopts them.
 */
export function vaultTempPath(vaultRoot: string, suffix: string): string {
  return join(vaultRoot, 'tmp', `${process.pid}-${randomBytes(8).toString('hex')}${suffix}`);
}

/** Vault files and folders are private to the account running WalkScope (they hold patient videos). */
const vaultFileMode = 0o600;
const vaultFolderMode = 0o700;

/** Creates a folder (with missing parents) as 0700 whatever the umask; an existing one is left as it is. */
async function privateFolder(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: vaultFolderMode });
  if (first === undefined) return;
  for (let at = dir; ; at = join(at, '..')) {
    await chmod(at, vaultFolderMode);
    if (at === first || join(at, '..') === at) break;
  }
}

/** A file 0600, a folder 0700 with everything in it (symbolic links are left alone). */
async function makePrivate(path: string): Promise<void> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) return;
  if (!info.isDirectory()) return chmod(path, vaultFileMode);
  await chmod(path, vaultFolderMode);
  for (const name of await readdir(path)) await makePrivate(join(path, name));
}

const videoExtensions = new Set(['.mp4', '.mov', '.m4v', '.mkv', '.webm', '.avi', '.mts', '.mpg', '.mpeg', '.wmv']);

/**
 * The vault keeps one copy of every imported file under its SHA-256. Files arrive through a
 * temporary file that is fsynced and renamed into place, so a crash never leaves half a file
 * under a real name; originals on the user's disk are only ever read.
 */
export class Vault {
  readonly tmpDir: string;
  constructor(readonly root: string) {
    this.tmpDir = join(root, 'tmp');
  }

  async init(): Promise<void> {
    for (const dir of [this.root, join(this.root, 'videos'), join(this.root, 'thumbnails'), join(this.root, 'models'), this.tmpDir]) await privateFolder(dir);
  }

  absolute(vaultPath: string): string {
    const full = join(this.root, ...vaultPath.split('/'));
    if (!full.startsWith(this.root + sep)) throw new Error(`vault path escapes the vault: ${vaultPath}`);
    return full;
  }

  /** A fresh temporary path inside the vault (see vaultTempPath). */
  tempPath(suffix: string): string {
    return vaultTempPath(this.root, suffix);
  }

  /** Copies a file in, hashing it in the same pass. */
  async ingest(source: string, options: { signal?: AbortSignal; onProgress?: (bytes: number) => void } = {}): Promise<IngestResult> {
    const ext = videoExtensions.has(extname(source).toLowerCase()) ? extname(source).toLowerCase() : '.bin';
    const temp = this.tempPath('.part');
    const hash = createHash('sha256');
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        bytes += chunk.length;
        options.onProgress?.(bytes);
        done(null, chunk);
      },
    });
    try {
      await pipeline(createReadStream(source), tap, createWriteStream(temp, { flags: 'wx', mode: vaultFileMode }), { signal: options.signal });
      const handle = await open(temp, 'r+');
      await handle.sync();
      await handle.close();
      const sha256 = hash.digest('hex');
      const vaultPath = `videos/${sha256.slice(0, 2)}/${sha256}${ext}`;
      const target = this.absolute(vaultPath);
      const existing = await stat(target).catch(() => undefined);
      if (existing && existing.size === bytes) {
        await rm(temp, { force: true });
        return { sha256, vaultPath, sizeBytes: bytes, alreadyStored: true };
      }
      await privateFolder(join(this.root, 'videos', sha256.slice(0, 2)));
      await chmod(temp, vaultFileMode);
      await rename(temp, target);
      return { sha256, vaultPath, sizeBytes: bytes, alreadyStored: false };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** Moves a finished temporary file into place under a chosen vault path. */
  async adopt(temp: string, vaultPath: string): Promise<void> {
    const target = this.absolute(vaultPath);
    await privateFolder(join(target, '..'));
    // ffmpeg and the model installer write with the umask's modes: the vault's copy is private
    await makePrivate(temp);
    await rename(temp, target);
  }

  async remove(vaultPath: string): Promise<void> {
    await rm(this.absolute(vaultPath), { force: true, recursive: true });
  }

  /** Every file in the vault (excluding tmp), as vault paths. */
  async listFiles(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (full !== this.tmpDir) await walk(full);
        } else {
          out.push(relative(this.root, full).split(sep).join('/'));
        }
      }
    };
    await walk(this.root);
    return out;
  }

  /**
   * Removes what a crash can leave behind: temporary files, and stored files no database row
   * refers to (a crash between the rename and the database insert). Call it only when no other
   * WalkScope process is using the same data folder.
   */
  async sweep(referenced: (vaultPath: string) => boolean): Promise<string[]> {
    const removed: string[] = [];
    for (const name of await readdir(this.tmpDir).catch(() => [] as string[])) {
      await rm(join(this.tmpDir, name), { force: true, recursive: true });
      removed.push(`tmp/${name}`);
    }
    for (const file of await this.listFiles()) {
      if (!referenced(file)) {
        await rm(this.absolute(file), { force: true });
        removed.push(file);
      }
    }
    return removed;
  }
}
