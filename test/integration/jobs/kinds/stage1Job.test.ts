import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Job, Stage1Summary, TrackOverlay, Video } from '../../../../src-main/contract/entities.js';
import type { WalkScopeApp } from '../../../../src-main/services/walkscopeApp.js';
import { clips, requireTestdata, testVideo } from '../../../helpers/testdata.js';
import { defaultStride } from '../../../../src-main/domain/detectionStride.js';
import { ok, openTempApp } from '../../../helpers/tempApp.js';

/**
 * Stage 1 as a job of the app: the clip stored in the vault and linked to its source, the
 * tracks stored, failures leaving nothing behind. prepareVideo itself is tested on every
 * real clip in prepareVideo.test.ts, without a store.
 */
describe.runIf(requireTestdata())('stage 1 job on real clips', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp());
    ok(await app.call('patients.create', { code: 'W1', diagnosis: 'ASD' }));
  });
  afterAll(async () => {
    await dispose();
  });

  it('Sports2D: the walker, the person-centred clip in the vault linked to its source, tracks stored', async () => {
    const video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'W1', source: { kind: 'path', path: testVideo(clips.sports2dH264) } })).video;
    const job = ok<Job>(await app.call('analyses.runStage1', { videoId: video.id, mode: 'pad', size: 256 }));
    await app.runner.idle();
    expect(app.store.jobs.get(job.id)).toMatchObject({ status: 'done' });
    // the Jobs screen names it by the file and the patient
    expect(ok<Job[]>(await app.call('jobs.list', {})).find((j) => j.id === job.id)?.subject).toEqual({ fileName: clips.sports2dH264, patientCode: 'W1' });
    const summary = ok<Stage1Summary>(await app.call('analyses.stage1', { videoId: video.id }));
    const overlay = ok<TrackOverlay>(await app.call('analyses.tracks', { videoId: video.id }));
    expect(summary.selection).toBe('walker');
    // the detector and its backend are recorded with the result, and the detector with the parameters
    expect(summary.detector).toBe('movenet-multipose');
    expect(summary.backend).toMatch(/^onnxruntime \(cpu\) x\d+ threads$/);
    expect(app.store.analyses.latest(video.id, 1)!.params).toMatchObject({ detector: 'movenet-multipose' });
    expect(overlay.patientTrackId).toBe(summary.patientTrackId);
    const patient = overlay.tracks.find((t) => t.id === summary.patientTrackId)!;
    const firstX = (patient.boxes[0]! + patient.boxes[2]!) / 2;
    const lastX = (patient.boxes.at(-4)! + patient.boxes.at(-2)!) / 2;
    expect(firstX - lastX).toBeGreaterThan(overlay.width * 0.4); // walks right to left
    expect(overlay.patientKeypoints.frames.length).toBeGreaterThan(100);
    // the default detection stride, recorded; frames between detections counted apart
    expect(summary.stride).toBe(defaultStride);
    expect(overlay.stride).toBe(defaultStride);
    expect(summary.coverage.betweenDetections).toBeGreaterThan(summary.coverage.detected);
    expect(app.store.analyses.latest(video.id, 1)!.params).toMatchObject({ stride: defaultStride });
    // a stride outside 1..5 is refused at the contract
    expect(await app.call('analyses.runStage1', { videoId: video.id, stride: 9 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await app.call('analyses.runStage1', { videoId: video.id, stride: 3, patient: 'paper' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('detects every frame') } });
    const clip = ok<Video>(await app.call('videos.get', { id: summary.outputVideoIds[0]! }));
    expect(clip).toMatchObject({ kind: 'person-centred', sourceVideoId: video.id, probe: { codec: 'h264', width: 256, height: 256, avgFps: 30, pixelFormat: 'yuv420p' } });
    // the clip gets its thumbnail with the job (it used to wait for one forever), nothing left in vault/tmp
    expect(clip.hasThumbnail).toBe(true);
    expect(ok<{ dataUrl: string | null }>(await app.call('videos.thumbnail', { id: clip.id })).dataUrl).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(readdirSync(app.store.vault.tmpDir)).toEqual([]);
  });

  it('the empty room: "no person found", no clip stored, nothing left behind', async () => {
    const video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'W1', source: { kind: 'path', path: testVideo(clips.intelEmptyRoom) } })).video;
    const before = app.store.db.prepare('SELECT COUNT(*) AS n FROM videos').get() as { n: number };
    const job = ok<Job>(await app.call('analyses.runStage1', { videoId: video.id }));
    await app.runner.idle();
    expect(app.store.jobs.get(job.id)).toMatchObject({ status: 'failed', error: { code: 'NO_PERSON_FOUND' } });
    // named as the user imported it, not by its file name in the vault
    expect(app.store.jobs.get(job.id).error!.message).toContain(`No person was found in ${clips.intelEmptyRoom}`);
    expect(app.store.db.prepare('SELECT COUNT(*) AS n FROM videos').get()).toEqual(before);
    expect(readdirSync(join(app.store.dataDir, 'vault', 'tmp'))).toEqual([]);
    expect(ok<Stage1Summary | null>(await app.call('analyses.stage1', { videoId: video.id }))).toBeNull();
  });
});
