import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle, type OpenedBundle } from '../../../src-main/classify/bundle.js';
import { Stage2Classifier } from '../../../src-main/classify/classifier.js';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { modelFixtures } from './fixtures.js';

describe.runIf(requireTestdata())('Stage2Classifier on a real 30 fps clip', () => {
  let bundle: OpenedBundle;
  let work: string;
  const classifier = new Stage2Classifier({ providers: ['cuda', 'cpu'], intraOpThreads: 2 });
  const video = testVideo(clips.sports2dH264); // 1280x720, 30 fps, 7.67 s

  beforeAll(async () => {
    bundle = await openBundle(join(modelFixtures, 'slow_r50-tiny'));
    work = mkdtempSync(join(tmpdir(), 'walkscope-stage2-'));
  });
  afterAll(async () => {
    await classifier.dispose();
    await bundle.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('scores every 1 s clip, aggregates P(ASD), labels research-only and records the provider', async () => {
    const progress: Array<[number, number]> = [];
    const result = await classifier.classifyVideo(video, bundle, { onProgress: (done, total) => progress.push([done, total]) });
    expect(result.clips.map((c) => [c.startSec, c.endSec])).toEqual([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6], [6, 7]]);
    expect(result.clips[1]!.frameIndices).toEqual([30, 34, 38, 42, 46, 50, 54, 59]);
    for (const c of result.clips) expect(c.probabilityAsd).toBeCloseTo(1 - 1 / (1 + Math.exp(-c.rawOutput)), 12);
    expect(result.videoScore).toBeCloseTo(result.clips.reduce((s, c) => s + c.probabilityAsd, 0) / 7, 12);
    expect(result.verdict).toBe(result.videoScore >= 0.5 ? 'ASD' : 'non-ASD');
    expect(result).toMatchObject({
      researchOnly: true, provider: 'cpu', aggregation: 'mean', threshold: 0.5,
      bundle: { id: 'slow_r50-tiny-test', validated: false, sha256: bundle.sha256 },
      preprocessing: { frames: 8, clipSeconds: 1, size: 64, fps: 30, resize: 'exact', decodedWidth: 1280, decodedHeight: 720, sampler: 'uniform' },
    });
    expect(result.providersSkipped[0]).toMatchObject({ provider: 'cuda' });
    expect(progress.at(0)).toEqual([0, 7]);
    expect(progress.at(-1)).toEqual([7, 7]);
    expect(result.timings.totalMs).toBeGreaterThan(result.timings.inferenceMs);
    const max = await classifier.classifyVideo(video, bundle, { aggregation: 'max' });
    expect(max.videoScore).toBe(Math.max(...result.clips.map((c) => c.probabilityAsd)));
  });

  it('refuses a video shorter than one clip', async () => {
    const short = join(work, 'short.mp4');
    execFileSync(resolveFfmpeg().ffmpeg, ['-v', 'error', '-y', '-i', video, '-t', '0.5', '-an', '-c:v', 'mpeg4', short]);
    await expect(classifier.classifyVideo(short, bundle)).rejects.toMatchObject({ code: 'VIDEO_TOO_SHORT', message: expect.stringMatching(/one clip needs 1 s/) });
  });

  it('refuses a file with no decodable video', async () => {
    const junk = join(work, 'junk.mp4');
    writeFileSync(junk, Buffer.alloc(4096, 7));
    await expect(classifier.classifyVideo(junk, bundle)).rejects.toMatchObject({ code: 'NOT_A_VIDEO' });
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const run = classifier.classifyVideo(video, bundle, { signal: controller.signal, onProgress: (done) => done >= 1 && controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    // the worker is still usable afterwards
    const again = await classifier.classifyVideo(video, bundle);
    expect(again.clips).toHaveLength(7);
  });

  it('dispose ends the worker; a disposed classifier refuses work', async () => {
    const other = new Stage2Classifier({ providers: ['cpu'], intraOpThreads: 1 });
    await other.runBatch(bundle, new Float32Array(3 * 8 * 64 * 64), 1);
    await other.dispose();
    await other.dispose();
    await expect(other.classifyVideo(video, bundle)).rejects.toThrow(/disposed/);
  });
});
