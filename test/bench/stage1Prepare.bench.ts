/**
 * Stage 1 after detection: tracking, the patient, the crop plan and the person-centred clip
 * writer. The detector's speed is measured by stage1Detect.bench.ts and the whole of stage 1
 * by stage1.bench.ts; this one shows what the rest costs, so the two add up:
 * - tracker + patient choice + crop plan on a long synthetic detection run (3 people, 60 s);
 * - the clip writer (decode at 30 fps, crop/pad/resize, H.264 encode) on a generated 10 s and
 *   60 s 1920x1080 30 fps clip and on each real clip, with a plan that follows a box across
 *   the frame: frames per second, multiple of real time, time against plain ffmpeg decoding
 *   of the same clip (to yuv420p, what the writer reads), and the writer's peak RSS in a
 *   fresh process (10 s against 60 s: memory must not grow with length).
 * Prints numbers; asserts nothing. Run: npm run bench -- stage1Prepare
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { planCrops, type CropMode } from '../../src-main/domain/cropPlan.js';
import type { FrameDetections } from '../../src-main/domain/detectionTypes.js';
import { choosePatient } from '../../src-main/domain/tracking/patientTrack.js';
import { trackPeople } from '../../src-main/domain/tracking/tracker.js';
import { writePersonCentredClip } from '../../src-main/media/cropWriter.js';
import { resolveFfmpeg } from '../../src-main/media/ffmpegPaths.js';
import { probeVideo } from '../../src-main/media/probe.js';
import { clips, hasTestdata, testPhoto, testVideo } from '../helpers/testdata.js';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'test/output/bench-prepare');

/** A plan whose box (60% of the frame's height) walks from right to left across the frame. */
async function walkingPlan(file: string, mode: CropMode) {
  const probe = await probeVideo(file);
  const W = probe.displayWidth;
  const H = probe.displayHeight;
  const frames = Math.round(probe.durationSec * 30) - 1;
  const h = 0.6 * H;
  const points = Array.from({ length: frames }, (_, frame) => {
    const cx = W * 0.85 - (W * 0.7 * frame) / frames;
    return { frame, box: { x1: cx - h / 6, y1: 0.25 * H, x2: cx + h / 6, y2: 0.25 * H + h }, score: 1, keypoints: [] };
  });
  return { W, H, seconds: probe.durationSec, plan: planCrops(points, { mode, frameWidth: W, frameHeight: H, totalFrames: frames }) };
}

