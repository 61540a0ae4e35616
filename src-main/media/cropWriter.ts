import { spawn } from 'node:child_process';
import { rename, rm } from 'node:fs/promises';
import type { CropFrame } from '../domain/cropPlan.js';
import { readRawFrames } from './rawFrames.js';
import { resolveFfmpeg, type FfmpegPathOverrides } from './ffmpegPaths.js';

export interface CropWriteOptions {
  input: string;
  output: string;
  /** Source frame size after rotation. */
  width: number;
  height: number;
  size: number;
  fps: number;
  frames: readonly CropFrame[];
  ffmpeg?: FfmpegPathOverrides | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Resamples one crop into the size x size output: the rectangle is centred in its square
 * canvas (black elsewhere: the paper's padding) and scaled bilinearly.
 */
export function renderCrop(src: Uint8Array, width: number, crop: CropFrame, size: number, out: Uint8Array): void {
  out.fill(0);
  const scale = crop.side / size;
  const offX = (crop.side - crop.width) / 2;
  const offY = (crop.side - crop.height) / 2;
  for (let oy = 0; oy < size; oy++) {
    const cy = (oy + 0.5) * scale - 0.5 - offY;
    if (cy < -0.5 || cy > crop.height - 0.5) continue;
    const sy = Math.min(crop.height - 1, Math.max(0, cy));
    const y0 = Math.floor(sy);
    const y1 = Math.min(crop.height - 1, y0 + 1);
    const wy = sy - y0;
    const r0 = (crop.y + y0) * width;
    const r1 = (crop.y + y1) * width;
    for (let ox = 0; ox < size; ox++) {
      const cx = (ox + 0.5) * scale - 0.5 - offX;
      if (cx < -0.5 || cx > crop.width - 0.5) continue;
      const sx = Math.min(crop.width - 1, Math.max(0, cx));
      const x0 = Math.floor(sx);
      const x1 = Math.min(crop.width - 1, x0 + 1);
      const wx = sx - x0;
      const a = (r0 + crop.x + x0) * 3;
      const b = (r0 + crop.x + x1) * 3;
      const c = (r1 + crop.x + x0) * 3;
      const d = (r1 + crop.x + x1) * 3;
      const o = (oy * size + ox) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const top = src[a + ch]! + (src[b + ch]! - src[a + ch]!) * wx;
        const bottom = src[c + ch]! + (src[d + ch]! - src[c + ch]!) * wx;
        out[o + ch] = top + (bottom - top) * wy + 0.5;
      }
    }
  }
}

/**
 * Writes the person-centred clip: the source decoded at 30 fps (streamed), each planned frame
 * cropped and resized in TypeScript, encoded by a second ffmpeg as H.264 yuv420p, 30 fps,
 * faststart (plays in Chromium). Frames without a plan (the patient absent) are left out.
 * Written to a temporary name and renamed when complete; removed on failure or cancel.
 */
export async function writePersonCentredClip(options: CropWriteOptions): Promise<{ frames: number }> {
  const { ffmpeg } = resolveFfmpeg(options.ffmpeg);
  const temp = `${options.output}.part.mp4`;
  const plan = new Map(options.frames.map((f) => [f.frame, f]));
  const last = Math.max(...options.frames.map((f) => f.frame));
  const encoder = spawn(
    ffmpeg,
    ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${options.size}x${options.size}`, '-r', String(options.fps), '-i', 'pipe:0',
      '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-r', String(options.fps), '-movflags', '+faststart', '-f', 'mp4', temp],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  encoder.stderr.setEncoding('utf8');
  encoder.stderr.on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
  const encoded = new Promise<number | null>((resolve, reject) => {
    encoder.once('error', reject);
    encoder.once('close', resolve);
  });
  const out = new Uint8Array(options.size * options.size * 3);
  let written = 0;
  try {
    let index = 0;
    for await (const frame of readRawFrames({ input: options.input, width: options.width, height: options.height, filters: `fps=${options.fps}`, signal: options.signal, ffmpegPaths: options.ffmpeg })) {
      const crop = plan.get(index);
      if (crop) {
        renderCrop(frame, options.width, crop, options.size, out);
        if (!encoder.stdin.write(out)) await new Promise((r) => encoder.stdin.once('drain', r));
        written++;
        options.onProgress?.(written, options.frames.length);
      }
      index++;
      if (index > last) break;
    }
    encoder.stdin.end();
    const code = await encoded;
    if (options.signal?.aborted) throw new Error('cancelled');
    if (code !== 0) throw new Error(`the H.264 encoder failed: ${stderr.trim().slice(-300)}`);
    await rename(temp, options.output);
    return { frames: written };
  } catch (error) {
    encoder.kill('SIGKILL');
    await rm(temp, { force: true });
    throw error;
  }
}
