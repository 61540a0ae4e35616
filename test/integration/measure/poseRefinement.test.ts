import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { prepareVideo, type Stage1Result } from '../../../src-main/detect/prepareVideo.js';
import { defaultPoseModel } from '../../../src-main/detect/poseModelSpecs.js';
import { patientSquares, type PatientSquares } from '../../../src-main/domain/patientSquares.js';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import { refinePose, type RefineResult } from '../../../src-main/measure/poseRefinement.js';
import { agreement, cocoByFrame, keypointGroups, type Poses } from '../../helpers/measure/poseAgreement.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

/**
 * The measurement step's pose refinement on the real clips: the Sports2D walker's squares
 * from her stage 1 track (domain/patientSquares), the default model (MoveNet Thunder) on every
 * segment frame, against her box and stage 1's MultiPose keypoints; the 10 fps back-view clip
 * on the 30 fps timeline; a file stored in portrait (transposed, with the rotation in its
 * metadata) and a portrait crop of the clip; cancellation; an altered model file. Derived clips
 * are written to test/output/measure (never the real clips themselves).
 */
const output = resolve(import.meta.dirname, '../../output/measure');
const slow = 300_000;

let scratch = '';
let walker: Stage1Result;
let squares: PatientSquares;
let refined: RefineResult;

beforeAll(async () => {
  if (!requireTestdata()) return;
  mkdirSync(output, { recursive: true });
  scratch = mkdtempSync(join(tmpdir(), 'walkscope-refine-'));
  walker = await prepareVideo(testVideo(clips.sports2dH264), join(scratch, 'clip.mp4'), { mode: 'crop', size: 256 });
  squares = patientSquares(walker.overlay, walker.patientTrackIds, walker.segments);
  refined = await refinePose(testVideo(clips.sports2dH264), squares);
}, slow);
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The keypoints of a run, `names.length` x (x, y, score) per frame. */
const pointsAt = (r: RefineResult, frame: number) => {
  const n = r.pose.names.length;
  const i = r.pose.frames.indexOf(frame);
  return r.pose.points.slice(i * n * 3, (i + 1) * n * 3);
};

/** Stage 1's MultiPose keypoints of the patient on the frames it detected her. */
function multiPoseOnDetectionFrames(result: Stage1Result): Poses {
  const detected = new Set(result.overlay.tracks.filter((t) => result.patientTrackIds.includes(t.id)).flatMap((t) => t.frames));
  const kp = result.overlay.patientKeypoints;
  const poses: Poses = new Map();
  kp.frames.forEach((f, i) => {
    if (f % result.stride === 0 && detected.has(f)) poses.set(f, kp.points.slice(i * 51, (i + 1) * 51));
  });
  return poses;
}

/** Child processes of this process whose command is ffmpeg. */
function ffmpegChildren(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)]).toString();
  return out.split('\n').filter((l) => /ffmpeg/.test(l));
}

const threadCount = () => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);

