import { stat } from 'node:fs/promises';
import { AppError } from '../contract/errors.js';
import { implausibleDuration } from './durationPlausibility.js';
import type { FfmpegPathOverrides } from './ffmpegPaths.js';
import { probeVideo, scanPackets, type PacketScan } from './probe.js';
import type { VideoProbe } from '../contract/entities.js';

export interface CheckedVideo {
  probe: VideoProbe;
  scan: PacketScan;
}

/**
 * What every way into the app (import, `walkscope prepare` of loose files) asks of a video
 * before working on it: ffprobe can read it, every packet demuxes (a file cut off in the middle
 * is refused even when its index is intact), and its stated length fits its frames and size
 * (MEDIA_IMPLAUSIBLE: 3 frames "lasting" 2 hours). Errors name the file by `shownName`.
 */
export async function checkVideo(file: string, shownName: string, options: { ffmpeg?: FfmpegPathOverrides | undefined; signal?: AbortSignal | undefined } = {}): Promise<CheckedVideo> {
  const renamed = (error: unknown) => {
    throw error instanceof AppError ? new AppError(error.code, shownName, { cause: error }) : error;
  };
  const probe = await probeVideo(file, options.ffmpeg).catch(renamed);
  const scan = await scanPackets(file, { ...(options.ffmpeg ? { overrides: options.ffmpeg } : {}), ...(options.signal ? { signal: options.signal } : {}) }).catch(renamed);
  const { size } = await stat(file);
  const misfit = implausibleDuration({ statedSec: probe.durationSec, frameCount: scan.frameCount, frameTimes: scan.times, sizeBytes: size });
  if (misfit !== null) throw new AppError('MEDIA_IMPLAUSIBLE', `${shownName} ${misfit}`);
  return { probe, scan };
}
