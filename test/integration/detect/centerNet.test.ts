import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src-main/cli/main.js';
import type { Job, Video } from '../../../src-main/contract/entities.js';
import { prepareVideo } from '../../../src-main/detect/prepareVideo.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { contactSheet } from '../../helpers/detect/contactSheet.js';
import { expectSports2dWalker } from '../../helpers/detect/sports2dWalker.js';

/**
 * CenterNet, the box-only alternative to MoveNet, through every way of choosing it:
 * prepareVideo, the stage 1 job (analyses.runStage1 { detector }) and `walkscope prepare
 * --detector`. On the real clips it must find the walker on Sports2D and nobody in the empty room.
 */

describe('choosing a detector: bad values are refused in words', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ app, dispose } = await openTempApp());
  });
  afterAll(async () => dispose());

  it('analyses.runStage1 with an unknown detector is BAD_REQUEST naming the choices', async () => {
    const reply = await app.call('analyses.runStage1', { videoId: 1, detector: 'yolo' } as never);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('BAD_REQUEST');
      expect(reply.error.message).toContain('detector');
      expect(reply.error.message).toContain('movenet-multipose');
    }
  });

  it('walkscope prepare --detector yolo exits 2 with the choices', async () => {
    const err: string[] = [];
    const code = await runCli(['prepare', 'x.mp4', '--out', tmpdir(), '--detector', 'yolo'], { out: () => {}, err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('--detector is movenet-multipose or centernet');
  });
});

describe.runIf(requireTestdata())('CenterNet on real clips', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'walkscope-centernet-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('Sports2D 720p: finds the walker (boxes only) and the result records the detector and backend', async () => {
    const output = join(work, 'sports2d-centernet.mp4');
    const result = await prepareVideo(testVideo(clips.sports2dH264), output, { mode: 'pad', size: 128, detector: 'centernet' });
    expect(result.detector).toBe('centernet');
    expect(result.backend).toMatch(/^onnxruntime \(cpu\) x\d+ threads$/);
    expectSports2dWalker(result);
    // boxes only: no keypoints stored for the patient
    expect(result.overlay.patientKeypoints.frames).toEqual([]);
    console.log(`[centernet] Sports2D: ${result.reason}; coverage ${JSON.stringify(result.coverage)}; detect ${(result.timings.detectMs / result.coverage.frames).toFixed(0)} ms per frame (${result.backend})`);
    contactSheet(output, result.outputFrames, 'sports2d-h264-pad-centernet.png');
  });

  it('the empty room as a stage 1 job with detector centernet: nobody found, the choice kept in the job', async () => {
    const { app, dispose } = await openTempApp();
    try {
      ok(await app.call('patients.create', { code: 'C1', diagnosis: 'ASD' }));
      const video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'C1', source: { kind: 'path', path: testVideo(clips.intelEmptyRoom) } })).video;
      const job = ok<Job>(await app.call('analyses.runStage1', { videoId: video.id, detector: 'centernet' }));
      await app.runner.idle();
      const stored = app.store.jobs.get(job.id);
      expect(stored).toMatchObject({ status: 'failed', error: { code: 'NO_PERSON_FOUND' } });
      expect((stored.params as { detector: string }).detector).toBe('centernet');
      expect(readdirSync(join(app.store.dataDir, 'vault', 'tmp'))).toEqual([]);
    } finally {
      await dispose();
    }
  });

  it('walkscope prepare --detector centernet on the back-view worker clip: prepared, the summary names the detector', async () => {
    const out = join(work, 'cli-out');
    const lines: string[] = [];
    const code = await runCli(['prepare', testVideo(clips.intelWorker15fps), '--out', out, '--size', '128', '--detector', 'centernet'], { out: (t) => lines.push(t), err: () => {} });
    expect(code).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/detector: centernet on onnxruntime \(cpu\) x\d+ threads/);
    expect(readdirSync(out)).toEqual([clips.intelWorker15fps]);
    console.log(`[centernet] CLI summary:\n${text}`);
  });
});
