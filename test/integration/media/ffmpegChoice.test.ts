import { mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { chooseFfmpeg, resolveFfmpeg, type Candidate } from '../../../src-main/media/ffmpegPaths.js';
import { banners, writeFakeFfmpeg } from '../../helpers/media/fakeFfmpeg.js';

const root = mkdtempSync(join(tmpdir(), 'walkscope-ffmpeg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (name: string) => join(root, `${n++}-${name}`);

/** A fake installation in a folder: ffmpeg and ffprobe printing the same banner. */
function install(name: string, banner: string): { dir: string; ffmpeg: string; ffprobe: string } {
  const dir = freshDir(name);
  return { dir, ffmpeg: writeFakeFfmpeg(dir, 'ffmpeg', banner), ffprobe: writeFakeFfmpeg(dir, 'ffprobe', banner) };
}
const bundledFrom = (install: { ffmpeg: string; ffprobe: string }) => ({
  ffmpeg: [{ path: install.ffmpeg, source: '@ffmpeg-installer/ffmpeg', family: '@ffmpeg-installer' } satisfies Candidate],
  ffprobe: [{ path: install.ffprobe, source: '@ffprobe-installer/ffprobe', family: '@ffmpeg-installer' } satisfies Candidate],
});
const calls = (file: string) => readFileSync(`${file}.calls`, 'utf8').split('\n').filter(Boolean).length;

describe('choosing ffmpeg by version', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('prefers a current ffmpeg on the PATH to the bundled 2018 build', () => {
    const system = install('system', banners.release611);
    process.env.PATH = `${system.dir}:${savedPath ?? ''}`;
    const paths = resolveFfmpeg();
    expect(paths.ffmpeg).toBe(system.ffmpeg);
    expect(paths.ffprobe).toBe(system.ffprobe);
    expect(paths.source).toEqual({ ffmpeg: 'system PATH', ffprobe: 'system PATH' });
  });

  it('takes the newest of the system and the bundled one, ffprobe from the same place, and says why', () => {
    const system = install('system', banners.debian51);
    const bundled = install('bundled', banners.git2018);
    const choice = chooseFfmpeg({}, { env: { PATH: system.dir }, bundled: bundledFrom(bundled) });
    expect(choice.ffmpeg).toMatchObject({ path: system.ffmpeg, source: 'system PATH', version: { label: '5.1.6' } });
    expect(choice.ffprobe.path).toBe(system.ffprobe);
    expect(choice.reason).toBe('the newest found (over @ffmpeg-installer/ffmpeg git build N-47683-g0e8eb07980 from 2018 (counted as 3.4))');
    expect(choice.warnings).toEqual([]);

    const oldSystem = install('old-system', banners.ubuntu44);
    const newBundled = install('new-bundled', banners.arch70);
    const other = chooseFfmpeg({}, { env: { PATH: oldSystem.dir }, bundled: bundledFrom(newBundled) });
    expect(other.ffmpeg.path).toBe(newBundled.ffmpeg);
    expect(other.ffprobe).toMatchObject({ path: newBundled.ffprobe, source: '@ffprobe-installer/ffprobe' });
  });

  it('warns when the ffmpeg in use is older than the minimum', () => {
    const bundled = install('bundled', banners.git2018);
    const choice = chooseFfmpeg({}, { env: { PATH: freshDir('empty') }, bundled: bundledFrom(bundled) });
    expect(choice.ffmpeg.path).toBe(bundled.ffmpeg);
    expect(choice.reason).toBe('the only ffmpeg found');
    expect(choice.warnings[0]).toBe(
      `The ffmpeg in use, ${bundled.ffmpeg} (@ffmpeg-installer/ffmpeg), is git build N-47683-g0e8eb07980 from 2018 (counted as 3.4), older than 5.1, the minimum WalkScope asks for: it reads every imported clip, so install a current ffmpeg (the system package, e.g. apt install ffmpeg) or set a newer one in Settings.`,
    );
    expect(choice.warnings).toHaveLength(2);
    // the same warnings as phrases, for Settings in the reader's language
    expect(choice.warningPhrases[0]).toEqual({
      key: 'settings.warnings.ffmpegTooOld',
      vars: { name: 'ffmpeg', path: bundled.ffmpeg, source: '@ffmpeg-installer/ffmpeg', minimum: '5.1', version: 'git build N-47683-g0e8eb07980 from 2018 (counted as 3.4)' },
    });
    expect(choice.warningPhrases).toHaveLength(2);
  });

  it('uses a path set in Settings even when older, with a warning, and its ffprobe beside it', () => {
    const configured = install('configured', banners.ubuntu44);
    const system = install('system', banners.release611);
    const choice = chooseFfmpeg({ ffmpeg: configured.ffmpeg }, { env: { PATH: system.dir }, bundled: { ffmpeg: [], ffprobe: [] } });
    expect(choice.ffmpeg).toMatchObject({ path: configured.ffmpeg, source: 'settings' });
    expect(choice.ffprobe.path).toBe(configured.ffprobe);
    expect(choice.reason).toBe('set explicitly (settings)');
    expect(choice.warnings[0]).toBe(
      `The ffmpeg set explicitly (settings), ${configured.ffmpeg} (4.4.2), is older than ${system.ffmpeg} (system PATH, 6.1.1); WalkScope uses the one set explicitly. Clear the setting to use the newer one.`,
    );
    expect(choice.warnings.some((w) => w.startsWith(`The ffmpeg in use, ${configured.ffmpeg}`))).toBe(true);
    expect(choice.warningPhrases[0]).toEqual({
      key: 'settings.warnings.explicitOlder',
      vars: { source: 'settings', path: configured.ffmpeg, version: '4.4.2', newerPath: system.ffmpeg, newerSource: 'system PATH', newerVersion: '6.1.1' },
    });
  });

  it('runs each binary once until it changes', () => {
    const system = install('system', banners.debian51);
    const search = { env: { PATH: system.dir }, bundled: { ffmpeg: [], ffprobe: [] } };
    chooseFfmpeg({}, search);
    chooseFfmpeg({}, search);
    resolveFfmpeg({ ffmpeg: system.ffmpeg, ffprobe: system.ffprobe });
    expect(calls(system.ffmpeg)).toBe(1);
    utimesSync(system.ffmpeg, new Date(), new Date(Date.now() + 5000));
    chooseFfmpeg({}, search);
    expect(calls(system.ffmpeg)).toBe(2);
  });
});
