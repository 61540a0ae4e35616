import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPrepareSummary } from '../../../src-main/cli/prepareSummary.js';
import type { DetectionRun } from '../../../src-main/domain/detectionTypes.js';
import { prepareFolder } from '../../../src-main/detect/prepareFolder.js';
import { prepareVideo, type Stage1Result } from '../../../src-main/detect/prepareVideo.js';
import { defaultStride } from '../../../src-main/domain/detectionStride.js';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { contactSheet } from '../../helpers/detect/contactSheet.js';
import { expectSports2dWalker } from '../../helpers/detect/sports2dWalker.js';

/**
 * Stage 1 end to end on the real clips, without a store: detection, tracking, the patient,
 * the crop plan and the written clip. Each clip is detected once; other modes reuse the
 * detections. Contact sheets of the clips go to test/output/prepare/ for a person to look at.
 */

interface Probe {
  streams: Array<{ r_frame_rate: string; avg_frame_rate: string; nb_frames: string; width: number; height: number; codec_name: string; pix_fmt: string; duration: string }>;
  format: { duration: string };
}
function ffprobe(file: string): Probe {
  return JSON.parse(execFileSync(resolveFfmpeg().ffprobe, ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file]).toString()) as Probe;
}

/** Share of frames in which every visible (score >= 0.3) shoulder and hip of the patient lies in the crop's visible part. */
function torsoInsideShare(result: Stage1Result): { frames: number; inside: number } {
  const crops = new Map(result.crops.frames.map((frame, i) => [frame, result.crops.visible.slice(i * 4, i * 4 + 4) as [number, number, number, number]]));
  const kp = result.overlay.patientKeypoints;
  let frames = 0;
  let inside = 0;
  kp.frames.forEach((frame, i) => {
    const torso = [5, 6, 11, 12].map((k) => kp.points.slice((i * 17 + k) * 3, (i * 17 + k) * 3 + 3) as [number, number, number]).filter(([, , s]) => s >= 0.3);
    if (torso.length === 0) return;
    frames++;
    const crop = crops.get(frame);
    if (!crop) return;
    const [x, y, w, h] = crop;
    if (torso.every(([px, py]) => px >= x && px <= x + w && py >= y && py <= y + h)) inside++;
  });
  return { frames, inside };
}

