import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EncryptingStream } from '../filecrypt/chunkedCipher.js';
import { MediaInputServer } from '../filecrypt/mediaInputServer.js';
import { openStoredFile, type StoredFile } from '../filecrypt/storedFile.js';

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

/**
 * Which vault files are encrypted when the vault has a key: the patients' videos, the person-centred
 * clips and the thumbnails. Model bundles are not patient data, and onnxruntime loads them by path.
 */
export function isEncryptedArea(vaultPath: string): boolean {
  return !vaultPath.startsWith('models/');
}

function basenameWithoutExtension(vaultPath: string): string {
  const name = vaultPath.slice(vaultPath.lastIndexOf('/') + 1);
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

const videoExtensions = new Set(['.mp4', '.mov', '.m4v', '.mkv', '.webm', '.avi', '.mts', '.mpg', '.mpeg', '.wmv']);

/**
 * The vault keeps one copy of every imported file under its SHA-256. Files arrive through a
 * temporary file that is fsynced and renamed into place, so a crash never leaves half a file
 * under a real name; originals on the user's disk are only ever read.
 */
export class Vault {
  readonly tmpDir: string;
  /**
   * @param key the vault key (filecrypt/vaultKey.ts) when encryption at rest is on: new files of
   *   the encrypted area are written encrypted; files of either kind are read.
   */
  constructor(
    readonly root: string,
    readonly key?: Buffer,
  ) {
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

  /** Opens a stored file for reading its plain content (decrypted as it is read when it is encrypted). */
  open(vaultPath: string): Promise<StoredFile> {
    return openStoredFile(this.absolute(vaultPath), this.key);
  }

  /**
   * Runs `work` with what ffmpeg should read for a stored file: its path, or for an encrypted file
   * an address on a loopback media server that lives only until `work` ends.
   */
  async withMediaInput<T>(vaultPath: string, work: (input: string) => Promise<T>): Promise<T> {
    const server = new MediaInputServer(this.key);
    try {
      return await work(await server.input(this.absolute(vaultPath)));
    } catch (error) {
      if (error instanceof Error) error.message = server.redact(error.message);
      throw error;
    } finally {
      await server.close();
    }
  }

  /** A stored file's plain content, whole (thumbnails). */
  async read(vaultPath: string): Promise<Buffer> {
    const file = await this.open(vaultPath);
    try {
      return await file.readAll();
    } finally {
      await file.close();
    }
  }

  /** Copies a file in, hashing its plain bytes in the same pass (and encrypting them when the vault has a key). */
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
      const stages = this.key ? [tap, new EncryptingStream(this.key)] : [tap];
      await pipeline([createReadStream(source), ...stages, createWriteStream(temp, { flags: 'wx', mode: vaultFileMode })], { signal: options.signal });
      const handle = await open(temp, 'r+');
      await handle.sync();
      await handle.close();
      const sha256 = hash.digest('hex');
      const vaultPath = `videos/${sha256.slice(0, 2)}/${sha256}${ext}`;
      const target = this.absolute(vaultPath);
      const existing = await this.plainSize(target);
      if (existing === bytes) {
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

  /**
   * Moves a finished temporary file into place under a chosen vault path. With a key, a file of
   * the encrypted area is encrypted into a second temporary file, fsynced, renamed into place, and
   * the plain one removed (ffmpeg writes the clips and thumbnails in clear into vault/tmp).
   */
  async adopt(temp: string, vaultPath: string): Promise<void> {
    const target = this.absolute(vaultPath);
    await privateFolder(join(target, '..'));
    if (this.key && isEncryptedArea(vaultPath) && !(await lstat(temp)).isDirectory()) {
      const sealed = this.tempPath('.sealed');
      try {
        await this.encryptFile(temp, sealed);
        await rename(sealed, target);
      } finally {
        await rm(sealed, { force: true });
      }
      await rm(temp, { force: true });
      return;
    }
    // ffmpeg and the model installer write with the umask's modes: the vault's copy is private
    await makePrivate(temp);
    await rename(temp, target);
  }

  /**
   * Encrypts one stored plain file in place (`walkscope db encrypt`): written beside it, checked by
   * reading it back against the name's SHA-256 where the name is one, and renamed over it. False
   * when it was already encrypted or is outside the encrypted area.
   */
  async encryptInPlace(vaultPath: string): Promise<boolean> {
    if (!this.key) throw new Error('the vault has no key');
    if (!isEncryptedArea(vaultPath)) return false;
    const target = this.absolute(vaultPath);
    const before = await openStoredFile(target, this.key);
    const wasEncrypted = before.encrypted;
    await before.close();
    if (wasEncrypted) return false;
    const sealed = this.tempPath('.sealed');
    try {
      await this.encryptFile(target, sealed);
      const named = /^[0-9a-f]{64}$/.exec(basenameWithoutExtension(vaultPath))?.[0];
      if (named && vaultPath.startsWith('videos/')) {
        const check = await openStoredFile(sealed, this.key);
        const hash = createHash('sha256');
        try {
          for await (const part of check.stream(0, check.size - 1)) hash.update(part as Buffer);
        } finally {
          await check.close();
        }
        if (hash.digest('hex') !== named) throw new Error(`${vaultPath} does not read back as its SHA-256 after encryption; it was left as it was`);
      }
      await rename(sealed, target);
      return true;
    } finally {
      await rm(sealed, { force: true });
    }
  }

  private async encryptFile(plain: string, sealed: string): Promise<void> {
    if (!this.key) throw new Error('the vault has no key');
    await pipeline(createReadStream(plain), new EncryptingStream(this.key), createWriteStream(sealed, { flags: 'wx', mode: vaultFileMode }));
    const handle = await open(sealed, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(sealed, vaultFileMode);
  }

  /** The plain size of a stored file, or undefined when there is none (or it cannot be read). */
  private async plainSize(target: string): Promise<number | undefined> {
    const info = await stat(target).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const file = await openStoredFile(target, this.key).catch(() => undefined);
    if (!file) return undefined;
    await file.close();
    return file.size;
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
