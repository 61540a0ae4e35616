/**
 * The one-off comparison behind docs/pose-models.md: every pose model candidate refines the
 * Sports2D walker's keypoints (stage 1's walker track, its squares from domain/patientSquares)
 * on the real 720p clip, and this prints, as Markdown tables:
 * - speed: median ms a model run with one worker (one onnxruntime thread), and the whole
 *   refinement's ms a frame with one and with two workers;
 * - agreement between each pair of models and with stage 1's MultiPose keypoints on its
 *   detection frames: median and 90th percentile distance per keypoint group, in pixels and
 *   as a fraction of the torso length (shoulder midpoint to hip midpoint, the mean of the two
 *   poses compared), over keypoints both poses score at least 0.3;
 * - jitter: the SD of hip and ankle positions about their own smoothed path (local linear fit,
 *   Gaussian sigma 3 frames: domain/boxSmoothing's smoothSeries), on the steady walk (the
 *   frames whose square lies inside the picture), in pixels and torso lengths.
 * The candidates not shipped are read from node_modules through a resources folder of their
 * own (candidateResources.ts), verified like the shipped ones.
 *   WALKSCOPE_TESTDATA=<folder with videos/> node --import tsx tools/pose/comparePoseModels.ts [video]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { candidateResources } from './candidateResources.js';

process.env.WALKSCOPE_RESOURCES_DIR = candidateResources();
process.env.WALKSCOPE_CACHE_DIR ??= mkdtempSync(join(tmpdir(), 'walkscope-pose-cache-'));

const { prepareVideo } = await import('../../src-main/detect/prepareVideo.js');
const { poseModelNames } = await import('../../src-main/detect/poseModelSpecs.js');
const { patientSquares } = await import('../../src-main/domain/patientSquares.js');
const { smoothSeries } = await import('../../src-main/domain/boxSmoothing.js');
const { refinePose } = await import('../../src-main/measure/poseRefinement.js');
const { keypointNames } = await import('../../src-main/contract/measurements.js');

const testdata = process.env.WALKSCOPE_TESTDATA ?? join(import.meta.dirname, '../../../shared/testdata');
const video = process.argv[2] ?? join(testdata, 'videos/sports2d_demo_sideview_walk_2people_h264_720p.mp4');
const scratch = mkdtempSync(join(tmpdir(), 'walkscope-pose-compare-'));
const stage1 = await prepareVideo(video, join(scratch, 'clip.mp4'), { mode: 'crop', size: 256 });
rmSync(scratch, { recursive: true, force: true });
const squares = patientSquares(stage1.overlay, stage1.patientTrackIds, stage1.segments);

type Pose = Map<number, Float64Array>; // frame -> 21 x (x, y, score), NaN where the model has no such keypoint
const toPose = (frames: number[], points: number[], n: number): Pose => {
  const pose: Pose = new Map();
  frames.forEach((f, i) => {
    const p = new Float64Array(keypointNames.length * 3).fill(Number.NaN);
    p.set(points.slice(i * n * 3, (i + 1) * n * 3));
    pose.set(f, p);
  });
  return pose;
};

const groups: Record<string, number[]> = {
  head: [0, 1, 2, 3, 4],
  shoulders: [5, 6],
  elbows: [7, 8],
  wrists: [9, 10],
  hips: [11, 12],
  knees: [13, 14],
  ankles: [15, 16],
  feet: [17, 18, 19, 20],
};
const minScore = 0.3;
const quantile = (v: number[], q: number) => {
  if (v.length === 0) return Number.NaN;
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))]!;
};
const mid = (p: Float64Array, a: number, b: number) => ({ x: (p[a * 3]! + p[b * 3]!) / 2, y: (p[a * 3 + 1]! + p[b * 3 + 1]!) / 2 });
const torso = (p: Float64Array) => {
  const s = mid(p, 5, 6);
  const h = mid(p, 11, 12);
  return Math.hypot(s.x - h.x, s.y - h.y);
};

function agreement(a: Pose, b: Pose): Record<string, { px: [number, number]; torso: [number, number]; n: number }> {
  const out: Record<string, { px: [number, number]; torso: [number, number]; n: number }> = {};
  for (const [group, indices] of Object.entries(groups)) {
    const px: number[] = [];
    const rel: number[] = [];
    for (const [frame, pa] of a) {
      const pb = b.get(frame);
      if (!pb) continue;
      const t = (torso(pa) + torso(pb)) / 2;
      for (const k of indices) {
        if (!(pa[k * 3 + 2]! >= minScore && pb[k * 3 + 2]! >= minScore)) continue;
        const d = Math.hypot(pa[k * 3]! - pb[k * 3]!, pa[k * 3 + 1]! - pb[k * 3 + 1]!);
        px.push(d);
        rel.push(d / t);
      }
    }
    out[group] = { px: [quantile(px, 0.5), quantile(px, 0.9)], torso: [quantile(rel, 0.5), quantile(rel, 0.9)], n: px.length };
  }
  return out;
}

// the steady walk: frames whose square lies inside the picture
const steady = new Set(squares.frames.filter((_, i) => squares.boxes[i * 3]! >= 0 && squares.boxes[i * 3]! + squares.boxes[i * 3 + 2]! <= stage1.sourceWidth));

function jitter(pose: Pose): Record<string, { px: number; torso: number }> {
  const frames = [...pose.keys()].filter((f) => steady.has(f)).sort((x, y) => x - y);
  const torsoMedian = quantile(frames.map((f) => torso(pose.get(f)!)), 0.5);
  const out: Record<string, { px: number; torso: number }> = {};
  for (const [name, k] of Object.entries({ leftHip: 11, rightHip: 12, leftAnkle: 15, rightAnkle: 16 })) {
    const residuals: number[] = [];
    for (const axis of [0, 1]) {
      const series = frames.map((f) => pose.get(f)![k * 3 + axis]!);
      const smooth = smoothSeries(series, 3);
      series.forEach((v, i) => residuals.push(v - smooth[i]!));
    }
    const sd = Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / residuals.length);
    out[name] = { px: sd, torso: sd / torsoMedian };
  }
  return out;
}

const results: Record<string, { pose: Pose; medianMs: number; oneWorkerMs: number; twoWorkersMs: number; backend: string }> = {};
for (const model of poseModelNames) {
  const one = await refinePose(video, squares, { model, workers: 1 });
  const two = await refinePose(video, squares, { model, workers: 2 });
  const perFrame = (r: typeof one) => (r.timings.totalMs - r.timings.startMs) / r.timings.frames;
  results[model] = { pose: toPose(one.pose.frames, one.pose.points, one.pose.names.length), medianMs: one.timings.medianInferenceMs, oneWorkerMs: perFrame(one), twoWorkersMs: perFrame(two), backend: one.backend };
  console.error(`${model}: ${one.timings.frames} frames, median ${one.timings.medianInferenceMs.toFixed(1)} ms a run`);
}

// stage 1's MultiPose keypoints on its detection frames (the patient detected there, not interpolated)
const stride = stage1.stride;
const detected = new Set(stage1.overlay.tracks.filter((t) => stage1.patientTrackIds.includes(t.id)).flatMap((t) => t.frames));
const kp = stage1.overlay.patientKeypoints;
const multiPose: Pose = new Map();
kp.frames.forEach((f, i) => {
  if (f % stride !== 0 || !detected.has(f)) return;
  const p = new Float64Array(keypointNames.length * 3).fill(Number.NaN);
  p.set(kp.points.slice(i * 51, (i + 1) * 51));
  multiPose.set(f, p);
});

const fmt = (v: number, d = 1) => (Number.isNaN(v) ? '-' : v.toFixed(d));
console.log(`Video: ${video.split('/').at(-1)}, ${stage1.sourceWidth}x${stage1.sourceHeight}; walker track(s) ${stage1.patientTrackIds.join(', ')}; ${squares.frames.length} segment frames, ${steady.size} of them steady (square inside the picture); ${multiPose.size} MultiPose detection frames.\n`);
console.log('| model | median ms a run (1 thread) | refinement ms a frame, 1 worker | 2 workers |');
console.log('|---|---|---|---|');
for (const [model, r] of Object.entries(results)) console.log(`| ${model} | ${fmt(r.medianMs)} | ${fmt(r.oneWorkerMs)} | ${fmt(r.twoWorkersMs)} |`);

const table = (title: string, pairs: Array<[string, Pose, Pose]>) => {
  console.log(`\n${title} (median / p90; px, then torso lengths; n keypoints compared)\n`);
  console.log(`| pair | ${Object.keys(groups).join(' | ')} |`);
  console.log(`|---|${Object.keys(groups).map(() => '---').join('|')}|`);
  for (const [label, a, b] of pairs) {
    const g = agreement(a, b);
    console.log(`| ${label} | ${Object.values(g).map((v) => (v.n === 0 ? '-' : `${fmt(v.px[0])} / ${fmt(v.px[1])} px; ${fmt(v.torso[0], 3)} / ${fmt(v.torso[1], 3)} (${v.n})`)).join(' | ')} |`);
  }
};
const names = Object.keys(results);
const pairs: Array<[string, Pose, Pose]> = [];
for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) pairs.push([`${names[i]} vs ${names[j]}`, results[names[i]!]!.pose, results[names[j]!]!.pose]);
table('Agreement between models', pairs);
table('Agreement with stage 1 MultiPose on its detection frames', names.map((n) => [`${n} vs multipose`, results[n]!.pose, multiPose]));

console.log('\nJitter on the steady walk: SD about the smoothed path (px; torso lengths)\n');
console.log('| model | left hip | right hip | left ankle | right ankle |');
console.log('|---|---|---|---|---|');
for (const [model, r] of Object.entries(results)) {
  const j = jitter(r.pose);
  console.log(`| ${model} | ${Object.values(j).map((v) => `${fmt(v.px, 2)}; ${fmt(v.torso, 4)}`).join(' | ')} |`);
}
process.exit(0);
