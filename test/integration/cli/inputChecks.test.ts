import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/main.js';

const root = mkdtempSync(join(tmpdir(), 'walkscope-inputs-'));
const dataDir = join(root, 'data');
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--data-dir', dataDir], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('what import and prepare say about files that are not videos', () => {
  it('a zero-byte file is FILE_EMPTY on import and on prepare', async () => {
    const empty = join(root, 'empty.mp4');
    writeFileSync(empty, '');
    expect((await cli('patients', 'create', 'P1')).code).toBe(0);
    const imported = await cli('import', empty, '--patient', 'P1', '--no-wait');
    expect(imported.code).toBe(1);
    expect(imported.err).toContain('Refused: ');
    expect(imported.err).toContain('is empty (0 bytes). Copy it again from the camera or source. [FILE_EMPTY]');
    const prepared = await cli('prepare', empty, '--out', join(root, 'out-empty'), '--json');
    expect(prepared.code).toBe(1);
    expect(JSON.parse(prepared.out)).toMatchObject([{ relativePath: 'empty.mp4', error: { code: 'FILE_EMPTY' } }]);
  });

  it('import of a folder says it is a folder and points to prepare', async () => {
    const folder = join(root, 'clinic-videos');
    mkdirSync(folder);
    const imported = await cli('import', folder, '--patient', 'P1', '--no-wait');
    expect(imported.code).toBe(1);
    expect(imported.err).toBe(
      `Refused: ${folder}: ${folder} is a folder, not a video file. Choose the video files in it. For a whole folder of videos, use walkscope prepare ${folder} --out DIR. [FILE_IS_FOLDER]`,
    );
    expect(imported.err).not.toContain('does not exist');
  });

  it('prepare on a folder with no videos says so and exits 1', async () => {
    const folder = join(root, 'no-videos');
    mkdirSync(join(folder, 'ASD'), { recursive: true });
    writeFileSync(join(folder, 'ASD', 'notes.txt'), 'not a video');
    const prepared = await cli('prepare', folder, '--out', join(root, 'out-none'));
    expect(prepared.code).toBe(1);
    expect(prepared.err).toBe(`No video files were found in ${folder} (WalkScope looks for .mp4, .mov, .m4v, .mkv, .webm, .avi, .mts, .m2ts, .mpg, .mpeg and .wmv files, in subfolders too). [NO_VIDEOS_FOUND]`);
    const json = await cli('prepare', folder, '--out', join(root, 'out-none'), '--json');
    expect(JSON.parse(json.out)).toMatchObject({ error: { code: 'NO_VIDEOS_FOUND' } });
  });
});
