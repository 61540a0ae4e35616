import { execFile } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { AppError } from '../contract/errors.js';
import type { VideoProbe } from '../contract/entities.js';
import { resolveFfmpeg, type FfmpegPathOverrides } from './ffmpegPaths.js';
import { spawnFfmpeg } from './ffmpegProcess.js';

const execFileAsync = promisify(execFile);

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  pix_fmt?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  nb_frames?: string;
  bit_rate?: string;
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; bit_rate?: string; tags?: Record<string, string> };
}

/** "30000/1001" -> 29.97; "0/0" -> 0 */
export function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [num, den] = rate.split('/').map(Number);
  if (num === undefined || !Number.isFinite(num)) return 0;
  if (den === undefined) return num;
  return den > 0 ? num / den : 0;
}

/** Rotation in degrees clockwise, normalised to 0, 90, 180 or 270. */
export function streamRotation(stream: FfprobeStream): number {
  const fromSideData = stream.side_data_list?.find((s) => typeof s.rotation === 'number')?.rotation;
  // Display-matrix rotation is counter-clockwise; the legacy "rotate" tag is clockwise.
  const degrees = fromSideData !== undefined ? -fromSideData : Number(stream.tags?.rotate ?? 0);
  return (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
}

/** An encrypted vault file is read through a loopback address (filecrypt/mediaInputServer.ts), not a path. */
const isAddress = (input: string) => input.startsWith('http://127.0.0.1:');

/** True when the file starts like an MP4/MOV (an `ftyp` box): then a missing index means a cut-off copy. */
async function looksLikeIsoMedia(file: string): Promise<boolean> {
  if (isAddress(file)) return false;
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(12);
    await handle.read(head, 0, 12, 0);
    return head.toString('latin1', 4, 8) === 'ftyp';
  } finally {
    await handle.close();
  }
}

const truncationHints = /moov atom not found|partial file|Invalid data found when processing input|End of file|truncat/i;

/**
 * Reads a video's container and stream facts with ffprobe. Refuses files that are not
 * videos (no video stream) and files that are cut off, with catalogue errors.
 */
export async function probeVideo(file: string, overrides?: FfmpegPathOverrides): Promise<VideoProbe> {
  // the same codes as the import's checks, whichever path reaches here (import, prepare, measure)
  if (!isAddress(file)) {
    const info = await stat(file).catch((cause: unknown) => {
      throw new AppError('FILE_NOT_FOUND', file, { cause });
    });
    if (info.isDirectory()) throw new AppError('FILE_IS_FOLDER', file);
    if (info.size === 0) throw new AppError('FILE_EMPTY', file);
  }
  const { ffprobe } = resolveFfmpeg(overrides);
  let output: FfprobeOutput;
  // execFile rather than spawnFfmpeg: the answer is one small JSON document, read whole, and
  // execFile hands back stdout and stderr (the reason for refusing the file) with its error;
  // there is nothing to stream and no signal to follow
  try {
    const { stdout } = await execFileAsync(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], {
      maxBuffer: 16 * 1024 * 1024,
    });
    output = JSON.parse(stdout) as FfprobeOutput;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    if (/moov atom not found/i.test(stderr) && (await looksLikeIsoMedia(file))) throw new AppError('VIDEO_TRUNCATED', file, { cause: error });
    throw new AppError('NOT_A_VIDEO', file, { cause: error });
  }
  const video = output.streams?.find((s) => s.codec_type === 'video' && s.codec_name !== 'mjpeg' && s.codec_name !== 'png');
  if (!video || !video.width || !video.height) throw new AppError('NOT_A_VIDEO', file);
  const audio = output.streams?.find((s) => s.codec_type === 'audio');
  const rotation = streamRotation(video);
  const swap = rotation === 90 || rotation === 270;
  const avgFps = parseRate(video.avg_frame_rate);
  const realFps = parseRate(video.r_frame_rate);
  const durationSec = Number(video.duration ?? output.format?.duration ?? 0);
  if (!(durationSec > 0) || !(avgFps > 0 || realFps > 0)) throw new AppError('NOT_A_VIDEO', file);
  const frameCount = video.nb_frames ? Number(video.nb_frames) : null;
  const bitRate = Number(video.bit_rate ?? output.format?.bit_rate ?? NaN);
  return {
    container: output.format?.format_name ?? 'unknown',
    codec: video.codec_name ?? 'unknown',
    pixelFormat: video.pix_fmt ?? null,
    width: video.width,
    height: video.height,
    displayWidth: swap ? video.height : video.width,
    displayHeight: swap ? video.width : video.height,
    rotation,
    durationSec,
    avgFps,
    realFps,
    variableFrameRate: avgFps > 0 && realFps > 0 && Math.abs(avgFps - realFps) / realFps > 0.01,
    frameCount: frameCount !== null && Number.isFinite(frameCount) ? frameCount : null,
    bitRate: Number.isFinite(bitRate) ? Math.round(bitRate) : null,
    hasAudio: audio !== undefined,
    creationTime: output.format?.tags?.creation_time ?? video.tags?.creation_time ?? null,
    audioCodec: audio?.codec_name ?? null,
  };
}

export interface PacketScan {
  frameCount: number;
  /** Presentation time of every frame, ascending, in seconds from the stream start. */
  times: number[];
  /** Mean and spread of the gaps between presentation times, in seconds. */
  meanIntervalSec: number;
  intervalJitter: number;
  variableFrameRate: boolean;
}

/**
 * Reads every video packet's timestamp (demuxing only, no decoding) to count frames and
 * detect a variable frame rate, and to catch files whose data is cut off (ffprobe reports
 * a partial file). Streams ffprobe's output; memory stays flat.
 */
export async function scanPackets(
  file: string,
  options: { overrides?: FfmpegPathOverrides; onProgress?: (seconds: number) => void; signal?: AbortSignal } = {},
): Promise<PacketScan> {
  const { ffprobe } = resolveFfmpeg(options.overrides);
  const scan = spawnFfmpeg(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: options.signal,
  });
  const times: number[] = [];
  let partial = '';
  const stdout = scan.output();
  stdout.setEncoding('utf8');
  for await (const chunk of stdout as AsyncIterable<string>) {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const t = Number(line.split(',')[0]);
      if (Number.isFinite(t) && line.trim() !== '' && line.trim() !== 'N/A') times.push(t);
    }
    const last = times.at(-1);
    if (last !== undefined) options.onProgress?.(last);
  }
  const code = await scan.exited;
  if (scan.spawnError) throw scan.spawnError;
  if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
  const stderr = scan.stderrTail;
  if (code !== 0 || truncationHints.test(stderr)) throw new AppError('VIDEO_TRUNCATED', file, { cause: new Error(stderr) });
  if (times.length === 0) throw new AppError('NOT_A_VIDEO', file);
  times.sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
  const mean = gaps.length > 0 ? gaps.reduce((s, g) => s + g, 0) / gaps.length : 0;
  const sd = gaps.length > 1 ? Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / (gaps.length - 1)) : 0;
  const jitter = mean > 0 ? sd / mean : 0;
  const origin = times[0]!;
  return { frameCount: times.length, times: times.map((t) => t - origin), meanIntervalSec: mean, intervalJitter: jitter, variableFrameRate: jitter > 0.05 };
}
