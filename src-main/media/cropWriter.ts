import { rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { CropFrame, CropGeometry } from '../domain/cropPlan.js';
import { resolveFfmpeg, type FfmpegPathOverrides } from './ffmpegPaths.js';
import { fixedSizeFrames, spawnFfmpeg, type FfmpegProcess } from './ffmpegProcess.js';

/**
 * Writes the person-centred clip of a crop plan.
 *
 * How: one ffmpeg decodes the source onto the same 30 fps timeline the detector saw
 * (`fps=30`) and streams raw yuv420p frames; each planned frame is cropped, padded and
 * resized here (bilinear, fixed point, on the three yuv420p planes directly); a second ffmpeg
 * reads size x size yuv420p frames on stdin and encodes H.264 (yuv420p, 30 fps, +faststart,
 * plays in Chromium). Only the planned frames are written, back to back: one file whose
 * segments follow each other (the plan says where each starts), as the reference drops the
 * frames without the patient. Memory stays at a few frames whatever the video's length.
 *
 * Why not an ffmpeg-only filter graph: the crop rectangle changes every frame in size and
 * position, and ffmpeg's crop filter evaluates its size once (sendcmd can change it, but the
 * following scale then re-initialises on every frame); the pad mode's black band would need a
 * second dynamic crop. Streaming yuv420p (1.5 bytes a pixel, no colour conversion on either
 * side) costs little: at 1080p decoding to the pipe runs at about 290 frames/s on this
 * machine against 190 for rgb24.
 * When every crop of the plan is much larger than the output, ffmpeg first scales the whole
 * frame down (area filter): less to move and no aliasing from a steep bilinear reduction.
 *
 * Speed (2-core machine, 1920 x 1080 30 fps source, pad 512, the bench's walking plan): the
 * three parts run at once (decoder, renderer on the main thread, encoder) and together keep
 * the two cores about 90% busy, so what counts is the CPU they need. For 1800 frames that is
 * about 3.3 CPU-s decoding, 2.6 encoding, some 2 s of rendering and 0.6 s writing to the
 * encoder's pipe on the main thread, plus the kernel's share of moving the frames through
 * the 64 KiB pipes. Two changes:
 * - the decoder cuts each frame to the part any planned crop reads (sourceWindowFor; exact, as
 *   the renderer computes its taps in whole-frame coordinates and only shifts them): about
 *   half of the frame for a person walking across it (rows above the head and below the feet,
 *   columns never reached), so half the bytes through the pipe (system time 1.8 -> 1.3 s);
 * - the renderer blends rows first, then columns (the same integer sums as the 2 x 2 formula),
 *   with no per-pixel tap check and integer row starts.
 * Measured interleaved with the previous writer, two runs each (bench process: wall, user +
 * system CPU, peak RSS): 60 s clip 6.35-6.52 s, 11.3-11.5 CPU-s -> 5.96-6.05 s, 10.5-10.7
 * CPU-s; 10 s clip 1.38-1.44 s, 2.3 CPU-s -> 1.27-1.29 s, 2.1-2.2 CPU-s; peak RSS 111-125 MB
 * for both lengths before and after (it does not grow with the video's length). The output
 * bytes are the same.
 * Measured and not kept: reading up to 4 decoded frames ahead and queueing up to 4 for the
 * encoder (instead of lockstep through the pipes) gave nothing (5.7-5.9 s write for 60 s)
 * and added 40 MB of RSS; one decoder or one encoder thread saves a little CPU but is slower
 * (6.1-6.7 s), two threads for either are the same as the default. A render worker thread was
 * not tried: with the cores already about 90% busy and decoupling the pipes giving nothing,
 * it could only move the same work to another thread.
 *
 * The file is written under a temporary name beside the output and renamed when complete;
 * on error or cancel it is removed.
 */
export interface CropWriteOptions {
  input: string;
  output: string;
  /** Source frame size after rotation (the detection run's width and height). */
  width: number;
  height: number;
  /** Side of the square output in pixels (even). */
  size: number;
  /** Timeline rate of the plan (30). */
  fps: number;
  /**
   * The ffmpeg filter that puts the source on the plan's timeline; it must be the one the
   * detector's frames went through (default `fps=<fps>`, as detectVideo does).
   */
  timelineFilter?: string;
  /** The frames to write, in timeline order. */
  frames: readonly CropFrame[];
  /** x264 quality (default 18) and preset (default superfast: about a third less encoding time than veryfast, larger files at the same quality). */
  crf?: number;
  preset?: string;
  ffmpeg?: FfmpegPathOverrides | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (done: number, total: number) => void;
}

export interface CropWriteResult {
  output: string;
  /** Frames written. */
  frames: number;
  /** Frames decoded from the source (up to the last planned one). */
  decodedFrames: number;
  /** Scale the source was decoded at (1 = full size). */
  decodeScale: number;
  timings: { totalMs: number; renderMs: number };
}

/** Bytes of one yuv420p frame of w x h (chroma planes rounded up). */
export function yuv420pBytes(w: number, h: number): number {
  return w * h + 2 * Math.ceil(w / 2) * Math.ceil(h / 2);
}

/** Per output column (or row): source index pair and weight, or -1 for black. */
interface Taps {
  i0: Int32Array;
  i1: Int32Array;
  w: Int32Array; // 0..256
}

function taps(n: number, canvasStart: number, canvasLength: number, visibleStart: number, visibleLength: number, planeLength: number): Taps {
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const w = new Int32Array(n);
  const step = canvasLength / n;
  const end = visibleStart + visibleLength;
  // source pixels that may be sampled: those the visible span touches, inside the plane
  const lo = Math.max(0, Math.floor(visibleStart));
  const last = Math.min(planeLength - 1, Math.ceil(end) - 1);
  for (let o = 0; o < n; o++) {
    const centre = canvasStart + (o + 0.5) * step; // source position of the output pixel's centre
    if (centre < visibleStart || centre >= end || last < lo) {
      i0[o] = -1;
      continue;
    }
    const s = Math.min(Math.max(centre - 0.5, lo), last);
    const f = Math.floor(s);
    i0[o] = f;
    i1[o] = Math.min(f + 1, last);
    w[o] = Math.round((s - f) * 256);
  }
  return { i0, i1, w };
}

/**
 * A rectangle of the frame, in whole pixels with even x, y, width and height (so the chroma
 * planes of a yuv420p frame cut to it start and end on whole chroma pixels).
 */
export interface SourceWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Renders one plane. The taps are computed in the coordinates of the whole plane (planeW x
 * planeH), so the result does not depend on the window; `src` holds only the window's part of
 * the plane (origin originX, originY; `stride` bytes a row) and the indices are shifted into it.
 */
function renderPlane(src: Uint8Array, srcOffset: number, stride: number, planeW: number, planeH: number, originX: number, originY: number, g: CropGeometry, scale: number, out: Uint8Array, outOffset: number, n: number, black: number): void {
  const cols = taps(n, g.canvas.x * scale, g.canvas.width * scale, g.visible.x * scale, g.visible.width * scale, planeW);
  const rows = taps(n, g.canvas.y * scale, g.canvas.height * scale, g.visible.y * scale, g.visible.height * scale, planeH);
  // the visible columns are one run (the visible part is a rectangle): black is filled around it
  // in one go, which in pad mode (mostly black beside the person) is most of each row
  let first = 0;
  while (first < n && cols.i0[first]! < 0) first++;
  let end = n;
  while (end > first && cols.i0[end - 1]! < 0) end--;
  // Separable: each output row first blends its two source rows over the source columns the
  // run reads (c0..c1; the taps only grow), then blends pairs of those columns. The integer
  // sums are those of the 2 x 2 formula (no rounding in between), so the output is the same;
  // it saves work because neighbouring output pixels share source columns.
  const { i0, i1, w: wxs } = cols;
  const c0 = first < end ? i0[first]! : 0;
  const c1 = first < end ? i1[end - 1]! : -1;
  const blend = new Int32Array(Math.max(0, c1 - c0 + 1)); // up to 255 * 256
  for (let oy = 0; oy < n; oy++) {
    const o = outOffset + oy * n;
    const ry0 = rows.i0[oy]!;
    if (ry0 < 0 || first === end) {
      out.fill(black, o, o + n);
      continue;
    }
    if (first > 0) out.fill(black, o, o + first);
    if (end < n) out.fill(black, o + end, o + n);
    // row starts moved left by originX: the column taps index them in whole-plane coordinates
    // `| 0` tells V8 the row starts are small integers: in the writer the render took about
    // 8% longer without it (1.95 against 2.15 s for 1800 frames, measured twice)
    const r0 = (srcOffset + (ry0 - originY) * stride - originX) | 0;
    const r1 = (srcOffset + (rows.i1[oy]! - originY) * stride - originX) | 0;
    const wy = rows.w[oy]!;
    const wy0 = 256 - wy;
    for (let x = c0; x <= c1; x++) blend[x - c0] = src[r0 + x]! * wy0 + src[r1 + x]! * wy;
    for (let ox = first; ox < end; ox++) {
      const wx = wxs[ox]!;
      out[o + ox] = (blend[i0[ox]! - c0]! * (256 - wx) + blend[i1[ox]! - c0]! * wx + 32768) >> 16;
    }
  }
}

/**
 * Renders one crop from a yuv420p source frame (w x h) into a size x size yuv420p frame:
 * the canvas fills the square, the visible part is resampled bilinearly, the rest is black.
 * `src` may hold only a window of the frame (see sourceWindowFor); the output is the same.
 */
export function renderCropYuv420p(src: Uint8Array, w: number, h: number, geometry: CropGeometry, size: number, out: Uint8Array, window: SourceWindow = { x: 0, y: 0, width: w, height: h }): void {
  const cw = Math.ceil(w / 2);
  const ch = Math.ceil(h / 2);
  const half = size >> 1;
  const lumaBytes = window.width * window.height;
  const chromaStride = Math.ceil(window.width / 2);
  const chromaBytes = chromaStride * Math.ceil(window.height / 2);
  const cx = window.x >> 1;
  const cy = window.y >> 1;
  renderPlane(src, 0, window.width, w, h, window.x, window.y, geometry, 1, out, 0, size, 16);
  renderPlane(src, lumaBytes, chromaStride, cw, ch, cx, cy, geometry, 0.5, out, size * size, half, 128);
  renderPlane(src, lumaBytes + chromaBytes, chromaStride, cw, ch, cx, cy, geometry, 0.5, out, size * size + half * half, half, 128);
}

/** The source pixels [lo, last] the taps of one span may read in a plane of planeLength, or undefined if none. */
function tapRange(visibleStart: number, visibleLength: number, planeLength: number): [number, number] | undefined {
  const lo = Math.max(0, Math.floor(visibleStart));
  const last = Math.min(planeLength - 1, Math.ceil(visibleStart + visibleLength) - 1);
  return last < lo ? undefined : [lo, last];
}

/** The luma span [start, end) covering what the luma and chroma taps of one axis may read, widened to even ends. */
function evenSpan(visibleStart: number, visibleLength: number, length: number): [number, number] | undefined {
  const luma = tapRange(visibleStart, visibleLength, length);
  const chroma = tapRange(visibleStart * 0.5, visibleLength * 0.5, Math.ceil(length / 2));
  if (!luma || !chroma) return undefined;
  const start = Math.min(luma[0], 2 * chroma[0]) & ~1;
  const end = Math.min(length, Math.max(luma[1] + 1, 2 * (chroma[1] + 1)) + 1) & ~1;
  return [start, end];
}

/**
 * The part of a w x h frame that any of the crops may read (the union of what their bilinear
 * taps touch), so that the decoder can cut the rest before the pipe: rows above and below the
 * person and columns they never reach are about half of a 1080p frame in a typical walk.
 * Exact: the renderer computes its taps in whole-frame coordinates and only shifts them.
 * The whole frame when w or h is odd (a window could not keep the chroma grid).
 */
export function sourceWindowFor(crops: readonly CropGeometry[], w: number, h: number): SourceWindow {
  const whole = { x: 0, y: 0, width: w, height: h };
  if (w % 2 !== 0 || h % 2 !== 0) return whole;
  let x0 = w;
  let x1 = 0;
  let y0 = h;
  let y1 = 0;
  for (const g of crops) {
    const xs = evenSpan(g.visible.x, g.visible.width, w);
    const ys = evenSpan(g.visible.y, g.visible.height, h);
    if (!xs || !ys) continue; // nothing of the frame is shown: the renderer reads no pixel
    x0 = Math.min(x0, xs[0]);
    x1 = Math.max(x1, xs[1]);
    y0 = Math.min(y0, ys[0]);
    y1 = Math.max(y1, ys[1]);
  }
  if (x1 <= x0 || y1 <= y0) return { x: 0, y: 0, width: 2, height: 2 }; // every crop is all black
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Resolves when the encoder's stdin can take more, or the encoder or its stdin has gone. */
function drained(encoder: FfmpegProcess): Promise<void> {
  return new Promise((resolve) => {
    const stdin = encoder.input();
    if (stdin.destroyed || !encoder.running) {
      resolve();
      return;
    }
    const done = () => {
      stdin.off('drain', done);
      stdin.off('close', done);
      stdin.off('error', done);
      encoder.child.off('exit', done);
      resolve();
    };
    stdin.once('drain', done);
    stdin.once('close', done);
    stdin.once('error', done);
    encoder.child.once('exit', done);
  });
}

/** The decode size: the full frame, or smaller when every crop is much larger than the output. */
export function decodeScaleFor(frames: readonly CropFrame[], size: number, width: number, height: number): { scale: number; width: number; height: number } {
  const smallest = Math.min(...frames.map((f) => Math.min(f.canvas.width, f.canvas.height)));
  // keep at least 1.25 source pixels per output pixel for the smallest crop
  const scale = Math.min(1, (1.25 * size) / smallest);
  if (scale > 0.8) return { scale: 1, width, height };
  const w = Math.max(2, Math.round((width * scale) / 2) * 2);
  const h = Math.max(2, Math.round((height * scale) / 2) * 2);
  return { scale: w / width, width: w, height: h };
}

/** The ffmpeg crop that cuts a decoded w x h frame to the window ('' for the whole frame). */
function cropFilter(window: SourceWindow, w: number, h: number): string {
  if (window.x === 0 && window.y === 0 && window.width === w && window.height === h) return '';
  return `,crop=${window.width}:${window.height}:${window.x}:${window.y}`;
}

function scaled(g: CropFrame, sx: number, sy: number): CropGeometry {
  const r = (q: { x: number; y: number; width: number; height: number }) => ({ x: q.x * sx, y: q.y * sy, width: q.width * sx, height: q.height * sy });
  return { canvas: r(g.canvas), visible: r(g.visible) };
}

export async function writePersonCentredClip(options: CropWriteOptions): Promise<CropWriteResult> {
  const started = performance.now();
  if (options.frames.length === 0) throw new AppError('NO_PERSON_FOUND', basename(options.input));
  if (options.size < 16 || options.size % 2 !== 0) throw new AppError('BAD_REQUEST', `the output size must be an even number of pixels, not ${options.size}`);
  const { ffmpeg } = resolveFfmpeg(options.ffmpeg);
  const temp = `${options.output}.part.mp4`;
  const size = options.size;
  const decode = decodeScaleFor(options.frames, size, options.width, options.height);
  const sx = decode.width / options.width;
  const sy = decode.height / options.height;
  const geometries = options.frames.map((crop) => (sx === 1 && sy === 1 ? crop : scaled(crop, sx, sy)));
  const window = sourceWindowFor(geometries, decode.width, decode.height);
  const frameBytes = yuv420pBytes(window.width, window.height);
  const outBytes = yuv420pBytes(size, size);
  const lastFrame = options.frames.at(-1)!.frame;

  const filters = (options.timelineFilter ?? `fps=${options.fps}`) + (decode.scale < 1 ? `,scale=${decode.width}:${decode.height}:flags=area` : '') + cropFilter(window, decode.width, decode.height);
  const decoder = spawnFfmpeg(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', options.input, '-an', '-sn', '-vf', filters, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: options.signal,
  });
  const encoder = spawnFfmpeg(
    ffmpeg,
    [
      '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${size}x${size}`, '-framerate', String(options.fps), '-i', 'pipe:0',
      '-an', '-c:v', 'libx264', '-preset', options.preset ?? 'superfast', '-crf', String(options.crf ?? 18),
      '-pix_fmt', 'yuv420p', '-r', String(options.fps), '-movflags', '+faststart', '-f', 'mp4', temp,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'], signal: options.signal },
  );
  const frameSink = encoder.input();
  let encoderBroken: Error | undefined;
  frameSink.on('error', (error) => (encoderBroken = error));
  const encoderProblem = () => new Error(`${encoderBroken?.message ?? ''} ${encoder.stderrTail.trim()}`.trim());
  const stopBoth = () => {
    decoder.stop();
    encoder.stop();
  };

  let written = 0;
  let index = 0;
  let renderMs = 0;
  try {
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
    let next = 0; // position in options.frames
    // one reused buffer: each frame is rendered into its own output before the next is read
    for await (const frame of fixedSizeFrames(decoder.output(), frameBytes, 'reused')) {
      while (next < options.frames.length && options.frames[next]!.frame < index) next++;
      const crop = options.frames[next];
      if (crop && crop.frame === index) {
        const t = performance.now();
        const out = Buffer.allocUnsafe(outBytes); // not reused: the pipe may still hold the previous one
        renderCropYuv420p(frame, decode.width, decode.height, geometries[next]!, size, out, window);
        renderMs += performance.now() - t;
        if (encoderBroken) break;
        if (!frameSink.write(out)) await drained(encoder);
        written++;
        next++;
        options.onProgress?.(written, options.frames.length);
      }
      index++;
      if (index > lastFrame) break;
    }
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
    if (encoderBroken || !encoder.running) {
      await encoder.exited;
      throw new AppError('INTERNAL', 'the H.264 encoder stopped', { cause: encoderProblem() });
    }
    if (index <= lastFrame) {
      // the decoder stopped early: a damaged or truncated file
      const code = await decoder.exited;
      if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
      throw new AppError('VIDEO_TRUNCATED', basename(options.input), { cause: new Error(`ffmpeg exited with ${code} after ${index} of ${lastFrame + 1} frames: ${decoder.stderrTail.trim()}`) });
    }
    decoder.stop(); // frames after the last planned one are not needed
    frameSink.end();
    const code = await encoder.exited;
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
    if (code !== 0) throw new AppError('INTERNAL', 'the H.264 encoder failed', { cause: encoderProblem() });
    await rename(temp, options.output);
    return { output: options.output, frames: written, decodedFrames: index, decodeScale: decode.scale, timings: { totalMs: performance.now() - started, renderMs } };
  } catch (error) {
    stopBoth();
    await Promise.all([decoder.exited, encoder.exited]);
    await rm(temp, { force: true });
    throw error;
  }
}
