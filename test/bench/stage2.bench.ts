/**
 * Stage 2 speed: onnxruntime-node vs PyTorch 1.13 on the same machine in the same run, and the
 * app's overhead (decode + transforms + batching around session.run) vs a bare session.run.
 * Prints numbers and ratios; asserts nothing. Full-size models are exported on demand into
 * test/output/bench-models (never committed). Run: npm run bench -- stage2
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { openBundle } from '../../src-main/classify/modelBundle.js';
import { openSession, ort } from '../../src-main/classify/executionProviders.js';
import { classifyVideo, releaseSessions, runClips, sessionFor } from '../../src-main/classify/classifyVideo.js';
import { clips, hasTestdata, testVideo } from '../helpers/testdata.js';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'test/output/bench-models');
const python = '/usr/bin/python3';
const havePython = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const threads = availableParallelism();
const repeats = Number(process.env.BENCH_REPEATS ?? 5);

const configs = [
  { label: 'slow_r50 8x224', args: ['--arch', 'slow_r50', '--depth', '50', '--frames', '8', '--size', '224'], dir: 'slow_r50-t8' },
  { label: 'slow_r50 32x224', args: ['--arch', 'slow_r50', '--depth', '50', '--frames', '32', '--size', '224'], dir: 'slow_r50-t32' },
  { label: 'X3D-S 13x182', args: ['--arch', 'x3d', '--variant', 's'], dir: 'x3d-s' },
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  if (!havePython) console.log('python3-torch is not installed: PyTorch columns are skipped, and full-size models cannot be exported here.');
  mkdirSync(out, { recursive: true });
  const rows: string[][] = [];
  for (const config of configs) {
    const dir = join(out, config.dir);
    if (!existsSync(join(dir, 'model.onnx'))) {
      if (!havePython) continue;
      execFileSync(python, [join(root, 'tools/models/export_reference.py'), 'export', ...config.args, '--out', dir], { stdio: 'ignore' });
    }
    const bundle = await openBundle(dir);
    const { frames, size } = bundle.manifest.input;
    const session = await openSession(bundle.modelPath, { providers: ['cpu'], intraOpThreads: threads });
    const input = new ort.Tensor('float32', Float32Array.from({ length: 3 * frames * size * size }, (_, i) => Math.sin(i)), [1, 3, frames, size, size]);
    await session.session.run({ video: input });
    const ortTimes: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      await session.session.run({ video: input });
      ortTimes.push(performance.now() - t0);
    }
    const ortMs = median(ortTimes);
    await session.session.release();
    let torchMs: number | undefined;
    if (havePython) {
      const json = execFileSync(python, [join(root, 'tools/models/export_reference.py'), 'bench', ...config.args, '--threads', String(threads), '--repeats', String(repeats)]).toString();
      torchMs = (JSON.parse(json.trim().split('\n').at(-1)!) as { msPerClip: number }).msPerClip;
    }
    // the app's inference path (session cache, tensor wrapping, output conversion) on the same tensor
    const appSession = await sessionFor(bundle, { providers: ['cpu'], intraOpThreads: threads });
    await runClips(appSession, bundle, input.data as Float32Array, 1);
    const appTimes: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      await runClips(appSession, bundle, input.data as Float32Array, 1);
      appTimes.push(performance.now() - t0);
    }
    const appMs = median(appTimes);
    // and the whole stage 2 on a real clip: decode + sample + transforms + inference, per clip
    let endToEndMs: number | undefined;
    if (hasTestdata) {
      const result = await classifyVideo(testVideo(clips.sports2dH264), bundle, { providers: ['cpu'], intraOpThreads: threads, batchSize: 1 });
      endToEndMs = result.timings.totalMs / result.clips.length;
    }
    await releaseSessions();
    rows.push([
      config.label,
      ortMs.toFixed(0),
      torchMs === undefined ? '—' : torchMs.toFixed(0),
      torchMs === undefined ? '—' : (torchMs / ortMs).toFixed(2) + 'x',
      appMs.toFixed(0),
      `${(((appMs - ortMs) / ortMs) * 100).toFixed(1)}%`,
      endToEndMs === undefined ? '—' : endToEndMs.toFixed(0),
    ]);
    await bundle.dispose();
  }
  const header = ['model', 'session.run ms/clip', 'PyTorch ms/clip', 'speed-up', 'app inference ms/clip', 'app overhead', 'end to end ms/clip (720p clip)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log(`\nStage 2 on ${threads} cores, CPU provider, median of ${repeats} runs, batch 1`);
  for (const line of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(line.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

await main();
