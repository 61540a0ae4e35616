/**
 * Stage 1 speed: for a generated 10 s and 60 s 1920x1080 30 fps clip with a person in it and for
 * each real clip: frames per second, multiple of real time, peak memory (RSS), and the ratio to
 * plain ffmpeg decoding of the same clip, at detection stride 1 (every frame) and at the default
 * stride (WALKSCOPE_BENCH_STRIDES=1,3,5 for others). Each measurement runs in a fresh process so
 * peak RSS belongs to that clip alone. Prints numbers, with the load average before each run
 * (the machine may be shared); asserts nothing. Run: npm run bench -- stage1
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { defaultStride } from '../../src-main/domain/detectionStride.js';
import { resolveFfmpeg } from '../../src-main/media/ffmpegPaths.js';
import { clips, hasTestdata, testPhoto, testVideo } from '../helpers/testdata.js';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'test/output/bench-stage1');

if (process.argv[2] === '--one') {
  // child mode: run stage 1 once and print JSON
  const { prepareVideo } = await import('../../src-main/detect/prepareVideo.js');
  const t0 = performance.now();
  const result = await prepareVideo(process.argv[3]!, process.argv[4]!, { mode: 'pad', size: 512, stride: Number(process.argv[5]) }).catch((e: Error) => ({ error: e.message }));
  const ms = performance.now() - t0;
  const ok = !('error' in result);
  console.log(
    JSON.stringify({
      ms,
      rssPeakMb: process.resourceUsage().maxRSS / 1024,
      frames: ok ? result.coverage.frames : 0,
      detectMs: ok ? result.timings.detectMs : 0,
      writeMs: ok ? result.timings.writeMs : 0,
      stride: ok ? result.stride : 0,
      backend: ok ? result.backend : '',
      error: ok ? null : result.error,
    }),
  );
  process.exit(0);
}

const { ffmpeg } = resolveFfmpeg();
mkdirSync(out, { recursive: true });
const inputs: Array<{ label: string; file: string; seconds: number }> = [];
if (hasTestdata) {
  for (const seconds of [10, 60]) {
    const file = join(out, `generated-1080p-${seconds}s.mp4`);
    if (!existsSync(file)) {
      // a real photo of the walker, slowly panned so every frame differs, at 1080p 30 fps
      execFileSync(ffmpeg, ['-v', 'error', '-y', '-loop', '1', '-i', testPhoto('still_sports2d_sideview_walker_t3.4s.jpg'), '-vf', `scale=2112:1188,crop=1920:1080:'96+80*sin(t)':'54+40*cos(t)',format=yuv420p`, '-r', '30', '-t', String(seconds), '-c:v', 'libx264', '-preset', 'veryfast', file]);
    }
    inputs.push({ label: `generated 1080p ${seconds} s`, file, seconds });
  }
  for (const name of Object.values(clips)) {
    const probe = JSON.parse(execFileSync(resolveFfmpeg().ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', testVideo(name)]).toString()) as { format: { duration: string } };
    inputs.push({ label: name, file: testVideo(name), seconds: Number(probe.format.duration) });
  }
} else {
  console.log('../shared/testdata is absent: no clips to measure.');
}

const strides = (process.env.WALKSCOPE_BENCH_STRIDES ?? `1,${defaultStride}`).split(',').map(Number);
const rows: string[][] = [];
let backend = '';
for (const input of inputs) {
  const t0 = performance.now();
  execFileSync(ffmpeg, ['-v', 'error', '-i', input.file, '-vf', 'fps=30', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-y', '/dev/null']);
  const decodeMs = performance.now() - t0;
  for (const stride of strides) {
    const load = loadavg()[0]!.toFixed(1);
    const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--one', input.file, join(out, 'out.mp4'), String(stride)], { encoding: 'utf8' });
    const r = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { ms: number; rssPeakMb: number; frames: number; detectMs: number; writeMs: number; stride: number; backend: string; error: string | null };
    backend ||= r.backend;
    rows.push([
      input.label,
      `${input.seconds.toFixed(1)} s`,
      String(stride),
      // a video with nobody in it is a result too (NO_PERSON_FOUND after detecting every planned frame): its time counts
      `${((r.error ? Math.round(input.seconds * 30) : r.frames) / (r.ms / 1000)).toFixed(1)}${r.error ? ` (${r.error.slice(0, 24)}...)` : ''}`,
      `${(input.seconds / (r.ms / 1000)).toFixed(2)}x`,
      r.rssPeakMb.toFixed(0),
      (r.ms / decodeMs).toFixed(1),
      (r.detectMs / 1000).toFixed(1),
      (r.writeMs / 1000).toFixed(1),
      load,
    ]);
    console.log(rows.at(-1)!.join('  '));
  }
}
const header = ['clip', 'length', 'stride', 'stage 1 fps', 'x real time', 'peak RSS MB', 'time / ffmpeg decode', 'detect s', 'write s', 'load before'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
console.log(`\nStage 1 (MoveNet MultiPose, 256 on the long side at the video's aspect, ${backend || 'tfjs'}; detection stride k = every k-th frame of the 30 fps timeline; pad 512) on this machine`);
for (const line of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(line.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
