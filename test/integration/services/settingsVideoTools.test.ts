import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { openTempApp } from '../../helpers/tempApp.js';

describe('settings.update checks the ffmpeg and ffprobe paths in main (the page can send any path)', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let dataDir: string;
  const bundled = resolveFfmpeg();

  beforeAll(async () => {
    ({ app, dispose, dataDir } = await openTempApp());
  });
  afterAll(async () => {
    await dispose();
  });

  const update = (changes: Record<string, unknown>) => app.dispatch('settings.update', { changes }, { transport: 'test', actor: app.actor });

  it('refuses what is not ffmpeg or ffprobe, with a sentence naming the path and the fault, and stores nothing', async () => {
    const notExecutable = join(dataDir, 'ffmpeg-copy');
    writeFileSync(notExecutable, '#!/bin/sh\necho ffmpeg version 6\n', { mode: 0o644 });
    mkdirSync(join(dataDir, 'ffmpeg-folder'));
    const cases: Array<[Record<string, string>, string]> = [
      [{ ffmpegPath: '/bin/ls' }, 'That setting is not valid: the ffmpeg path "/bin/ls" is not ffmpeg'],
      [{ ffmpegPath: '/nowhere/ffmpeg' }, 'That setting is not valid: the ffmpeg path "/nowhere/ffmpeg" was not found.'],
      [{ ffmpegPath: 'bin/ffmpeg' }, 'That setting is not valid: the ffmpeg path "bin/ffmpeg" is not an absolute path'],
      [{ ffmpegPath: notExecutable }, `That setting is not valid: the ffmpeg path "${notExecutable}" is not executable.`],
      [{ ffmpegPath: join(dataDir, 'ffmpeg-folder') }, 'is a folder, not the ffmpeg program'],
      // ffmpeg is not ffprobe: the banner tells them apart
      [{ ffprobePath: bundled.ffmpeg }, `That setting is not valid: the ffprobe path "${bundled.ffmpeg}" is not ffprobe: its -version answer is not the ffprobe banner.`],
      [{ ffprobePath: '' }, 'is not an absolute path'],
    ];
    for (const [changes, sentence] of cases) {
      const result = await update({ ...changes, jobConcurrency: 3 });
      expect(result).toMatchObject({ ok: false, error: { code: 'SETTINGS_INVALID', message: expect.stringContaining(sentence) } });
    }
    expect(app.store.settings.get()).toMatchObject({ ffmpegPath: null, ffprobePath: null, jobConcurrency: 1 });
  });

  it('accepts the bundled ffmpeg and ffprobe, keeps an unchanged path as it is, and resets to null', async () => {
    expect(await update({ ffmpegPath: bundled.ffmpeg, ffprobePath: bundled.ffprobe })).toMatchObject({ ok: true, value: { ffmpegPath: bundled.ffmpeg, ffprobePath: bundled.ffprobe } });
    // the settings screen sends every field back: other changes go through without running the tools again
    expect(await update({ ffmpegPath: bundled.ffmpeg, ffprobePath: bundled.ffprobe, jobConcurrency: 2 })).toMatchObject({ ok: true, value: { jobConcurrency: 2 } });
    expect(await update({ ffmpegPath: null, ffprobePath: null })).toMatchObject({ ok: true, value: { ffmpegPath: null, ffprobePath: null } });
  });
});
