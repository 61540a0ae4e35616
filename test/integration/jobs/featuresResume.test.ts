import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Video } from '../../../src-main/contract/entities.js';
import type { JobResult } from '../../../src-main/contract/jobs.js';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { seedStage1Result, storeClipFile } from '../../helpers/seedStage1.js';
import { ok } from '../../helpers/tempApp.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const backbonePath = resolve(root, 'test/fixtures/models/slow_r50-tiny-features');
const bundleId = 'slow_r50-tiny-features-test';
/** The checkpoint's header and one record of the tiny backbone's 64 features (classify/featureCheckpoint.ts). */
const headerBytes = 16;
const recordBytes = 4 + 4 * 64;

function cli(args: string[], dataDir: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'src-main/cli/main.ts'), ...args, '--data-dir', dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

const exited = (child: ChildProcess) => new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

/**
 * Feature extraction killed with SIGKILL part-way through a long video (a real walker looped to
 * 40 s, so the video has 40 clips of 1 s; the tiny random-weight backbone, not a clinical model):
 * the next run takes the abandoned job over, reads the finished clips from the checkpoint and
 * runs the network only on the others. Every clip is stored once.
 */
describe.runIf(requireTestdata())('feature extraction resumes after kill -9 without recomputing finished clips', () => {
  let folder: string;
  let dataDir: string;
  let videoId: number;
  let clipId: number;
  let checkpoint: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'walkscope-resume-'));
    dataDir = join(folder, 'data');
    const { ffmpeg } = resolveFfmpeg();
    const original = join(folder, 'walk.mp4');
    const square = join(folder, 'walk-square.mp4');
    await run(ffmpeg, ['-y', '-loglevel', 'error', '-stream_loop', '8', '-i', testVideo(clips.sports2dH264), '-t', '40.2', '-vf', 'scale=320:180', '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '28', '-r', '30', original]);
    await run(ffmpeg, ['-y', '-loglevel', 'error', '-i', original, '-vf', 'crop=180:180,scale=64:64', '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-r', '30', square]);
    const app = await WalkScopeApp.open({ dataDir, transport: 'test', log: () => {}, runJobs: false });
    ok(await app.call('models.import', { source: { kind: 'path', path: backbonePath } }));
    ok(await app.call('patients.create', { code: 'KR1', diagnosis: 'ASD' }));
    videoId = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'KR1', source: { kind: 'path', path: original } })).video.id;
    const file = await storeClipFile(app.store, square);
    ({ clipId } = seedStage1Result(app.store, videoId, [[0, Math.round(file.probe.durationSec * 30) - 1]], file));
    const sha = app.store.modelBundles.get(bundleId).sha256;
    checkpoint = join(dataDir, 'features-partial', `${clipId}-${sha.slice(0, 16)}.bin`);
    // the import's own media check runs first, so the kill below lands in the extraction
    app.runner.start();
    await app.runner.idle();
    await app.close();
  }, 120_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('kills the extraction mid-video, then finishes it computing only the clips it had not', async () => {
    const first = cli(['features', 'extract', '--bundle', bundleId], dataDir);
    const firstExit = exited(first);
    let finishedAtKill = 0;
    for (const started = Date.now(); Date.now() - started < 60_000; ) {
      const size = (() => {
        try {
          return statSync(checkpoint).size;
        } catch {
          return 0;
        }
      })();
      finishedAtKill = Math.max(0, Math.floor((size - headerBytes) / recordBytes));
      if (finishedAtKill >= 5) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    first.kill('SIGKILL');
    await firstExit;
    const onDisk = Math.floor((statSync(checkpoint).size - headerBytes) / recordBytes);
    console.log(`[resume] killed with ${onDisk} of 40 clips in the checkpoint`);
    expect(onDisk).toBeGreaterThanOrEqual(5);
    expect(onDisk).toBeLessThan(40);

    const second = cli(['features', 'extract', '--bundle', bundleId, '--json'], dataDir);
    let out = '';
    second.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    expect(await exited(second)).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ extracted: 1, pending: 0, clips: 40 });

    const app = await WalkScopeApp.open({ dataDir, transport: 'test', log: () => {}, runJobs: false });
    try {
      const jobs = app.store.jobs.list(undefined, 100).filter((j) => j.kind === 'features');
      expect(jobs).toHaveLength(1);
      const job = jobs[0]!;
      expect(job.status).toBe('done');
      expect(job.attempts).toBe(2);
      const result = job.result as JobResult<'features'>;
      console.log(`[resume] second run: ${result.resumedClips} clips read from the checkpoint, ${result.computedClips} computed`);
      expect(result.resumedClips).toBe(onDisk);
      expect(result.computedClips).toBe(40 - onDisk);
      const stored = app.store.clipFeatures.forSampledVideo(clipId, app.store.modelBundles.get(bundleId).sha256);
      expect(stored.map((c) => c.clipIndex)).toEqual(Array.from({ length: 40 }, (_, i) => i));
      expect(() => statSync(checkpoint)).toThrow();
    } finally {
      await app.close();
    }
  });
});
