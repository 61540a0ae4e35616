import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AppError } from '../contract/errors.js';
import type { Ellipse } from '../domain/deidentify/headEllipses.js';
import { yuv420pBytes } from './cropRender.js';
import { blurEllipsesYuv420p } from './ellipseBlur.js';
import { resolveFfmpeg, type FfmpegPathOverrides } from './ffmpegPaths.js';
import { spawnFfmpeg } from './ffmpegProcess.js';

const execFileAsync = promisify(execFile);

export interface StillFrameOptions {
  maxWidth?: number;
  ffmpeg?: FfmpegPathOverrides;
  /**
   * Blur these heads (in the source's pixels after rotation, whose size is given) before the
   * JPEG is made: a report's still shows no face.
   */
  blur?: { heads: readonly Ellipse[]; sourceWidth: number; sourceHeight: number };
  /** JPEG (a report's still, the default) or lossless PNG (the review screen's snapshot). */
  format?: 'jpeg' | 'png';
}

/** ffmpeg's output options for one image of the format. */
const imageArgs = (format: 'jpeg' | 'png') => (format === 'png' ? ['-f', 'image2pipe', '-vcodec', 'png', 'pipe:1'] : ['-q:v', '3', '-f', 'image2pipe', '-vcodec', 'mjpeg', 'pipe:1']);

/**
 * One frame of a video as a JPEG or a PNG (rotation applied, at most `maxWidth` pixels wide, aspect
 * kept), at a time on the video's clock: for a report's key frame. One small answer read whole.
 * With `blur`, the frame is decoded to raw pixels, its heads blurred (ellipseBlur.ts), and
 * encoded by a second ffmpeg.
 */
export async function stillFrameJpeg(video: string, timeSec: number, options: StillFrameOptions = {}): Promise<Buffer> {
  const { ffmpeg } = resolveFfmpeg(options.ffmpeg);
  const maxWidth = options.maxWidth ?? 960;
  const format = options.format ?? 'jpeg';
  const seek = ['-hide_banner', '-nostdin', '-v', 'error', '-ss', Math.max(0, timeSec).toFixed(3), '-i', video, '-frames:v', '1'];
  try {
    if (options.blur) return await blurredStill(ffmpeg, seek, maxWidth, options.blur, format);
    const { stdout } = await execFileAsync(ffmpeg, [...seek, '-vf', `scale='min(iw,${maxWidth})':-2`, ...imageArgs(format)], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    if (stdout.length === 0) throw new Error('ffmpeg wrote no frame');
    return stdout;
  } catch (cause) {
    throw new AppError('NO_FRAMES_DECODED', `${video} at ${timeSec.toFixed(2)} s`, { cause });
  }
}

async function blurredStill(ffmpeg: string, seek: string[], maxWidth: number, blur: NonNullable<StillFrameOptions['blur']>, format: 'jpeg' | 'png'): Promise<Buffer> {
  const even = (v: number) => Math.max(2, 2 * Math.round(v / 2));
  const width = even(Math.min(blur.sourceWidth, maxWidth));
  const height = even((blur.sourceHeight * width) / blur.sourceWidth);
  const { stdout: raw } = await execFileAsync(ffmpeg, [...seek, '-vf', `scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  if (raw.length !== yuv420pBytes(width, height)) throw new Error(`ffmpeg wrote ${raw.length} bytes for a ${width}x${height} frame`);
  const sx = width / blur.sourceWidth;
  const sy = height / blur.sourceHeight;
  blurEllipsesYuv420p(raw, width, height, blur.heads.map((e) => ({ cx: e.cx * sx, cy: e.cy * sy, rx: e.rx * sx, ry: e.ry * sy })));
  const encoder = spawnFfmpeg(ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${width}x${height}`, '-i', 'pipe:0', '-frames:v', '1', ...imageArgs(format)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  encoder.output().on('data', (chunk: Buffer) => chunks.push(chunk));
  encoder.input().on('error', () => {});
  encoder.input().end(raw);
  const code = await encoder.exited;
  if (code !== 0 || chunks.length === 0) throw new Error(`the ${format === 'png' ? 'PNG' : 'JPEG'} encoder failed (${code}): ${encoder.stderrTail.trim()}`);
  return Buffer.concat(chunks);
}
