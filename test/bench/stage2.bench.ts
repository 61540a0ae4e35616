/**
 * Stage 2 speed: onnxruntime-node vs PyTorch 1.13 on this machine in the same run, and the
 * app's overhead (Stage2Classifier: worker thread, messaging, cached session, output copy)
 * over a bare session.run on the same tensor. Prints tables; asserts nothing.
 *
 *   node --import tsx test/bench/stage2.bench.ts        (or: npm run bench -- stage2)
 *
 * Full-size models (random weights) are exported on demand into test/output/bench-models,
 * never committed. BENCH_REPEATS (default 5) sets the runs per measurement (median shown);
 * BENCH_TUNING=0 skips the session-option sweep, BENCH_TORCH=0 the PyTorch column,
 * BENCH_ONLY=slow_r50-t8 (a model folder, comma-separated) limits the models.
 *
 * "End to end vs session.run": classifyVideo in this thread (cached session, the app's
 * defaults) on the shared 720p clip, per 1 s clip, against the bare session.run of one clip,
 * with where the time went: decode (waiting for ffmpeg's frames), resize/normalise (the
 * TypeScript transform and the clip assembly), inference (session.run inside classifyVideo),
 * waiting for batches (what of decode and transform the model waited for), other (ffprobe,
 * planning, the rest). Medians over the runs. BENCH_RESIZE=exact,ffmpeg and
 * BENCH_OVERLAP=on,off add rows for the other resize mode and for decoding strictly in turn.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { openBundle } from '../../src-main/classify/bundle.js';
import { Stage2Classifier } from '../../src-main/classify/classifier.js';
import { classifyVideo, releaseSessions, type Stage2Breakdown } from '../../src-main/classify/classifyVideo.js';
import type { ResizeMode } from '../../src-main/classify/preprocess.js';
import { openSession, type SessionTuning } from '../../src-main/runtime/openSession.js';
import { clips, hasTestdata, testVideo } from '../helpers/testdata.js';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'test/output/bench-models');
const tool = join(root, 'tools/models/export_reference.py');
const python = '/usr/bin/python3';
const havePython = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const threads = availableParallelism();
const repeats = Number(process.env.BENCH_REPEATS ?? 5);
const tuning = process.env.BENCH_TUNING !== '0';
const withTorch = process.env.BENCH_TORCH !== '0';
const only = process.env.BENCH_ONLY?.split(',');
const e2eModes = (process.env.BENCH_RESIZE ?? 'exact').split(',') as ResizeMode[];
const e2eOverlap = (process.env.BENCH_OVERLAP ?? 'on').split(',').map((v) => v === 'on');
const decodeThreads = process.env.BENCH_DECODE_THREADS ? Number(process.env.BENCH_DECODE_THREADS) : undefined;

const allConfigs = [
  { label: 'slow_r50 8x224', args: ['--arch', 'slow_r50', '--frames', '8', '--size', '224'], dir: 'slow_r50-t8' },
  { label: 'slow_r50 32x224', args: ['--arch', 'slow_r50', '--frames', '32', '--size', '224'], dir: 'slow_r50-t32' },
  { label: 'X3D-S 13x182', args: ['--arch', 'x3d', '--variant', 's', '--frames', '13', '--size', '182'], dir: 'x3d-s' },
];
const configs = allConfigs.filter((c) => !only || only.includes(c.dir));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timeIt(run: () => Promise<unknown>, n = repeats): Promise<number> {
  await run(); // warm-up (first run allocates and plans)
  const times: number[] = [];
  for (let r = 0; r < n; r++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log(`\n${title}`);
  for (const line of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(line.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

async function bareMs(modelPath: string, input: ort.Tensor, options: SessionTuning): Promise<number> {
  const opened = await openSession(modelPath, { providers: ['cpu'], ...options });
  try {
    return await timeIt(() => opened.session.run({ video: input }));
  } finally {
    await opened.session.release();
  }
}

/** classifyVideo end to end, `repeats` runs after a warm-up: medians per clip of the total and its parts. */
async function classifyVideoBreakdown(bundle: Awaited<ReturnType<typeof openBundle>>, resize: ResizeMode, overlap: boolean): Promise<Record<'total' | 'decode' | 'transform' | 'inference' | 'wait' | 'other', number>> {
  const video = testVideo(clips.sports2dH264);
  const runs: Stage2Breakdown[] = [];
  for (let r = 0; r <= repeats; r++) {
    const breakdown = {} as Stage2Breakdown;
    await classifyVideo(video, bundle, { providers: ['cpu'], intraOpThreads: threads, resize, overlap, breakdown, ...(decodeThreads ? { decodeThreads } : {}) });
    if (r > 0) runs.push(breakdown);
  }
  await releaseSessions();
  const per = (f: (b: Stage2Breakdown) => number) => median(runs.map((b) => f(b) / b.clips));
  return {
    total: per((b) => b.totalMs),
    decode: per((b) => b.decodeMs),
    transform: per((b) => b.transformMs + b.assembleMs),
    inference: per((b) => b.inferenceMs),
    wait: per((b) => b.waitMs),
    other: per((b) => b.totalMs - b.inferenceMs - b.waitMs),
  };
}