describe.runIf(requireTestdata())('stage 1 on real clips (prepareVideo, no store)', () => {
  let work: string;
  let sports2d: DetectionRun | undefined;
  let sports2dEveryFrame: Stage1Result | undefined;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'walkscope-prepare-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('Sports2D 720p: the walker, not the man jumping on the box; her shoulders and hips inside the crop', async () => {
    const output = join(work, 'sports2d-pad.mp4');
    const fractions: number[] = [];
    const result = await prepareVideo(testVideo(clips.sports2dH264), output, {
      mode: 'pad',
      size: 256,
      // every frame: the reference for the strided run below
      stride: 1,
      onDetections: (run) => (sports2d = run),
      onProgress: (f) => fractions.push(f),
    });
    expectSports2dWalker(result);
    const torso = torsoInsideShare(result);
    console.log(`[prepare] Sports2D: torso inside the crop in ${torso.inside}/${torso.frames} frames; coverage ${JSON.stringify(result.coverage)}; ${result.reason}`);
    expect(torso.frames).toBeGreaterThan(120);
    expect(torso.inside / torso.frames).toBeGreaterThanOrEqual(0.95);
    // the file: H.264 yuv420p 256 x 256 at 30 fps, as many frames as planned
    const probe = ffprobe(output);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: 256, height: 256, r_frame_rate: '30/1', nb_frames: String(result.outputFrames) });
    expect(result.outputFrames).toBe(result.coverage.detected + result.coverage.interpolated);
    expect(result.stride).toBe(1);
    expect(sports2d!.frames).toHaveLength(sports2d!.frameCount);
    sports2dEveryFrame = result;
    // progress rises from detection to writing and ends at 1
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]! - 1e-9)).toBe(true);
    contactSheet(output, result.outputFrames, 'sports2d-h264-pad-walker.png');
  });

  it(`Sports2D 720p at the default detection stride (${defaultStride}): the same walker, her shoulders and hips (seen on every frame) inside the crop`, async () => {
    expect(sports2dEveryFrame).toBeDefined();
    const every = sports2dEveryFrame!;
    const output = join(work, 'sports2d-pad-stride.mp4');
    let run: DetectionRun | undefined;
    const result = await prepareVideo(testVideo(clips.sports2dH264), output, { mode: 'pad', size: 256, onDetections: (r) => (run = r) });
    expect(result.stride).toBe(defaultStride);
    // the detector saw frames 0, k, 2k, ... of the same timeline, nothing else
    expect(run!.frameCount).toBe(sports2d!.frameCount);
    expect(run!.frames.map((f) => f.frame)).toEqual(sports2d!.frames.filter((f) => f.frame % defaultStride === 0).map((f) => f.frame));
    expect(result.selection).toBe('walker');
    const patient = result.overlay.tracks.find((t) => t.id === result.patientTrackId)!;
    const centre = (i: number) => (patient.boxes[i * 4]! + patient.boxes[i * 4 + 2]!) / 2;
    expect(centre(0)).toBeGreaterThan(result.sourceWidth * 0.7);
    expect(centre(0) - centre(patient.frames.length - 1)).toBeGreaterThan(result.sourceWidth * 0.6);
    expect(patient.frames.every((f) => f % defaultStride === 0)).toBe(true);
    // coverage: frames between detections counted apart, and everything written is accounted for
    const { detected, interpolated, betweenDetections } = result.coverage;
    expect(betweenDetections).toBeGreaterThan(detected * (defaultStride - 1) * 0.9);
    expect(result.outputFrames).toBe(detected + interpolated + betweenDetections);
    // within a few frames of the every-frame run at both ends
    expect(Math.abs(result.segments[0]!.startFrame - every.segments[0]!.startFrame)).toBeLessThan(defaultStride);
    expect(Math.abs(result.segments.at(-1)!.endFrame - every.segments.at(-1)!.endFrame)).toBeLessThan(defaultStride);
    // the walker criterion, judged on her keypoints detected on every frame (the stride 1 run), not on interpolated ones
    const truth = torsoInsideShare({ ...result, overlay: every.overlay });
    console.log(`[prepare] Sports2D stride ${defaultStride}: torso (from every-frame detections) inside the crop in ${truth.inside}/${truth.frames} frames; coverage ${JSON.stringify(result.coverage)}; detect ${(result.timings.detectMs / 1000).toFixed(1)} s against ${(every.timings.detectMs / 1000).toFixed(1)} s at stride 1`);
    expect(truth.frames).toBeGreaterThan(120);
    expect(truth.inside / truth.frames).toBeGreaterThanOrEqual(0.95);
    // overlays: her pose on every frame between two detections (interpolated), not only on detected frames
    expect(result.overlay.stride).toBe(defaultStride);
    expect(result.overlay.patientKeypoints.frames.length).toBeGreaterThan(patient.frames.length * (defaultStride - 1));
    const probe = ffprobe(output);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: 256, height: 256, r_frame_rate: '30/1', nb_frames: String(result.outputFrames) });
    contactSheet(output, result.outputFrames, `sports2d-h264-pad-walker-stride${defaultStride}.png`);
  });

  it('Sports2D from the same detections: crop mode, a track chosen by hand, and the reference rule', async () => {
    expect(sports2d).toBeDefined();
    const run = sports2d!;
    const crop = await prepareVideo(testVideo(clips.sports2dH264), join(work, 'sports2d-crop.mp4'), { mode: 'crop', size: 256, detections: run });
    expect(crop.timings.detectMs).toBeLessThan(50);
    expect(ffprobe(crop.outputPath).streams[0]).toMatchObject({ width: 256, height: 256 });
    expect(torsoInsideShare(crop).inside / torsoInsideShare(crop).frames).toBeGreaterThanOrEqual(0.95);
    contactSheet(crop.outputPath, crop.outputFrames, 'sports2d-h264-crop-walker.png');

    const other = crop.overlay.tracks.find((t) => t.id !== crop.patientTrackId && t.frames.length >= 15)!;
    const chosen = await prepareVideo(testVideo(clips.sports2dH264), join(work, 'sports2d-other.mp4'), { mode: 'pad', size: 128, detections: run, patient: other.id });
    expect(chosen).toMatchObject({ selection: 'override', patientTrackId: other.id, reason: `track ${other.id} chosen by the user` });
    await expect(prepareVideo(testVideo(clips.sports2dH264), join(work, 'sports2d-none.mp4'), { mode: 'pad', size: 128, detections: run, patient: 99 })).rejects.toMatchObject({ code: 'TRACK_NOT_FOUND' });
    expect(existsSync(join(work, 'sports2d-none.mp4'))).toBe(false);

    // the reference keeps the first lone person (the man on the box) and follows him while he is alone
    const paper = await prepareVideo(testVideo(clips.sports2dH264), join(work, 'sports2d-paper.mp4'), { mode: 'pad', size: 256, detections: run, patient: 'paper' });
    expect(paper).toMatchObject({ selection: 'paper', patientTrackId: null });
    expect(paper.segments.length).toBeGreaterThan(1); // every frame without a kept box is dropped
    expect(paper.coverage.interpolated).toBe(0);
    contactSheet(paper.outputPath, paper.outputFrames, 'sports2d-h264-pad-paper.png');
  });

  it('the VP9 original: the walker too', async () => {
    const output = join(work, 'sports2d-vp9.mp4');
    const result = await prepareVideo(testVideo(clips.sports2dVp9), output, { mode: 'pad', size: 256 });
    expect(result.selection).toBe('walker');
    const patient = result.overlay.tracks.find((t) => t.id === result.patientTrackId)!;
    expect((patient.boxes[0]! + patient.boxes[2]!) / 2).toBeGreaterThan(result.sourceWidth * 0.7);
    const torso = torsoInsideShare(result);
    expect(torso.inside / torso.frames).toBeGreaterThanOrEqual(0.95);
    expect(ffprobe(output).streams[0]).toMatchObject({ codec_name: 'h264', r_frame_rate: '30/1', nb_frames: String(result.outputFrames) });
    contactSheet(output, result.outputFrames, 'sports2d-vp9-pad-walker.png');
  });

  it('the 10 fps back-view clip comes out at 30 fps with the right duration', async () => {
    const output = join(work, 'backview.mp4');
    const result = await prepareVideo(testVideo(clips.intelBackview10fps), output, { mode: 'crop', size: 256 });
    expect(result.fps).toBe(30);
    expect(result.coverage.frames).toBe(450); // 15 s on the 30 fps timeline
    const probe = ffprobe(output);
    expect(probe.streams[0]).toMatchObject({ r_frame_rate: '30/1', avg_frame_rate: '30/1', codec_name: 'h264', width: 256, height: 256, nb_frames: String(result.outputFrames) });
    expect(Number(probe.format.duration)).toBeCloseTo(result.outputFrames / 30, 1);
    // she enters after a moment and leaves before the end: one segment, most of the clip
    expect(result.segments).toHaveLength(1);
    expect(result.outputFrames).toBeGreaterThan(300);
    expect(existsSync(`${output}.part.mp4`)).toBe(false);
    contactSheet(output, result.outputFrames, 'intel-backview-crop.png');
  });

  it('a dataset folder keeps its class folders; the empty room is NO_PERSON_FOUND with no file', async () => {
    const dataset = join(work, 'dataset');
    mkdirSync(join(dataset, 'ASD'), { recursive: true });
    mkdirSync(join(dataset, 'ASD_not'), { recursive: true });
    copyFileSync(testVideo(clips.intelWorker15fps), join(dataset, 'ASD', 'worker.mp4'));
    copyFileSync(testVideo(clips.intelEmptyRoom), join(dataset, 'ASD_not', 'empty.mp4'));
    const out = join(work, 'prepared');
    const seen: string[] = [];
    const result = await prepareFolder(dataset, out, { mode: 'pad', size: 128, onFile: (f) => seen.push(f.relativePath) });
    expect(seen).toEqual([join('ASD', 'worker.mp4'), join('ASD_not', 'empty.mp4')]);
    const [worker, empty] = result.files;
    expect(worker).toMatchObject({ group: 'ASD', output: join(out, 'ASD', 'worker.mp4'), error: null });
    expect(worker!.result!.coverage.frames).toBe(142);
    expect(ffprobe(worker!.output!).streams[0]).toMatchObject({ width: 128, r_frame_rate: '30/1' });
    contactSheet(worker!.output!, worker!.result!.outputFrames, 'intel-worker-backview-pad.png');
    expect(empty).toMatchObject({ group: 'ASD_not', output: null, result: null, error: { code: 'NO_PERSON_FOUND' } });
    expect(empty!.error!.message).toContain('No person was found in empty.mp4');
    expect(readdirSync(join(out, 'ASD_not'))).toEqual([]);
    expect(readdirSync(join(out, 'ASD'))).toEqual(['worker.mp4']);
    const summary = formatPrepareSummary(result.files);
    expect(summary).toContain('NO_PERSON_FOUND');
    expect(summary).toContain('ASD/: 1 of 1 prepared');
    expect(summary).toContain('ASD_not/: 0 of 1 prepared, 1 failed');
    console.log(`[prepare] summary:\n${summary}`);
  });

  it('damaged files are clear errors with no output left behind', async () => {
    // the index is at the end and missing
    const headOnly = join(work, 'head-only.mp4');
    execFileSync('sh', ['-c', `head -c 20000 "${testVideo(clips.intelWorker15fps)}" > "${headOnly}"`]);
    const out1 = join(work, 'head-only-out.mp4');
    await expect(prepareVideo(headOnly, out1, { mode: 'pad', size: 128 })).rejects.toMatchObject({ code: 'VIDEO_TRUNCATED' });
    // the index is at the front, the end of the data is missing: ffmpeg decodes 40% and exits 0
    const faststart = join(work, 'faststart.mp4');
    execFileSync(resolveFfmpeg().ffmpeg, ['-v', 'error', '-i', testVideo(clips.intelWorker15fps), '-c', 'copy', '-movflags', '+faststart', faststart]);
    const cut = join(work, 'cut.mp4');
    execFileSync('sh', ['-c', `head -c $(( $(stat -c %s "${faststart}") * 6 / 10 )) "${faststart}" > "${cut}"`]);
    const out2 = join(work, 'cut-out.mp4');
    await expect(prepareVideo(cut, out2, { mode: 'pad', size: 128 })).rejects.toMatchObject({ code: 'VIDEO_TRUNCATED' });
    const notVideo = join(work, 'notes.mp4');
    execFileSync('sh', ['-c', `echo "not a video" > "${notVideo}"`]);
    await expect(prepareVideo(notVideo, join(work, 'notes-out.mp4'), { mode: 'pad', size: 128 })).rejects.toMatchObject({ code: 'NOT_A_VIDEO' });
    expect(readdirSync(work).filter((f) => f.includes('-out'))).toEqual([]);
  });

  it('cancel while writing: JOB_CANCELLED and no file', async () => {
    expect(sports2d).toBeDefined();
    const controller = new AbortController();
    const output = join(work, 'cancelled.mp4');
    const preparing = prepareVideo(testVideo(clips.sports2dH264), output, {
      mode: 'pad',
      size: 256,
      detections: sports2d!,
      signal: controller.signal,
      onProgress: (f) => f > 0.8 && controller.abort(),
    });
    await expect(preparing).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    expect(readdirSync(work).filter((f) => f.startsWith('cancelled'))).toEqual([]);
  });
});

describe('stage 1 on loose files: the checks an import would make', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'walkscope-prepare-checks-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('refuses a file whose stated length its frames cannot fill before finding people (MEDIA_IMPLAUSIBLE), and prepares nothing for it', async () => {
    // generated for the test: a 5 KB file whose 3 frames are an hour apart, so it "lasts" 3 hours
    const folder = join(work, 'in');
    mkdirSync(folder);
    execFileSync(resolveFfmpeg().ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=1/3600', '-frames:v', '3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', join(folder, 'three-hours.mp4')]);
    const out = join(work, 'out');
    const result = await prepareFolder(folder, out, { mode: 'pad', size: 128 });
    expect(result.files).toHaveLength(1);
    expect(result.files[0]).toMatchObject({ output: null, result: null, error: { code: 'MEDIA_IMPLAUSIBLE', message: expect.stringContaining('three-hours.mp4 says it lasts 180 min but holds only 3 frames.') } });
    expect(existsSync(out) ? readdirSync(out, { recursive: true }) : []).toEqual([]);
  });
});
