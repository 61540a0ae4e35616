import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/main.js';
import { banners, writeFakeFfmpeg } from '../../helpers/media/fakeFfmpeg.js';

const root = mkdtempSync(join(tmpdir(), 'walkscope-info-'));
const dataDir = join(root, 'data');
const tools = join(root, 'tools');
const old = join(root, 'old');
let savedPath: string | undefined;
beforeAll(() => {
  savedPath = process.env.PATH;
  writeFakeFfmpeg(tools, 'ffmpeg', banners.release611);
  writeFakeFfmpeg(tools, 'ffprobe', banners.release611);
  writeFakeFfmpeg(old, 'ffmpeg', banners.ubuntu44);
  writeFakeFfmpeg(old, 'ffprobe', banners.ubuntu44);
  process.env.PATH = `${tools}:${savedPath ?? ''}`;
});
afterEach(() => {
  delete process.env.WALKSCOPE_FFMPEG;
});
afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(root, { recursive: true, force: true });
});

async function info(...args: string[]) {
  const out: string[] = [];
  const code = await runCli(['info', ...args, '--data-dir', dataDir], { out: (t) => out.push(t), err: () => {} });
  return { code, out: out.join('\n') };
}

describe('walkscope info', () => {
  it('names the ffmpeg in use with its version and why it was chosen, and the ffprobe that goes with it', async () => {
    const { code, out } = await info();
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines.find((l) => l.startsWith('ffmpeg: '))).toMatch(new RegExp(`^ffmpeg: ${tools}/ffmpeg \\(system PATH, 6\\.1\\.1; the newest found`));
    expect(lines).toContain(`ffprobe: ${tools}/ffprobe (system PATH, 6.1.1)`);
    expect(out).not.toContain('Warning');
    const json = JSON.parse((await info('--json')).out);
    expect(json).toMatchObject({ ffmpeg: { path: `${tools}/ffmpeg`, source: 'system PATH', version: '6.1.1', ffprobe: { path: `${tools}/ffprobe`, version: '6.1.1' } }, warnings: [] });
  });

  it('keeps an ffmpeg set explicitly even when older, and warns twice: older than the one found, older than the minimum', async () => {
    process.env.WALKSCOPE_FFMPEG = `${old}/ffmpeg`;
    const { out } = await info();
    expect(out).toContain(`ffmpeg: ${old}/ffmpeg (WALKSCOPE_FFMPEG, 4.4.2; set explicitly (WALKSCOPE_FFMPEG))`);
    expect(out).toContain(`ffprobe: ${old}/ffprobe (WALKSCOPE_FFMPEG, 4.4.2)`);
    expect(out).toContain(`Warning: The ffmpeg set explicitly (WALKSCOPE_FFMPEG), ${old}/ffmpeg (4.4.2), is older than ${tools}/ffmpeg (system PATH, 6.1.1)`);
    expect(out).toContain(`Warning: The ffmpeg in use, ${old}/ffmpeg (WALKSCOPE_FFMPEG), is 4.4.2, older than 5.1, the minimum WalkScope asks for`);
    expect(out).toContain(`Warning: The ffprobe in use, ${old}/ffprobe`);
  });
});
