import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AppError } from '../contract/errors.js';
import { resolveFfmpeg, type FfmpegPathOverrides } from './ffmpegPaths.js';

const execFileAsync = promisify(execFile);

/**
 * One frame of a video as a JPEG (rotation applied, at most `maxWidth` pixels wide, aspect
 * kept), at a time on the video's clock: for a report's key frame. One small answer read whole.
 */
export async function stillFrameJpeg(video: string, timeSec: number, options: { maxWidth?: number; ffmpeg?: FfmpegPathOverrides } = {}): Promise<Buffer> {
  const { ffmpeg } = resolveFfmpeg(options.ffmpeg);
  const maxWidth = options.maxWidth ?? 960;
  try {
    const { stdout } = await execFileAsync(
      ffmpeg,
      ['-hide_banner', '-nostdin', '-v', 'error', '-ss', Math.max(0, timeSec).toFixed(3), '-i', video, '-frames:v', '1', '-vf', `scale='min(iw,${maxWidth})':-2`, '-q:v', '3', '-f', 'image2pipe', '-vcodec', 'mjpeg', 'pipe:1'],
      { encoding: 'buffer', maxBuffer: 32 * 1024 * 1024 },
    );
    if (stdout.length === 0) throw new Error('ffmpeg wrote no frame');
    return stdout;
  } catch (cause) {
    throw new AppError('NO_FRAMES_DECODED', `${video} at ${timeSec.toFixed(2)} s`, { cause });
  }
}
