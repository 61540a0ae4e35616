import { resolveFfmpeg, type FfmpegPathOverrides } from './ffmpegPaths.js';
import { fixedSizeFrames, spawnFfmpeg, type FfmpegProcess, type FrameMode } from './ffmpegProcess.js';
import { strideSelectFilter, timelineLength } from '../domain/detectionStride.js';

export interface RawFrameOptions {
  /** Source video file. */
  input: string;
  /** Output frame width and height in pixels after the filter chain. */
  width: number;
  height: number;
  /**
   * ffmpeg -vf filter chain that produces width x height frames, e.g.
   * `fps=30,scale=224:224:flags=bilinear`. Rotation metadata is applied by ffmpeg
   * before the chain (autorotate is on by default).
   */
  filters: string;
  /** Pixel format: rgb24 (3 bytes per pixel) unless a caller needs gray. */
  pixelFormat?: 'rgb24' | 'gray';
  /** Stops decoding and kills ffmpeg. */
  signal?: AbortSignal | undefined;
  ffmpegPaths?: FfmpegPathOverrides | undefined;
  /** Extra input options placed before -i (e.g. ['-ss', '2.0']). */
  inputArgs?: string[];
  /** Extra output options (e.g. ['-vsync', 'passthrough'] to keep every frame as decoded). */
  outputArgs?: string[];
  /**
   * 'fresh' (default): each frame in its own memory, to keep. 'reused': one buffer overwritten
   * by every frame, for a consumer done with a frame before it asks for the next.
   */
  frameMode?: FrameMode;
}

export class FfmpegFailed extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
  ) {
    super(message);
    this.name = 'FfmpegFailed';
  }
}

/**
 * A select filter that passes the frames at these indices of its input (n = 0, 1, ...) and
 * drops the rest, e.g. `select=between(n\,0\,2)+eq(n\,9)` (commas escaped for a -vf chain).
 * Consecutive indices become one range. Frames it drops are never converted, scaled or piped.
 */
export function selectFramesFilter(indices: Iterable<number>): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  if (sorted.length === 0) throw new RangeError('no frame to select');
  const terms: string[] = [];
  for (let k = 0; k < sorted.length; ) {
    let j = k;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    terms.push(j === k ? `eq(n\\,${sorted[k]})` : `between(n\\,${sorted[k]}\\,${sorted[j]})`);
    k = j + 1;
  }
  return `select=${terms.join('+')}`;
}

/**
 * Decodes a video as a stream of raw frames: one Buffer per frame, never the whole video
 * in memory (the pipe applies back-pressure while the consumer works). Throws
 * FfmpegFailed with the end of ffmpeg's log when ffmpeg exits with an error.
 */
export async function* readRawFrames(options: RawFrameOptions): AsyncGenerator<Buffer, void, undefined> {
  const { ffmpeg } = resolveFfmpeg(options.ffmpegPaths);
  const bytesPerPixel = options.pixelFormat === 'gray' ? 1 : 3;
  const frameBytes = options.width * options.height * bytesPerPixel;
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    ...(options.inputArgs ?? []),
    '-i', options.input,
    '-an', '-sn',
    '-vf', options.filters,
    ...(options.outputArgs ?? []),
    '-f', 'rawvideo', '-pix_fmt', options.pixelFormat ?? 'rgb24',
    'pipe:1',
  ];
  const decoder = spawnFfmpeg(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
  try {
    // 'fresh': each frame in its own memory, the consumer may keep it after asking for the next
    yield* fixedSizeFrames(decoder.output(), frameBytes, options.frameMode ?? 'fresh');
    await decodingEnded(decoder, options.input, options.signal);
  } finally {
    decoder.stop();
  }
}

/**
 * After the last frame: throws the spawn error if ffmpeg could not start, nothing when the
 * decoding was cancelled (the signal killed ffmpeg), FfmpegFailed when ffmpeg exited with an
 * error. Returns whether the decoding ran to its end.
 */
async function decodingEnded(decoder: FfmpegProcess, input: string, signal?: AbortSignal): Promise<boolean> {
  const code = await decoder.exited;
  if (decoder.spawnError) throw decoder.spawnError;
  if (signal?.aborted) return false;
  if (code !== 0) throw new FfmpegFailed(`ffmpeg exited with code ${code} while decoding ${input}`, code, decoder.stderrTail.trim());
  return true;
}

export interface StridedFrameOptions {
  input: string;
  /** Size of each frame after `frameFilters`. */
  width: number;
  height: number;
  /** Puts the source on the timeline, e.g. `fps=30`. */
  timelineFilter: string;
  /** Passes every k-th frame of the timeline (frames 0, k, 2k, ...); 1 = all. */
  stride: number;
  /** Applied to the passed frames only, e.g. the detector's letterbox. */
  frameFilters: string;
  signal?: AbortSignal | undefined;
  ffmpegPaths?: FfmpegPathOverrides | undefined;
}

export interface StridedFrames {
  /** The passed frames with their index on the timeline, as standalone buffers (their memory can be transferred). */
  frames: AsyncGenerator<{ index: number; data: Uint8Array }, void, undefined>;
  /** The exact length of the timeline, known once `frames` has ended. */
  timelineFrames(): number;
  /** Stops ffmpeg when the frames will not be read (it starts decoding as soon as this is made). */
  stop(): void;
}

/**
 * Decodes every k-th frame of the timeline as raw rgb24 frames. Only those frames are scaled,
 * converted and piped; ffmpeg still decodes every frame (a compressed video cannot skip), and
 * a 2 x 2 crop of every timeline frame goes to a second pipe (4 bytes each) to count the
 * timeline exactly, at no measurable cost.
 */
export function readStridedFrames(options: StridedFrameOptions): StridedFrames {
  const { ffmpeg } = resolveFfmpeg(options.ffmpegPaths);
  const frameBytes = options.width * options.height * 3;
  const k = options.stride;
  if (!Number.isInteger(k) || k < 1) throw new Error(`the stride must be a whole number of frames of at least 1, not ${k}`);
  const graph =
    k === 1
      ? `[0:v]${options.timelineFilter},${options.frameFilters}[frames]`
      : `[0:v]${options.timelineFilter},split=2[t][c];[t]${strideSelectFilter(k)},${options.frameFilters}[frames];[c]crop=2:2:0:0,format=gray[count]`;
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-i', options.input,
    '-filter_complex', graph,
    '-map', '[frames]', '-an', '-sn', '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
    ...(k === 1 ? [] : ['-map', '[count]', '-an', '-sn', '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:3']),
  ];
  const decoder = spawnFfmpeg(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], signal: options.signal });
  let countBytes = 0;
  decoder.output(3).on('data', (chunk: Buffer) => {
    countBytes += chunk.length;
  });
  let passed = 0;
  let ended = false;

  async function* frames(): AsyncGenerator<{ index: number; data: Uint8Array }, void, undefined> {
    try {
      for await (const data of fixedSizeFrames(decoder.output(), frameBytes, 'fresh')) {
        yield { index: passed * k, data };
        passed++;
      }
      ended = await decodingEnded(decoder, options.input, options.signal);
    } finally {
      decoder.stop();
    }
  }

  return {
    frames: frames(),
    stop: () => decoder.stop(),
    timelineFrames() {
      if (!ended) throw new Error('the timeline length is known only once every frame has been read');
      // checks the count against the frames passed (a mismatch would shift every detection in time)
      return timelineLength(passed, k, k === 1 ? passed : countBytes / 4);
    },
  };
}
