import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Job, Stage1Summary, TrackOverlay, Video } from '../../../src-main/contract/entities.js';
import { planCrops } from '../../../src-main/domain/cropPlan.js';
import { prepareVideo } from '../../../src-main/detect/prepareVideo.js';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';

const outDir = resolve(import.meta.dirname, '../../output/stage1');

function ffprobeJson(file: string): { streams: Array<{ r_frame_rate: string; nb_frames: string; width: number; height: number; codec_name: string; pix_fmt: string }>; format: { duration: string } } {
  return JSON.parse(execFileSync(resolveFfmpeg().ffprobe, ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file]).toString());
}

function contactSheet(file: string, png: string): void {
  mkdirSync(outDir, { recursive: true });
  execFileSync(resolveFfmpeg().ffmpeg, ['-v', 'error', '-y', '-i', file, '-vf', "select='not(mod(n\\,12))',scale=128:128,tile=6x2", '-frames:v', '1', join(outDir, png)]);
}

describe.runIf(requireTestdata())('stage 1 on real clips (MoveNet MultiPose, wasm)', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let work: string;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp());
    work = mkdtempSync(join(tmpdir(), 'walkscope-stage1-'));
    ok(await app.call('patients.create', { code: 'W1', diagnosis: 'ASD' }));
  });
  afterAll(async () => {
    await dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('Sports2D: chooses the walker, not the person on the box, and keeps her hips and shoulders in the crop', async () => {
    const video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'W1', source: { kind: 'path', path: testVideo(clips.sports2dH264) } })).video;
    const job = ok<Job>(await app.call('analyses.runStage1', { videoId: video.id, mode: 'pad', size: 256 }));
    await app.runner.idle();
    expect(app.store.jobs.get(job.id)).toMatchObject({ status: 'done' });
    const summary = ok<Stage1Summary>(await app.call('analyses.stage1', { videoId: video.id }));
    const overlay = ok<TrackOverlay>(await app.call('analyses.tracks', { videoId: video.id }));
    expect(summary.selection).toBe('walker');
    // the walker is fully visible from about 1.3 s to 6.5 s; the person on the box is there from the start
    expect(summary.segments[0]!.startSec).toBeGreaterThan(0.8);
    expect(summary.segments[0]!.startSec).toBeLessThan(2);
    expect(summary.segments.at(-1)!.endSec).toBeGreaterThan(5.5);
    const patient = overlay.tracks.find((t) => t.id === summary.patientTrackId)!;
    const firstX = (patient.boxes[0]! + patient.boxes[2]!) / 2;
    const lastX = (patient.boxes.at(-4)! + patient.boxes.at(-2)!) / 2;
    expect(firstX - lastX).toBeGreaterThan(overlay.width * 0.4); // walks right to left
    // hips and shoulders inside the crop rectangle where they are visible
    const points = patient.frames.map((frame, i) => ({ frame, box: { x1: patient.boxes[i * 4]!, y1: patient.boxes[i * 4 + 1]!, x2: patient.boxes[i * 4 + 2]!, y2: patient.boxes[i * 4 + 3]! }, score: 1, keypoints: [] }));
    const plan = planCrops(points, { mode: 'pad', frameWidth: overlay.width, frameHeight: overlay.height, totalFrames: overlay.frameCount });
    const crops = new Map(plan.frames.map((c) => [c.frame, c]));
    let visible = 0;
    let inside = 0;
    overlay.patientKeypoints.frames.forEach((frame, i) => {
      const crop = crops.get(frame);
      if (!crop) return;
      for (const k of [5, 6, 11, 12]) {
        const [x, y, score] = overlay.patientKeypoints.points.slice((i * 17 + k) * 3, (i * 17 + k) * 3 + 3) as [number, number, number];
        if (score < 0.3) continue;
        visible++;
        if (x >= crop.x && x <= crop.x + crop.width && y >= crop.y && y <= crop.y + crop.height) inside++;
      }
    });
    console.log(`[stage1] Sports2D: ${inside}/${visible} visible hip/shoulder keypoints inside the crop; coverage ${JSON.stringify(summary.coverage)}`);
    expect(visible).toBeGreaterThan(200);
    expect(inside / visible).toBeGreaterThanOrEqual(0.95);
    // the clip is stored in the vault as a person-centred video linked to its source
    const clip = ok<Video>(await app.call('videos.get', { id: summary.outputVideoIds[0]! }));
    expect(clip).toMatchObject({ kind: 'person-centred', sourceVideoId: video.id, probe: { codec: 'h264', width: 256, height: 256, avgFps: 30, pixelFormat: 'yuv420p' } });
    contactSheet(app.store.vault.absolute(app.store.videos.get(clip.id).vaultPath), 'contact-sports2d-walker.png');
  });

  it('the empty room: "no person found", no clip stored, nothing left behind', async () => {
    const video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'W1', source: { kind: 'path', path: testVideo(clips.intelEmptyRoom) } })).video;
    const before = app.store.db.prepare('SELECT COUNT(*) AS n FROM videos').get() as { n: number };
    const job = ok<Job>(await app.call('analyses.runStage1', { videoId: video.id }));
    await app.runner.idle();
    expect(app.store.jobs.get(job.id)).toMatchObject({ status: 'failed', error: { code: 'NO_PERSON_FOUND' } });
    expect(app.store.jobs.get(job.id).error!.message).toContain('No person was found');
    expect(app.store.db.prepare('SELECT COUNT(*) AS n FROM videos').get()).toEqual(before);
    expect(readdirSync(join(app.store.dataDir, 'vault', 'tmp'))).toEqual([]);
    expect(ok<Stage1Summary | null>(await app.call('analyses.stage1', { videoId: video.id }))).toBeNull();
  });

  it('the 10 fps back-view clip comes out at 30 fps with the right duration', async () => {
    const output = join(work, 'backview.mp4');
    const result = await prepareVideo(testVideo(clips.intelBackview10fps), output, { mode: 'crop', size: 256 });
    const probe = ffprobeJson(output);
    expect(probe.streams[0]).toMatchObject({ r_frame_rate: '30/1', codec_name: 'h264', width: 256, height: 256 });
    expect(result.coverage.frames).toBeGreaterThanOrEqual(445); // 15 s on the 30 fps timeline
    expect(result.coverage.frames).toBeLessThanOrEqual(455);
    expect(Number(probe.streams[0]!.nb_frames)).toBe(result.outputFrames);
    expect(Number(probe.format.duration)).toBeCloseTo(result.outputFrames / 30, 1);
    expect(existsSync(`${output}.part.mp4`)).toBe(false);
    contactSheet(output, 'contact-intel-backview.png');
  });

  it('a corrupt file is a clear error with no output left behind', async () => {
    const bad = join(work, 'bad.mp4');
    execFileSync('sh', ['-c', `head -c 20000 "${testVideo(clips.intelWorker15fps)}" > "${bad}"`]);
    const output = join(work, 'bad-out.mp4');
    await expect(prepareVideo(bad, output, { mode: 'pad', size: 128 })).rejects.toThrow();
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.part.mp4`)).toBe(false);
  });
});
