/**
 * The measurement step's pose refinement: ms a frame for each shipped pose model on the
 * Sports2D walker (1 and 2 workers; the default decode and whole frames at full size), and
 * stage 1, refinement with the default model and the measures on the generated 10 s and 60 s 1080p clips
 * (as stage1.bench.ts makes them) as a multiple of real time on this machine's cores, with
 * peak RSS. Each measurement runs in a fresh process so peak RSS belongs to it alone. Prints
 * numbers and ratios, with the load average before each run (the machine may be shared);
 * asserts nothing. Run: npm run bench -- measure
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveFfmpeg } from '../../src-main/media/ffmpegPaths.js';
import { clips, hasTestdata, testPhoto, testVideo } from '../helpers/testdata.js';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'test/output/bench-measure');

interface OneResult {
  stage1Ms: number;
  refineMs: number;
  /** domain/posture on the refined keypoints: filter, swap repair, views, the measures, gait. */
  measureMs: number;
  /** Until every pose worker had its model ready (part of refineMs). */
  startMs: number;
  frames: number;
  medianInferenceMs: number;
  renderMs: number;
  decodeScale: number;
  window: string;
  backend: string;
  rssPeakMb: number;
  error: string | null;
}

if (process.argv[2] === '--one') {
  // child mode: stage 1, then the refinement, once; prints JSON
  const [, , , video, model, workers, decode] = process.argv;
  const { prepareVideo } = await import('../../src-main/detect/prepareVideo.js');
  const { patientSquares } = await import('../../src-main/domain/patientSquares.js');
  const { refinePose } = await import('../../src-main/measure/poseRefinement.js');
  const { isPoseModelName } = await import('../../src-main/detect/poseModelSpecs.js');
  const { measureVideo } = await import('../../src-main/domain/posture/measureVideo.js');
  try {
    const t0 = performance.now();
    const stage1 = await prepareVideo(video!, join(out, 'clip.mp4'), { mode: 'crop', size: 256 });
    const stage1Ms = performance.now() - t0;
    const squares = patientSquares(stage1.overlay, stage1.patientTrackIds, stage1.segments);
    const t1 = performance.now();
    const r = await refinePose(video!, squares, { ...(isPoseModelName(model) ? { model } : {}), workers: Number(workers), decode: { full: decode === 'full' } });
    const refineMs = performance.now() - t1;
    const t2 = performance.now();
    measureVideo({ pose: r.pose, segments: stage1.segments });
    const result: OneResult = {
      stage1Ms,
      refineMs,
      measureMs: performance.now() - t2,
      startMs: r.timings.startMs,
      frames: r.timings.frames,
      medianInferenceMs: r.timings.medianInferenceMs,
      renderMs: r.timings.renderMs,
      decodeScale: r.decode.scale,
      window: `${r.decode.window.width}x${r.decode.window.height} of ${r.decode.width}x${r.decode.height}`,
      backend: r.backend,
      rssPeakMb: process.resourceUsage().maxRSS / 1024,
      error: null,
    };
    console.log(JSON.stringify(result));
  } catch (error) {
    console.log(JSON.stringify({ error: (error as Error).message }));
  }
  process.exit(0);
}

function runOne(video: string, model: string, workers: number, decode: 'auto' | 'full'): OneResult & { load: string } {
  const load = loadavg()[0]!.toFixed(1);
  const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--one', video, model, String(workers), decode], { encoding: 'utf8' });
  return { ...(JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as OneResult), load };
}

if (!hasTestdata) {
  console.log('../shared/testdata is absent: no clips to measure.');
  process.exit(0);
}
mkdirSync(out, { recursive: true });
const cores = availableParallelism();

console.log(`\nRefinement on the Sports2D walker (720p), ${cores} cores: ms a frame of the whole refinement (decode, crops, model), and the model's median run\n`);
console.log('| model | workers | decode | refinement ms a frame (after the start) | start ms | model run ms (median) | crop ms a frame | measures ms a frame | decoded window | load before |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
const walker = testVideo(clips.sports2dH264);
for (const model of ['movenet-lightning', 'movenet-thunder', 'blazepose-full']) {
  for (const [workers, decode] of [
    [1, 'auto'],
    [2, 'auto'],
    [2, 'full'],
  ] as const) {
    const r = runOne(walker, model, workers, decode);
    if (r.error) {
      console.log(`| ${model} | ${workers} | ${decode} | failed: ${r.error} | | | | | | ${r.load} |`);
      continue;
    }
    console.log(`| ${model} | ${workers} | ${decode} | ${((r.refineMs - r.startMs) / r.frames).toFixed(1)} | ${r.startMs.toFixed(0)} | ${r.medianInferenceMs.toFixed(1)} | ${(r.renderMs / r.frames).toFixed(2)} | ${(r.measureMs / r.frames).toFixed(3)} | ${r.window} (scale ${r.decodeScale.toFixed(2)}) | ${r.load} |`);
  }
}

const { ffmpeg } = resolveFfmpeg();
console.log(`\nThe whole pipeline (stage 1 + refinement with the default model, ${cores} workers + measures) on generated 1080p clips: multiple of real time (video seconds / processing seconds) and peak RSS\n`);
console.log('| clip | stage 1 | refinement | measures | whole pipeline | refinement frames | peak RSS | load before |');
console.log('|---|---|---|---|---|---|---|---|');
for (const seconds of [10, 60]) {
  // the same clips as stage1.bench.ts: a real photo of the walker, slowly panned, 1080p 30 fps
  const file = join(out, `generated-1080p-${seconds}s.mp4`);
  if (!existsSync(file)) {
    execFileSync(ffmpeg, ['-v', 'error', '-y', '-loop', '1', '-i', testPhoto('still_sports2d_sideview_walker_t3.4s.jpg'), '-vf', `scale=2112:1188,crop=1920:1080:'96+80*sin(t)':'54+40*cos(t)',format=yuv420p`, '-r', '30', '-t', String(seconds), '-c:v', 'libx264', '-preset', 'veryfast', file]);
  }
  const r = runOne(file, 'default', cores, 'auto');
  if (r.error) {
    console.log(`| ${seconds} s | failed: ${r.error} | | | | | | ${r.load} |`);
    continue;
  }
  const x = (ms: number) => `${(seconds / (ms / 1000)).toFixed(2)}x`;
  console.log(`| ${seconds} s | ${x(r.stage1Ms)} | ${x(r.refineMs)} | ${r.measureMs.toFixed(0)} ms | ${x(r.stage1Ms + r.refineMs + r.measureMs)} | ${r.frames} (decode scale ${r.decodeScale.toFixed(2)}, window ${r.window}) | ${r.rssPeakMb.toFixed(0)} MB | ${r.load} |`);
}
