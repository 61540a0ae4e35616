import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveFfmpeg, type FfmpegPathOverrides } from './ffmpegPaths.js';

const execFileAsync = promisify(execFile);

/**
 * Writes a JPEG thumbnail (320 px wide, rotation applied) from a frame near one second in,
 * or the middle of a shorter clip.
 */
export async function writeThumbnail(
  video: string,
  out: string,
  durationSec: number,
  options: { overrides?: FfmpegPathOverrides; signal?: AbortSignal } = {},
): Promise<void> {
  const { ffmpeg } = resolveFfmpeg(options.overrides);
  const at = Math.max(0, Math.min(1, durationSec / 2));
  await execFileAsync(
    ffmpeg,
    ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-ss', at.toFixed(3), '-i', video, '-frames:v', '1', '-vf', 'scale=320:-2', '-q:v', '4', '-f', 'image2', out],
    { signal: options.signal },
  );
}