describe.runIf(requireTestdata())('pose refinement on the real clips', () => {
  it('the Sports2D walker: keypoints on >= 90% of her segment frames, hips and shoulders inside her box', () => {
    expect(refined.model).toBe(defaultPoseModel);
    expect(refined.modelSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(refined.backend).toMatch(/^onnxruntime \(cpu\) x\d threads$/);
    expect(refined.pose.fps).toBe(30);
    expect([refined.pose.width, refined.pose.height]).toEqual([1280, 720]);
    expect(refined.pose.frames).toEqual(squares.frames);
    expect(refined.pose.names.slice(0, 2)).toEqual(['nose', 'leftEye']);
    // confident shoulders and hips (all four scoring >= 0.3) on at least 90% of the segment frames
    const n = refined.pose.names.length;
    const confident = refined.pose.frames.filter((_, i) => [5, 6, 11, 12].every((k) => refined.pose.points[(i * n + k) * 3 + 2]! >= 0.3));
    console.log(`[refine] ${refined.model}: ${confident.length} of ${squares.frames.length} frames with confident shoulders and hips; ${JSON.stringify(refined.timings)}; decode ${JSON.stringify(refined.decode)}`);
    expect(confident.length).toBeGreaterThanOrEqual(0.9 * squares.frames.length);
    // on stage 1's detection frames, inside her detected box (grown by 5% of its height: the box hugs the body)
    const track = walker.overlay.tracks.find((t) => t.id === walker.patientTrackId)!;
    let checked = 0;
    let inside = 0;
    track.frames.forEach((frame, i) => {
      const [x1, y1, x2, y2] = track.boxes.slice(i * 4, i * 4 + 4) as [number, number, number, number];
      const grow = 0.05 * (y2 - y1);
      const p = pointsAt(refined, frame);
      for (const k of [5, 6, 11, 12]) {
        checked++;
        if (p[k * 3]! >= x1 - grow && p[k * 3]! <= x2 + grow && p[k * 3 + 1]! >= y1 - grow && p[k * 3 + 1]! <= y2 + grow) inside++;
      }
    });
    expect(checked).toBeGreaterThanOrEqual(4 * 25);
    expect(inside).toBe(checked);
  });

  it("agrees with stage 1's MultiPose keypoints on its detection frames: shoulders and hips within 0.2 torso lengths (median), 0.35 (90th percentile)", () => {
    const multi = multiPoseOnDetectionFrames(walker);
    const mine = cocoByFrame(refined.pose);
    for (const group of ['shoulders', 'hips'] as const) {
      const a = agreement(mine, multi, keypointGroups[group]);
      console.log(`[refine] ${group} against MultiPose: ${JSON.stringify(a)}`);
      expect(a.n).toBeGreaterThanOrEqual(40);
      expect(a.medianTorso).toBeLessThanOrEqual(0.2);
      expect(a.p90Torso).toBeLessThanOrEqual(0.35);
    }
  });

  it('the default model (MoveNet Lightning) and BlazePose full agree within 0.12 torso lengths (median) and 0.25 (90th percentile) for shoulders, hips, knees and ankles; BlazePose adds heels and toes', async () => {
    const blaze = await refinePose(testVideo(clips.sports2dH264), squares, { model: 'blazepose-full' });
    expect(blaze.pose.names).toHaveLength(21);
    expect(blaze.pose.names.slice(17)).toEqual(['leftHeel', 'rightHeel', 'leftToe', 'rightToe']);
    const a = cocoByFrame(refined.pose);
    const b = cocoByFrame(blaze.pose);
    for (const group of ['shoulders', 'hips', 'knees', 'ankles'] as const) {
      const g = agreement(a, b, keypointGroups[group]);
      console.log(`[refine] ${group}, ${defaultPoseModel} against blazepose-full: ${JSON.stringify(g)}`);
      expect(g.n).toBeGreaterThanOrEqual(200);
      expect(g.medianTorso).toBeLessThanOrEqual(0.12);
      expect(g.p90Torso).toBeLessThanOrEqual(0.25);
    }
    // her heels lie near her ankles (within half a torso length) wherever both are confident
    const n = 21;
    let near = 0;
    let both = 0;
    blaze.pose.frames.forEach((_, i) => {
      for (const [heel, ankle] of [
        [17, 15],
        [18, 16],
      ] as const) {
        const p = blaze.pose.points;
        if (p[(i * n + heel) * 3 + 2]! < 0.3 || p[(i * n + ankle) * 3 + 2]! < 0.3) continue;
        both++;
        const torso = Math.hypot(p[(i * n + 5) * 3]! - p[(i * n + 11) * 3]!, p[(i * n + 5) * 3 + 1]! - p[(i * n + 11) * 3 + 1]!);
        if (Math.hypot(p[(i * n + heel) * 3]! - p[(i * n + ankle) * 3]!, p[(i * n + heel) * 3 + 1]! - p[(i * n + ankle) * 3 + 1]!) < 0.5 * torso) near++;
      }
    });
    expect(both).toBeGreaterThan(100);
    expect(near).toBe(both);
  }, slow);

  it('the 10 fps back-view clip maps onto the 30 fps timeline: each source picture shows on three timeline frames', async () => {
    const video = testVideo(clips.intelBackview10fps);
    const stage1 = await prepareVideo(video, join(scratch, 'intel.mp4'), { mode: 'crop', size: 256 });
    const own = patientSquares(stage1.overlay, stage1.patientTrackIds, stage1.segments);
    // one square for the whole segment: timeline frames from one source picture then give the same keypoints
    const mid = Math.floor(own.frames.length / 2);
    const fixed: PatientSquares = { frames: own.frames, boxes: own.frames.flatMap(() => own.boxes.slice(mid * 3, mid * 3 + 3)) };
    const result = await refinePose(video, fixed);
    expect(result.pose.frames).toEqual(own.frames);
    expect(result.pose.frames.at(-1)!).toBeLessThan(stage1.overlay.frameCount);
    const n = result.pose.names.length * 3;
    const same = (f: number, g: number) => result.pose.points.slice(result.pose.frames.indexOf(f) * n, result.pose.frames.indexOf(f) * n + n).join() === result.pose.points.slice(result.pose.frames.indexOf(g) * n, result.pose.frames.indexOf(g) * n + n).join();
    // frames 3m, 3m+1, 3m+2 of the timeline show source frame m; neighbours across a triple differ
    const triples = own.frames.filter((f) => f % 3 === 0 && own.frames.includes(f + 2));
    expect(triples.length).toBeGreaterThan(20);
    const duplicated = triples.filter((f) => same(f, f + 1) && same(f, f + 2)).length;
    const changed = triples.filter((f) => own.frames.includes(f + 3) && !same(f, f + 3)).length;
    console.log(`[refine] 10 fps clip: ${own.frames.length} timeline frames; ${duplicated} of ${triples.length} triples identical, ${changed} change to the next picture`);
    expect(duplicated).toBe(triples.length);
    expect(changed).toBeGreaterThan(0.8 * triples.length);
  }, slow);

  it('a file stored in portrait (the clip transposed, the rotation in its metadata) and a portrait crop of it map back to the same original pixels', async () => {
    const { ffmpeg } = resolveFfmpeg();
    const transposed = join(output, 'sports2d-transposed.mp4');
    const rotated = join(output, 'sports2d-transposed-rotate90.mp4');
    const portrait = join(output, 'sports2d-portrait-crop.mp4');
    const base = ['-hide_banner', '-loglevel', 'error', '-y'];
    execFileSync(ffmpeg, [...base, '-i', testVideo(clips.sports2dH264), '-an', '-vf', 'transpose=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '14', transposed]);
    // stored 720 x 1280; the rotation tag tells players (and ffmpeg) to show it 1280 x 720, as recorded
    execFileSync(ffmpeg, [...base, '-i', transposed, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', rotated]);
    // a portrait picture, 404 x 720, from x = 300 of the original: the walker crosses it around frame 120
    execFileSync(ffmpeg, [...base, '-i', testVideo(clips.sports2dH264), '-an', '-vf', 'crop=404:720:300:0', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '14', portrait]);
    const frames = squares.frames.filter((f) => f >= 110 && f <= 130);
    const subset: PatientSquares = { frames, boxes: frames.flatMap((f) => squares.boxes.slice(squares.frames.indexOf(f) * 3, squares.frames.indexOf(f) * 3 + 3)) };
    const fromRotated = await refinePose(rotated, subset);
    expect([fromRotated.pose.width, fromRotated.pose.height]).toEqual([1280, 720]);
    const shifted: PatientSquares = { frames, boxes: subset.boxes.map((v, i) => (i % 3 === 0 ? v - 300 : v)) };
    const fromPortrait = await refinePose(portrait, shifted);
    expect([fromPortrait.pose.width, fromPortrait.pose.height]).toEqual([404, 720]);
    const original = cocoByFrame(refined.pose);
    const back = new Map([...cocoByFrame(fromPortrait.pose)].map(([f, p]) => [f, p.map((v, i) => (i % 3 === 0 ? v + 300 : v))]));
    for (const [label, poses] of [
      ['rotated', cocoByFrame(fromRotated.pose)],
      ['portrait crop', back],
    ] as const) {
      for (const group of ['shoulders', 'hips', 'knees'] as const) {
        const g = agreement(original, poses, keypointGroups[group]);
        console.log(`[refine] ${label} ${group} against the original: ${JSON.stringify(g)}`);
        // the same picture (re-encoded at high quality): the same keypoints within a pixel or two
        expect(g.n).toBeGreaterThanOrEqual(30);
        expect(g.medianPx).toBeLessThanOrEqual(2);
        expect(g.p90Px).toBeLessThanOrEqual(5);
      }
    }
  }, slow);

  it('cancelling stops ffmpeg and every pose worker, and says so', async () => {
    // a warm run first: the threads onnxruntime and libuv keep for the process are then there already
    const before = threadCount();
    const controller = new AbortController();
    const run = refinePose(testVideo(clips.sports2dH264), squares, { signal: controller.signal, onProgress: (done) => done === 10 && controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    expect(ffmpegChildren()).toEqual([]);
    // worker threads end asynchronously after terminate() resolves; give them a moment
    for (let i = 0; i < 20 && threadCount() > before; i++) await new Promise((r) => setTimeout(r, 100));
    expect(threadCount()).toBeLessThanOrEqual(before);
  }, slow);

  it('an altered pose model file is refused in words, naming the file', async () => {
    const real = resolve(import.meta.dirname, '../../../resources');
    const dir = mkdtempSync(join(scratch, 'resources-'));
    mkdirSync(join(dir, 'models'));
    copyFileSync(join(real, 'models.lock.json'), join(dir, 'models.lock.json'));
    for (const file of readdirSync(join(real, 'models'))) {
      if (file === 'movenet-thunder.bin') {
        const bytes = readFileSync(join(real, 'models', file));
        bytes[5000] = bytes[5000]! ^ 0xff;
        writeFileSync(join(dir, 'models', file), bytes);
      } else symlinkSync(join(real, 'models', file), join(dir, 'models', file));
    }
    const previous = process.env.WALKSCOPE_RESOURCES_DIR;
    process.env.WALKSCOPE_RESOURCES_DIR = dir;
    try {
      const run = refinePose(testVideo(clips.sports2dH264), squares, { model: 'movenet-thunder' });
      await expect(run).rejects.toMatchObject({ code: 'MODEL_FILE_ALTERED' });
      await expect(run).rejects.toThrow(/A person detection model file is not the one WalkScope was built with \(changed or damaged\): .*movenet-thunder\.bin has SHA-256 [0-9a-f]{64}, but resources\/models\.lock\.json expects [0-9a-f]{64}/);
      expect(ffmpegChildren()).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.WALKSCOPE_RESOURCES_DIR;
      else process.env.WALKSCOPE_RESOURCES_DIR = previous;
    }
  }, slow);
});
