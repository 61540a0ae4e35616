import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sha256Of } from '../modelLock.js';

/**
 * Converted detector and pose model graphs kept on disk, so a detection worker starts in about 0.1 s (an
 * onnxruntime session from the bytes) instead of about 0.8 s (starting tfjs, loading the
 * graph, evaluating it once and converting it). A cache only: a missing, unreadable or
 * damaged entry is converted again, and a cache that cannot be written costs only time.
 *
 * Per user (never a shared temporary folder: another account could plant a model there):
 * WALKSCOPE_CACHE_DIR, else the platform's cache folder (XDG_CACHE_HOME or ~/.cache on Linux,
 * ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows), in a `WalkScope/detectors` folder.
 * An entry is named after everything that decides its bytes: the model files' SHA-256 (the
 * files are verified against resources/models.lock.json first), the input size, the output and
 * the converter's version; beside it, the SHA-256 of the bytes, checked at every read.
 */

/** Bump when tfGraphToOnnx would write different bytes for the same graph: old entries are then never read. */
export const converterVersion = 1;

export function detectorCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.WALKSCOPE_CACHE_DIR) return env.WALKSCOPE_CACHE_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'WalkScope', 'Cache', 'detectors');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'WalkScope', 'detectors');
  return join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'WalkScope', 'detectors');
}

export interface ConversionKey {
  model: string;
  /** SHA-256 of the model's files as verified at load. */
  sha256: { json: string; bin: string };
  width: number;
  height: number;
  /** The output read back; several are joined with commas. */
  output: string;
  /** The factor the input bytes are multiplied by in the graph (absent: none). */
  inputScale?: number | undefined;
}

/** The entry's file name: readable parts, then a hash of all of them. */
export function cacheEntryName(key: ConversionKey): string {
  const digest = createHash('sha256')
    // the scale only when there is one: entries of graphs without it keep their names
    .update(JSON.stringify([converterVersion, key.model, key.sha256.json, key.sha256.bin, key.width, key.height, key.output, ...(key.inputScale === undefined ? [] : [key.inputScale])]))
    .digest('hex')
    .slice(0, 24);
  return `${key.model}-${key.width}x${key.height}-${digest}.onnx`;
}

/** The cached bytes if present and intact, else undefined (a damaged entry is removed). */
export function readCachedModel(dir: string, key: ConversionKey): Uint8Array | undefined {
  const file = join(dir, cacheEntryName(key));
  let bytes: Buffer;
  let expected: string;
  try {
    bytes = readFileSync(file);
    expected = readFileSync(`${file}.sha256`, 'utf8').trim();
  } catch {
    return undefined;
  }
  if (sha256Of(bytes) === expected) return bytes;
  rmSync(file, { force: true });
  rmSync(`${file}.sha256`, { force: true });
  return undefined;
}

/**
 * Stores converted bytes: each file written under a unique temporary name and renamed into
 * place (workers converting the same size at once never see half a file). Returns false when
 * the cache cannot be written (read-only home, full disk): the caller goes on without it.
 */
export function writeCachedModel(dir: string, key: ConversionKey, bytes: Uint8Array): boolean {
  const file = join(dir, cacheEntryName(key));
  const temp = `${file}.${randomBytes(6).toString('hex')}.part`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${temp}.sha256`, `${sha256Of(bytes)}\n`);
    writeFileSync(temp, bytes);
    // the checksum first: a reader that finds the model finds its checksum too
    renameSync(`${temp}.sha256`, `${file}.sha256`);
    renameSync(temp, file);
    return true;
  } catch {
    for (const leftover of [temp, `${temp}.sha256`]) {
      try {
        rmSync(leftover, { force: true });
      } catch {
        // the folder itself is unusable: nothing was left in it
      }
    }
    return false;
  }
}
