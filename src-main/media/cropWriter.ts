/**
 * Writes the person-centred clip of a crop plan. One ffmpeg decodes the source onto the plan's
 * timeline (the one the detector saw) as raw yuv420p, scaled down first when every crop is much
 * larger than the output and cut to the window any crop reads; cropRender.ts crops, pads and
 * resizes each planned frame; a second ffmpeg encodes them to H.264 (yuv420p, +faststart, plays
 * in Chromium). Only the planned frames are written, back to back, as one file. Memory stays at
 * a few frames whatever the video's length.
 *
 * Why a streaming renderer and not an ffmpeg filter graph: the crop rectangle changes size and
 * position every frame; ffmpeg's crop filter fixes its size once (sendcmd can change it, but
 * the scale after it then re-initialises on every frame), and pad mode's black band would need
 * a second moving crop. Both pipes carry yuv420p, what most sources decode to and what the
 * H.264 clip is stored as, so there is usually no colour conversion on either side.
 *
 * The clip is written under a temporary name beside the output and renamed when complete, so
 * the output path never holds half a clip; on error or cancel the temporary file is removed.
 * Speeds measured, and what was tried and not kept: docs/benchmarks/clip-writer.md.
 */
import { rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { CropFrame } from '../domain/cropPlan.js';
import { decodeScaleFor, renderCropYuv420p, scaledGeometry, sourceWindowFor, yuv420pBytes, type SourceWindow } from './cropRender.js';
import { resolveFfmpeg, type FfmpegPathOverrides } from './ffmpegPaths.js';
import { fixedSizeFrames, spawnFfmpeg } from './ffmpegProcess.js';
import { H264Encoder } from './h264Encoder.js';

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
  /** x264 quality (default 18) and preset (default superfast: faster than veryfast, for larger files at the same quality; docs/benchmarks/clip-writer.md). */
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

/** The ffmpeg crop that cuts a decoded w x h frame to the window ('' for the whole frame). */
function cropFilter(window: SourceWindow, w: number, h: number): string {
  if (window.x === 0 && window.y === 0 && window.width === w && window.height === h) return '';
  return `,crop=${window.width}:${window.height}:${window.x}:${window.y}`;
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
  const geometries = options.frames.map((crop) => (sx === 1 && sy === 1 ? crop : scaledGeometry(crop, sx, sy)));
  const window = sourceWindowFor(geometries, decode.width, decode.height);
  const frameBytes = yuv420pBytes(window.width, window.height);
  const outBytes = yuv420pBytes(size, size);
  const lastFrame = options.frames.at(-1)!.frame;

  const filters = (options.timelineFilter ?? `fps=${options.fps}`) + (decode.scale < 1 ? `,scale=${decode.width}:${decode.height}:flags=area` : '') + cropFilter(window, decode.width, decode.height);
  const decoder = spawnFfmpeg(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', options.input, '-an', '-sn', '-vf', filters, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: options.signal,
  });
  const encoder = new H264Encoder(ffmpeg, { width: size, height: size, fps: options.fps, output: temp, preset: options.preset ?? 'superfast', crf: options.crf ?? 18 }, options.signal);
  const stopBoth = () => {
    decoder.stop();
    encoder.process.stop();
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
        if (!(await encoder.write(out))) break;
        written++;
        next++;
        options.onProgress?.(written, options.frames.length);
      }
      index++;
      if (index > lastFrame) break;
    }
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
    await encoder.refuseIfStopped();
    if (index <= lastFrame) {
      // the decoder stopped early: a damaged or truncated file
      const code = await decoder.exited;
      if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
      throw new AppError('VIDEO_TRUNCATED', basename(options.input), { cause: new Error(`ffmpeg exited with ${code} after ${index} of ${lastFrame + 1} frames: ${decoder.stderrTail.trim()}`) });
    }
    decoder.stop(); // frames after the last planned one are not needed
    const code = await encoder.end();
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
    encoder.refuseIfFailed(code);
    await rename(temp, options.output);
    return { output: options.output, frames: written, decodedFrames: index, decodeScale: decode.scale, timings: { totalMs: performance.now() - started, renderMs } };
  } catch (error) {
    stopBoth();
    await Promise.all([decoder.exited, encoder.process.exited]);
    await rm(temp, { force: true });
    throw error;
  }
}