async function main(): Promise<void> {
  console.log(`onnxruntime-node ${ort.env.versions.common}, ${threads} cores, CPU provider, batch 1, median of ${repeats} runs (after one warm-up)`);
  if (!havePython) console.log('python3-torch is not installed: no PyTorch column, and missing full-size models cannot be exported.');
  mkdirSync(out, { recursive: true });
  const rows: string[][] = [];
  const tuningRows: string[][] = [];
  const e2eRows: string[][] = [];
  for (const config of configs) {
    const dir = join(out, config.dir);
    if (!existsSync(join(dir, 'model.onnx'))) {
      if (!havePython) continue;
      console.log(`exporting ${config.label} to ${dir} ...`);
      execFileSync(python, [tool, 'export', ...config.args, '--out', dir], { stdio: 'ignore' });
    }
    const bundle = await openBundle(dir);
    const { frames, size } = bundle.manifest.input;
    const data = Float32Array.from({ length: 3 * frames * size * size }, (_, i) => Math.sin(i * 0.37) * 1.5);
    const input = new ort.Tensor('float32', data, [1, 3, frames, size, size]);

    const bare = await bareMs(bundle.modelPath, input, { intraOpThreads: threads });
    // the app path on the same tensor: worker thread, structured-clone copy of the clip in,
    // cached session, result copy back
    const classifier = new Stage2Classifier({ providers: ['cpu'], intraOpThreads: threads });
    const app = await timeIt(() => classifier.runBatch(bundle, data, 1));
    let endToEnd: number | undefined;
    if (hasTestdata) {
      const result = await classifier.classifyVideo(testVideo(clips.sports2dH264), bundle);
      endToEnd = result.timings.totalMs / result.clips.length;
    }
    await classifier.dispose();

    if (hasTestdata) {
      for (const resize of e2eModes) {
        for (const overlap of e2eOverlap) {
          const e = await classifyVideoBreakdown(bundle, resize, overlap);
          e2eRows.push([config.label, resize, overlap ? 'on' : 'off', e.total.toFixed(0), bare.toFixed(0), `${(e.total / bare).toFixed(2)}x`, e.decode.toFixed(0), e.transform.toFixed(0), e.inference.toFixed(0), e.wait.toFixed(0), e.other.toFixed(0)]);
        }
      }
    }

    let torchMs: number | undefined;
    if (havePython && withTorch) {
      const json = execFileSync(python, [tool, 'bench', ...config.args, '--threads', String(threads), '--repeats', String(repeats)], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      torchMs = (JSON.parse(json.trim().split('\n').at(-1)!) as { msPerClip: number }).msPerClip;
    }
    rows.push([
      config.label,
      bare.toFixed(0),
      torchMs === undefined ? '-' : torchMs.toFixed(0),
      torchMs === undefined ? '-' : `${(torchMs / bare).toFixed(2)}x`,
      app.toFixed(0),
      `${(((app - bare) / bare) * 100).toFixed(1)}%`,
      endToEnd === undefined ? '-' : endToEnd.toFixed(0),
    ]);

    if (tuning && config.dir !== 'slow_r50-t32') {
      const variants: Array<[string, SessionTuning]> = [
        [`all, sequential, ${threads} threads (default)`, { intraOpThreads: threads }],
        ['extended', { intraOpThreads: threads, graphOptimizationLevel: 'extended' }],
        ['basic', { intraOpThreads: threads, graphOptimizationLevel: 'basic' }],
        ['all, spinning off', { intraOpThreads: threads, allowSpinning: false }],
        ['all, parallel mode', { intraOpThreads: threads, executionMode: 'parallel' }],
        ['all, 1 thread', { intraOpThreads: 1 }],
      ];
      for (const [label, options] of variants) {
        const ms = label.endsWith('(default)') ? bare : await bareMs(bundle.modelPath, input, options);
        tuningRows.push([config.label, label, ms.toFixed(0), `${((ms / bare) * 100).toFixed(0)}%`]);
      }
    }
    await bundle.dispose();
  }
  table(
    'Stage 2 inference, ms per clip',
    ['model', 'onnxruntime session.run', 'PyTorch 1.13', 'onnxruntime speed-up', 'app (Stage2Classifier)', 'app overhead', 'end to end on the 720p clip'],
    rows,
  );
  console.log('  app: Stage2Classifier.runBatch on the same tensor (worker thread, clip copied in, cached session, output back).');
  console.log('  end to end: classifyVideo on the shared 1280x720 30 fps clip, decode + exact resize + inference, per 1 s clip.');
  if (e2eRows.length > 0) {
    table(
      'End to end vs session.run, ms per 1 s clip (shared 1280x720 30 fps clip, 7 clips)',
      ['model', 'resize', 'overlap', 'classifyVideo', 'session.run', 'ratio', 'decode', 'resize/normalise', 'inference', 'waiting for batches', 'other'],
      e2eRows,
    );
    console.log('  classifyVideo in this thread. decode: waiting for frames from ffmpeg; resize/normalise: the TypeScript transform and clip assembly; both run while the model');
    console.log('  runs when overlap is on. inference: session.run inside classifyVideo. waiting for batches: the decode and transform the model waited for (idle model).');
    console.log('  other: ffprobe, planning, the rest (classifyVideo = inference + waiting + other).');
  }
  if (tuningRows.length > 0) table('Session options (bare session.run, ms per clip)', ['model', 'options', 'ms', 'vs default'], tuningRows);
}

await main();
