import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheEntryName, detectorCacheDir, readCachedModel, writeCachedModel, type ConversionKey } from '../../../../src-main/detect/onnx/conversionCache.js';

const key: ConversionKey = { model: 'movenet-multipose', sha256: { json: 'a'.repeat(64), bin: 'b'.repeat(64) }, width: 256, height: 160, output: 'Identity' };
let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('conversion cache for detector graphs', () => {
  it('lives in the per-user cache folder of each platform, or WALKSCOPE_CACHE_DIR', () => {
    expect(detectorCacheDir({}, 'linux', '/home/ana')).toBe('/home/ana/.cache/WalkScope/detectors');
    expect(detectorCacheDir({ XDG_CACHE_HOME: '/var/cache/ana' }, 'linux', '/home/ana')).toBe('/var/cache/ana/WalkScope/detectors');
    expect(detectorCacheDir({}, 'darwin', '/Users/ana')).toBe('/Users/ana/Library/Caches/WalkScope/detectors');
    expect(detectorCacheDir({ LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, 'win32', 'C:\\Users\\ana')).toBe(join('C:\\Users\\ana\\AppData\\Local', 'WalkScope', 'Cache', 'detectors'));
    expect(detectorCacheDir({ WALKSCOPE_CACHE_DIR: '/srv/cache' }, 'linux', '/home/ana')).toBe('/srv/cache');
  });

  it('names an entry after the model files, the size and the output: any change is another entry', () => {
    const name = cacheEntryName(key);
    expect(name).toMatch(/^movenet-multipose-256x160-[0-9a-f]{24}\.onnx$/);
    expect(cacheEntryName({ ...key })).toBe(name);
    // an input scale (BlazePose's pixels / 255) is part of the entry; none keeps the name entries had before scales existed
    expect(cacheEntryName({ ...key, inputScale: undefined })).toBe(name);
    for (const other of [{ ...key, width: 160, height: 256 }, { ...key, sha256: { ...key.sha256, bin: 'c'.repeat(64) } }, { ...key, output: 'Other' }, { ...key, output: 'Identity,Other' }, { ...key, inputScale: 1 / 255 }]) {
      expect(cacheEntryName(other)).not.toBe(name);
    }
  });

  it('reads back what it wrote, leaving no temporary files', () => {
    dir = mkdtempSync(join(tmpdir(), 'walkscope-cache-'));
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    expect(readCachedModel(dir, key)).toBeUndefined();
    expect(writeCachedModel(join(dir, 'nested'), key, bytes)).toBe(true);
    expect(Array.from(readCachedModel(join(dir, 'nested'), key)!)).toEqual(Array.from(bytes));
    expect(readdirSync(join(dir, 'nested')).sort()).toEqual([cacheEntryName(key), `${cacheEntryName(key)}.sha256`]);
  });

  it('a damaged entry is not used, and is removed', () => {
    dir = mkdtempSync(join(tmpdir(), 'walkscope-cache-'));
    writeCachedModel(dir, key, new Uint8Array([1, 2, 3]));
    writeFileSync(join(dir, cacheEntryName(key)), new Uint8Array([1, 2, 4]));
    expect(readCachedModel(dir, key)).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a cache that cannot be written costs nothing but time', () => {
    dir = mkdtempSync(join(tmpdir(), 'walkscope-cache-'));
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    expect(writeCachedModel(join(file, 'detectors'), key, new Uint8Array([1]))).toBe(false);
  });
});
