import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseDataDir } from '../../../src-main/store/dataDir.js';
import { dataFolderProblem, resolveDataLocation, writeDataLocation } from '../../../src-main/store/dataLocation.js';

let home: string;
beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'walkscope-home-'))));
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('the data folder pointer (data-location.json)', () => {
  it('without a pointer the per-user folder is the data folder', () => {
    expect(resolveDataLocation(home)).toEqual({ dataDir: home, source: 'default' });
  });

  it('records another folder (created, written through a temporary file) and reads it back', () => {
    const target = join(home, 'drive', 'walkscope');
    expect(writeDataLocation(home, target, home)).toBe(target);
    expect(JSON.parse(readFileSync(join(home, 'data-location.json'), 'utf8'))).toEqual({ dataDir: target });
    expect(resolveDataLocation(home)).toEqual({ dataDir: target, source: 'pointer' });
    expect(chooseDataDir(undefined, {}, home)).toEqual({ dataDir: target, locationHome: home });
  });

  it('--data-dir and WALKSCOPE_HOME fix the folder for the session and ignore the pointer', () => {
    writeDataLocation(home, join(home, 'elsewhere'), home);
    expect(chooseDataDir('/srv/ws', {}, home)).toEqual({ dataDir: '/srv/ws' });
    expect(chooseDataDir(undefined, { WALKSCOPE_HOME: '/srv/home' }, home)).toEqual({ dataDir: '/srv/home' });
  });

  it('refuses relative paths, files, the current vault and unwritable folders, in words', () => {
    expect(dataFolderProblem('data/ws')).toBe('"data/ws" is not an absolute path');
    const file = join(home, 'a-file');
    writeFileSync(file, 'x');
    expect(dataFolderProblem(file)).toBe(`${file} is a file, not a folder`);
    expect(() => writeDataLocation(home, join(home, 'vault', 'videos'), home)).toThrow(/inside the current vault/);
    if (process.getuid?.() !== 0) {
      const locked = join(home, 'locked');
      writeDataLocation(home, locked, home);
      chmodSync(locked, 0o500);
      expect(dataFolderProblem(locked)).toMatch(/cannot be written \(EACCES\)/);
    }
  });

  it('a broken pointer is an error naming the file, never a silent switch to another folder', () => {
    writeFileSync(join(home, 'data-location.json'), '{"dataDir": ');
    expect(() => resolveDataLocation(home)).toThrow(/data-location.json is not readable JSON/);
    writeFileSync(join(home, 'data-location.json'), '{"dataDir": "relative/path"}');
    expect(() => resolveDataLocation(home)).toThrow(/must hold \{"dataDir": "<absolute path>"\}/);
  });
});
