/**
 * Stage 1 detectors compared, on onnxruntime (the graph converted to ONNX, the default) and on
 * tfjs wasm: per-frame milliseconds of MoveNet MultiPose (256 on the long side, the video's
 * aspect; and on the 256x256 square for comparison) and CenterNet (512 square) in one thread
 * (the model call alone, after one warm-up frame, which also converts the graph), and the
 * whole clip's detection pass (detectVideo: decoding, letterboxing, one worker per core) in
 * frames per second. Real clip: Sports2D 720p. Each measurement in a fresh process. Prints
 * numbers and the wasm / onnxruntime ratio; asserts nothing. Run: npm run bench -- stage1Detectors
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { detectorNames } from '../../src-main/detect/detectorSpecs.js';
import { clips, hasTestdata, testVideo } from '../helpers/testdata.js';

const helper = resolve(import.meta.dirname, '../helpers/detect/detectFrames.ts');
const warmup = 30;
const measured = 20;

if (process.argv[2] === '--pass') {
  // child mode: one whole detection pass, printed as JSON
  const { detectVideo } = await import('../../src-main/detect/detectVideo.js');
  const t0 = performance.now();
  const run = await detectVideo(process.argv[3]!, { detector: process.argv[4] as (typeof detectorNames)[number], backend: process.argv[5] as 'wasm' });
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, frames: run.frameCount, backend: run.backend }));
  process.exit(0);
}

if (!hasTestdata) {
  console.log('../shared/testdata is absent: no clip to measure the detectors on.');
  process.exit(0);
}

const video = testVideo(clips.sports2dH264);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const rows: string[][] = [];
const backends = ['onnxruntime', 'wasm'] as const;
const runs: Array<{ name: (typeof detectorNames)[number]; input?: string }> = [...detectorNames.map((name) => ({ name })), { name: 'movenet-multipose', input: '256x256' }];
const medians = new Map<string, number>();
for (const { name, input } of runs) {
  for (const backend of backends) {
    const frameList = Array.from({ length: measured + 1 }, (_, i) => warmup + i).join(',');
    const one = spawnSync(process.execPath, ['--import', 'tsx', helper, video, frameList, backend, name, ...(input ? [input] : [])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const measuredRun = JSON.parse(one.stdout.trim().split('\n').at(-1) ?? '{}') as { input: string; frames: Array<{ ms: number }> };
    const perFrame = measuredRun.frames.slice(1).map((f) => f.ms);
    medians.set(`${name} ${measuredRun.input} ${backend}`, median(perFrame));
    // the whole pass runs the detector's own input only
    const whole = input
      ? undefined
      : (JSON.parse(spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--pass', video, name, backend], { encoding: 'utf8' }).stdout.trim().split('\n').at(-1) ?? '{}') as { ms: number; frames: number; backend: string });
    rows.push([
      name,
      measuredRun.input,
      backend,
      median(perFrame).toFixed(1),
      (perFrame.reduce((a, b) => a + b, 0) / perFrame.length).toFixed(1),
      whole ? (whole.frames / (whole.ms / 1000)).toFixed(1) : '-',
      whole?.backend ?? '(model call only)',
    ]);
  }
}
const header = ['detector', 'input', 'backend', 'ms/frame median (1 thread)', 'ms/frame mean', 'clip fps (detect pass)', 'pass ran on'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
console.log(`\nStage 1 detectors, ${clips.sports2dH264} (frames ${warmup + 1}-${warmup + measured}; detect pass with ${availableParallelism()} workers)`);
for (const line of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(line.map((c, i) => (i <= 2 || i === 6 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
for (const key of new Set([...medians.keys()].map((k) => k.replace(/ (onnxruntime|wasm)$/, '')))) {
  const onnx = medians.get(`${key} onnxruntime`)!;
  const wasm = medians.get(`${key} wasm`)!;
  console.log(`${key}: onnxruntime ${onnx.toFixed(1)} ms/frame vs wasm ${wasm.toFixed(1)} ms/frame (median, one thread): ${(wasm / onnx).toFixed(1)}x faster`);
}