if (process.argv[2] === '--write') {
  // child mode: write one clip and print JSON (peak RSS belongs to this clip alone)
  const [file, output, mode, size] = process.argv.slice(3) as [string, string, CropMode, string];
  const { W, H, plan } = await walkingPlan(file, mode);
  const t0 = performance.now();
  const result = await writePersonCentredClip({ input: file, output, width: W, height: H, size: Number(size), fps: 30, frames: plan.frames });
  console.log(JSON.stringify({ ms: performance.now() - t0, frames: result.frames, renderMs: result.timings.renderMs, decodeScale: result.decodeScale, rssPeakMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const line of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(line.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

// 1. tracking, patient, plan: 60 s, a walker, someone standing, someone jumping, some misses
{
  const frames: FrameDetections[] = Array.from({ length: 1800 }, (_, f) => ({
    frame: f,
    time: f / 30,
    people: [
      ...(f % 17 === 0 ? [] : [{ box: { x1: 1700 - (f % 600) * 2.5, y1: 300, x2: 1800 - (f % 600) * 2.5, y2: 800 }, score: 0.5, keypoints: [] }]),
      { box: { x1: 400, y1: 250, x2: 520, y2: 850 }, score: 0.4, keypoints: [] },
      { box: { x1: 900, y1: 200 - 80 * Math.abs(Math.sin(f / 12)), x2: 1000, y2: 650 - 80 * Math.abs(Math.sin(f / 12)) }, score: 0.4, keypoints: [] },
    ],
  }));
  const t0 = performance.now();
  const tracks = trackPeople(frames);
  const t1 = performance.now();
  const choice = choosePatient(tracks, { fps: 30 })!;
  const t2 = performance.now();
  const plan = planCrops(choice.points, { mode: 'pad', frameWidth: 1920, frameHeight: 1080, totalFrames: 1800 });
  const t3 = performance.now();
  console.log('\nTracking, patient choice and crop plan, 60 s at 30 fps with 3 people (synthetic detections)');
  table(['step', 'ms', 'per frame'], [
    ['tracker', (t1 - t0).toFixed(1), `${(((t1 - t0) / 1800) * 1000).toFixed(0)} us`],
    ['patient choice', (t2 - t1).toFixed(1), `${(((t2 - t1) / 1800) * 1000).toFixed(0)} us`],
    ['crop plan', (t3 - t2).toFixed(1), `${(((t3 - t2) / 1800) * 1000).toFixed(0)} us`],
  ]);
  console.log(`(${tracks.length} tracks; patient ${choice.trackIds.join('+')}; ${plan.frames.length} frames planned)`);
}

// 2. the clip writer
const { ffmpeg } = resolveFfmpeg();
mkdirSync(out, { recursive: true });
const inputs: Array<{ label: string; file: string }> = [];
if (hasTestdata) {
  for (const seconds of [10, 60]) {
    const shared = join(root, 'test/output/bench-stage1', `generated-1080p-${seconds}s.mp4`);
    const file = existsSync(shared) ? shared : join(out, `generated-1080p-${seconds}s.mp4`);
    if (!existsSync(file)) {
      // the same clip stage1.bench.ts makes: a real photo of the walker, slowly panned, 1080p 30 fps
      execFileSync(ffmpeg, ['-v', 'error', '-y', '-loop', '1', '-i', testPhoto('still_sports2d_sideview_walker_t3.4s.jpg'), '-vf', `scale=2112:1188,crop=1920:1080:'96+80*sin(t)':'54+40*cos(t)',format=yuv420p`, '-r', '30', '-t', String(seconds), '-c:v', 'libx264', '-preset', 'veryfast', file]);
    }
    inputs.push({ label: `generated 1080p ${seconds} s`, file });
  }
  for (const name of Object.values(clips)) inputs.push({ label: name, file: testVideo(name) });
} else {
  console.log('../shared/testdata is absent: no clips to measure.');
}

const rows: string[][] = [];
for (const input of inputs) {
  const seconds = (await probeVideo(input.file)).durationSec;
  const t0 = performance.now();
  execFileSync(ffmpeg, ['-v', 'error', '-i', input.file, '-an', '-vf', 'fps=30', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-y', '/dev/null']);
  const decodeMs = performance.now() - t0;
  for (const mode of ['pad'] as const) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--write', input.file, join(out, 'out.mp4'), mode, '512'], { encoding: 'utf8' });
    const line = child.stdout.trim().split('\n').at(-1) ?? '';
    if (!line.startsWith('{')) {
      rows.push([input.label, `${seconds.toFixed(1)} s`, 'failed', child.stderr.trim().split('\n').at(-1) ?? '', '', '', '', '']);
      continue;
    }
    const r = JSON.parse(line) as { ms: number; frames: number; renderMs: number; decodeScale: number; rssPeakMb: number };
    rows.push([
      input.label,
      `${seconds.toFixed(1)} s`,
      (r.frames / (r.ms / 1000)).toFixed(0),
      `${(seconds / (r.ms / 1000)).toFixed(1)}x`,
      (r.ms / decodeMs).toFixed(2),
      (r.renderMs / r.frames).toFixed(2),
      r.decodeScale.toFixed(2),
      r.rssPeakMb.toFixed(0),
    ]);
  }
}
console.log('\nPerson-centred clip writer (pad 512, libx264 superfast crf 18), plan from a box crossing the frame');
table(['clip', 'length', 'frames/s', 'x real time', 'time / ffmpeg decode', 'resample ms/frame', 'decode scale', 'peak RSS MB (node)'], rows);
