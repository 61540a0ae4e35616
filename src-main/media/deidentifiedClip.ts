/**
 * Writes the de-identified copy of a video: the source on its 30 fps timeline (the one stage 1
 * saw), every head the caller lists blurred (ellipseBlur.ts), no audio, no container metadata.
 * One ffmpeg decodes to raw yuv420p, this module blurs each frame, a second ffmpeg encodes H.264
 * from the pipe (h264Encoder.ts). Written under a temporary name and renamed when complete;
 * removed on error or cancel.
 */
import { rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { Ellipse } from '../domain/deidentify/headEllipses.js';
import { yuv420pBytes } from './cropRender.js';
import { blurEllipsesYuv420p } from './ellipseBlur.js';
import { resolveFfmpeg, type FfmpegPathOverrides } from './ffmpegPaths.js';
import { fixedSizeFrames, spawnFfmpeg } from './ffmpegProcess.js';
import { H264Encoder } from './h264Encoder.js';

export interface DeidentifiedClipOptions {
  input: string;
  output: string;
  /** The source's size after rotation and its timeline rate (stage 1's run). */
  width: number;
  height: number;
  fps: number;
  /** The heads to blur on each frame of the timeline (headEllipses); the clip has this many frames. */
  heads: readonly (readonly Ellipse[])[];
  crf?: number;
  preset?: string;
  ffmpeg?: FfmpegPathOverrides | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (done: number, total: number) => void;
}

export interface DeidentifiedClipResult {
  output: string;
  width: number;
  height: number;
  frames: number;
  /** Frames with at least one head blurred. */
  blurredFrames: number;
  timings: { totalMs: number; blurMs: number };
}

export async function writeDeidentifiedClip(options: DeidentifiedClipOptions): Promise<DeidentifiedClipResult> {
  const started = performance.now();
  const total = options.heads.length;
  if (total === 0) throw new AppError('NO_FRAMES_DECODED', basename(options.input));
  const { ffmpeg } = resolveFfmpeg(options.ffmpeg);
  // H.264 in yuv420p needs even sides: an odd last column or row is cut
  const width = options.width - (options.width % 2);
  const height = options.height - (options.height % 2);
  const temp = `${options.output}.part.mp4`;
  const frameBytes = yuv420pBytes(width, height);
  const crop = width === options.width && height === options.height ? '' : `,crop=${width}:${height}:0:0`;
  const decoder = spawnFfmpeg(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', options.input, '-an', '-sn', '-dn', '-vf', `fps=${options.fps}${crop}`, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: options.signal,
  });
  const encoder = new H264Encoder(ffmpeg, { width, height, fps: options.fps, output: temp, preset: options.preset ?? 'veryfast', crf: options.crf ?? 20, bitexact: true }, options.signal);

  let written = 0;
  let blurredFrames = 0;
  let blurMs = 0;
  try {
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
    // 'fresh': the pipe may still hold a frame while the next is blurred
    for await (const frame of fixedSizeFrames(decoder.output(), frameBytes, 'fresh')) {
      const heads = options.heads[written]!;
      if (heads.length > 0) {
        const t = performance.now();
        blurEllipsesYuv420p(frame, width, height, heads);
        blurMs += performance.now() - t;
        blurredFrames++;
      }
      if (!(await encoder.write(frame))) break;
      written++;
      options.onProgress?.(written, total);
      if (written === total) break;
    }
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
    await encoder.refuseIfStopped();
    if (written < total) {
      const code = await decoder.exited;
      if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
      throw new AppError('VIDEO_TRUNCATED', basename(options.input), { cause: new Error(`ffmpeg exited with ${code} after ${written} of ${total} frames: ${decoder.stderrTail.trim()}`) });
    }
    decoder.stop();
    const code = await encoder.end();
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
    encoder.refuseIfFailed(code);
    await rename(temp, options.output);
    return { output: options.output, width, height, frames: written, blurredFrames, timings: { totalMs: performance.now() - started, blurMs } };
  } catch (error) {
    decoder.stop();
    encoder.process.stop();
    await Promise.all([decoder.exited, encoder.process.exited]);
    await rm(temp, { force: true });
    throw error;
  }
}
