/**
 * Stage 2 preprocessing, matched to the reference pipeline (Walk_Video_PyTorch's data module on
 * pytorchvideo 0.1.5, torch 1.13, torchvision 0.14):
 *
 *   decode (PyAV: RGB24 through swscale with the BT.601 matrix, whatever the stream says)
 *   -> UniformClipSampler clips, frames by pts in [start, end), UniformTemporalSubsample(T)
 *   -> Div255 -> Normalize(mean, std) -> Resize([size, size]) (bilinear, align_corners=False,
 *      no antialias) -> NCTHW float32.
 *
 * Normalize and Resize act on each frame alone, so every frame a clip needs is transformed once
 * when it arrives and only its size x size planes are kept. The arithmetic follows torch's float32
 * CPU kernels step by step (Math.fround at each rounding), so the tensor matches torchvision's to
 * float rounding (measured max |diff| in test/integration/classify/preprocessParity.test.ts).
 *
 * Resize modes: 'exact' (default) decodes at the video's own size and resizes here as torch does.
 * 'ffmpeg' lets ffmpeg scale to size x size while decoding: faster on large videos, but no swscale
 * filter reproduces torch's non-antialiased bilinear downscale (measured on the shared 720p clip:
 * mean |diff| 5.5 grey levels with flags=area, the closest; up to 90 at sharp edges), so it is
 * an explicit opt-in. Both are identical when the video is already size x size (stage 1 output
 * written at the model size).
 */
import { AppError } from '../contract/errors.js';
import { planClips, type PlannedClip } from '../domain/clipSampling.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { probeVideo } from '../media/probe.js';
import { FfmpegFailed, readRawFrames, selectFramesFilter } from '../media/rawFrames.js';

export type ResizeMode = 'exact' | 'ffmpeg';

/** The ffmpeg scale flags closest to torch's bilinear downscale (see the note above). */
export const FFMPEG_SCALE_FLAGS = 'area';
/** A longer select expression (a very long video) is left out and every frame is piped instead. */
const maxSelectLength = 60_000;

/** PyAV's to_ndarray('rgb24') converts with swscale's default (BT.601) matrix, bilinear. */
export const DECODE_COLOUR_MATRIX = 'bt601';

export interface TransformSpec {
  size: number;
  mean: readonly [number, number, number] | readonly number[];
  std: readonly [number, number, number] | readonly number[];
}

/** float32 of Div255 then Normalize for every byte value, per channel: what torch computes. */
export function normalisationTable(mean: readonly number[], std: readonly number[]): Float32Array {
  const f = Math.fround;
  const table = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    const m = f(mean[c]!);
    const s = f(std[c]!);
    for (let v = 0; v < 256; v++) table[c * 256 + v] = f(f(f(v / 255) - m) / s);
  }
  return table;
}

/** Source taps of one axis, as torch 1.13's upsample_bilinear2d computes them for float32. */
export interface AxisTaps {
  i0: Int32Array;
  i1: Int32Array;
  w0: Float32Array;
  w1: Float32Array;
}

export function bilinearTaps(inSize: number, outSize: number): AxisTaps {
  const f = Math.fround;
  const taps: AxisTaps = { i0: new Int32Array(outSize), i1: new Int32Array(outSize), w0: new Float32Array(outSize), w1: new Float32Array(outSize) };
  const scale = f(inSize / outSize); // area_pixel_compute_scale<float>: float(in) / out
  for (let o = 0; o < outSize; o++) {
    if (inSize === outSize) {
      taps.i0[o] = o;
      taps.i1[o] = o;
      taps.w0[o] = 1;
      taps.w1[o] = 0;
      continue;
    }
    // The float32 scale, then the source position and its fraction in double precision, the
    // fraction rounded to float once: the weights this gives equal torch's impulse responses
    // bit for bit (checked for 90, 160, 270, 480, 720 and 1280 -> 224).
    const src = Math.max(0, scale * (o + 0.5) - 0.5);
    const lo = Math.min(Math.floor(src), inSize - 1);
    const lambda1 = f(Math.min(Math.max(src - lo, 0), 1));
    taps.i0[o] = lo;
    taps.i1[o] = lo + (lo < inSize - 1 ? 1 : 0);
    taps.w1[o] = lambda1;
    taps.w0[o] = f(1 - lambda1);
  }
  return taps;
}

/** Everything needed to transform frames of one decoded size; build once per video. */
export interface FrameTransform {
  width: number;
  height: number;
  size: number;
  table: Float32Array;
  xs: AxisTaps;
  ys: AxisTaps;
}

export function frameTransform(width: number, height: number, spec: TransformSpec): FrameTransform {
  return { width, height, size: spec.size, table: normalisationTable(spec.mean, spec.std), xs: bilinearTaps(width, spec.size), ys: bilinearTaps(height, spec.size) };
}

/**
 * One packed RGB24 frame -> three normalised size x size planes (C, H, W), float32:
 * Normalize(Div255(x)) per pixel, then the bilinear resize with torch's order of operations
 * (each row interpolated along x, then the two rows along y), every step rounded to float32
 * as torch's kernel rounds it. The three channels of a pixel are done together (they lie side
 * by side in the frame) with byte offsets computed once per frame size.
 */
export function transformFrame(frame: Uint8Array, t: FrameTransform, out = new Float32Array(3 * t.size * t.size)): Float32Array {
  const { width, height, size, table, xs, ys } = t;
  if (frame.length !== width * height * 3) throw new RangeError(`a frame has ${frame.length} bytes, expected ${width * height * 3}`);
  const f = Math.fround;
  const plane = size * size;
  const { x0, x1, wx0, wx1 } = byteOffsets(t);
  for (let oy = 0; oy < size; oy++) {
    const r0 = ys.i0[oy]! * width * 3;
    const r1 = ys.i1[oy]! * width * 3;
    const wy0 = ys.w0[oy]!;
    const wy1 = ys.w1[oy]!;
    let o = oy * size;
    for (let ox = 0; ox < size; ox++, o++) {
      const a = x0[ox]!;
      const b = x1[ox]!;
      const w0 = wx0[ox]!;
      const w1 = wx1[ox]!;
      const p00 = r0 + a;
      const p01 = r0 + b;
      const p10 = r1 + a;
      const p11 = r1 + b;
      for (let c = 0, lut = 0, at = o; c < 3; c++, lut += 256, at += plane) {
        const top = f(f(table[lut + frame[p00 + c]!]! * w0) + f(table[lut + frame[p01 + c]!]! * w1));
        const bottom = f(f(table[lut + frame[p10 + c]!]! * w0) + f(table[lut + frame[p11 + c]!]! * w1));
        out[at] = f(f(top * wy0) + f(bottom * wy1));
      }
    }
  }
  return out;
}

/** The x taps as byte offsets into a packed RGB24 row, cached on the transform. */
const offsetCache = new WeakMap<FrameTransform, { x0: Int32Array; x1: Int32Array; wx0: Float32Array; wx1: Float32Array }>();
function byteOffsets(t: FrameTransform): { x0: Int32Array; x1: Int32Array; wx0: Float32Array; wx1: Float32Array } {
  let cached = offsetCache.get(t);
  if (!cached) {
    cached = { x0: t.xs.i0.map((i) => i * 3), x1: t.xs.i1.map((i) => i * 3), wx0: t.xs.w0, wx1: t.xs.w1 };
    offsetCache.set(t, cached);
  }
  return cached;
}

/** Copies T transformed frames (each [3, S, S]) into one clip [3, T, S, S] at `out`. */
export function assembleClip(planes: readonly Float32Array[], size: number, out: Float32Array): Float32Array {
  const T = planes.length;
  const plane = size * size;
  if (out.length < 3 * T * plane) throw new RangeError('clip buffer too small');
  for (let t = 0; t < T; t++) {
    const p = planes[t]!;
    for (let c = 0; c < 3; c++) out.set(p.subarray(c * plane, (c + 1) * plane), (c * T + t) * plane);
  }
  return out;
}

/** A clip [3, T, S, S] from T packed RGB frames: the reference transforms in one call. */
export function clipTensor(frames: readonly Uint8Array[], width: number, height: number, spec: TransformSpec, out = new Float32Array(3 * frames.length * spec.size * spec.size)): Float32Array {
  const t = frameTransform(width, height, spec);
  return assembleClip(frames.map((frame) => transformFrame(frame, t)), spec.size, out);
}

/** What the classification record stores about preprocessing. */
export interface PreprocessingParameters {
  frames: number;
  clipSeconds: number;
  size: number;
  mean: number[];
  std: number[];
  fps: number;
  sampler: 'uniform';
  resize: ResizeMode;
  /**
   * The ffmpeg filter chain that decoded the video's frames. A select filter that passes only
   * the frames the clips use (their frameIndices) sits after the fps filter and is not repeated here.
   */
  decodeFilters: string;
  decodedWidth: number;
  decodedHeight: number;
  durationSec: number;
}

export interface PreprocessInput {
  frames: number;
  clipSeconds: number;
  size: number;
  mean: readonly number[];
  std: readonly number[];
  /** Timeline rate; 30 unless the manifest says otherwise. */
  fps?: number;
}

export interface PreprocessOptions {
  resize?: ResizeMode;
  /** Clips per batch handed to the model. */
  batchSize?: number;
  ffmpeg?: FfmpegPathOverrides;
  signal?: AbortSignal;
  /** ffmpeg's decoding threads (-threads before -i); ffmpeg's own choice when not set. */
  decodeThreads?: number | undefined;
}

export interface ClipBatch {
  clips: PlannedClip[];
  /** [clips.length, 3, T, S, S] float32, NCTHW. */
  data: Float32Array;
}

/** Where the preprocessing time went (filled while `batches()` runs; for benchmarks). */
export interface PreprocessStats {
  /** ffprobe and clip planning. */
  probeMs: number;
  /** Waiting for the next decoded frame (ffmpeg decoding and colour conversion, the pipe, frame copies). */
  decodeMs: number;
  /** Normalise and resize of the frames the clips need. */
  transformMs: number;
  /** Copying transformed frames into clip tensors. */
  assembleMs: number;
  /** Frames read from ffmpeg and frames transformed. */
  framesRead: number;
  framesTransformed: number;
}

export interface PreparedVideo {
  plan: PlannedClip[];
  parameters: PreprocessingParameters;
  stats: PreprocessStats;
  /** Decodes the video once and yields batches of clips in order. */
  batches(): AsyncGenerator<ClipBatch, void, undefined>;
}

/**
 * Plans the clips of a video (probe only) and returns a streaming batch producer. Throws
 * AppError('VIDEO_TOO_SHORT') when the video is shorter than one clip: pytorchvideo would still
 * yield that first, partial clip, but WalkScope does not score a video on less than one clip.
 */
export async function prepareVideo(videoPath: string, input: PreprocessInput, options: PreprocessOptions = {}): Promise<PreparedVideo> {
  const probeStarted = performance.now();
  const fps = input.fps ?? 30;
  const resize = options.resize ?? 'exact';
  const probe = await probeVideo(videoPath, options.ffmpeg);
  const durationSec = probe.durationSec;
  const plan = planClips({ durationSec, clipSeconds: input.clipSeconds, frames: input.frames, fps });
  if (plan.length === 0 || !plan[0]!.complete) {
    throw new AppError('VIDEO_TOO_SHORT', `it lasts ${durationSec.toFixed(2)} s and one clip needs ${input.clipSeconds} s`);
  }
  const width = resize === 'ffmpeg' ? input.size : probe.displayWidth;
  const height = resize === 'ffmpeg' ? input.size : probe.displayHeight;
  const scale = resize === 'ffmpeg' ? `scale=${input.size}:${input.size}:flags=${FFMPEG_SCALE_FLAGS}:` : 'scale=flags=bilinear:';
  const decodeFilters = `fps=${fps},${scale}in_color_matrix=${DECODE_COLOUR_MATRIX},format=rgb24`;
  // Only the frames the clips use leave ffmpeg: a select filter between the timeline and the
  // colour conversion drops the others before they are converted, scaled or piped (they are
  // still decoded: a compressed stream cannot skip). Selecting changes no pixel of a passed frame.
  const wanted = [...new Set(plan.flatMap((clip) => clip.frameIndices))].sort((a, b) => a - b);
  const select = selectFramesFilter(wanted);
  const decodeChain = select.length <= maxSelectLength ? `fps=${fps},${select},${decodeFilters.slice(`fps=${fps},`.length)}` : decodeFilters;
  const spec: TransformSpec = { size: input.size, mean: input.mean, std: input.std };
  const batchSize = Math.max(1, options.batchSize ?? 1);
  const parameters: PreprocessingParameters = {
    frames: input.frames, clipSeconds: input.clipSeconds, size: input.size, mean: [...input.mean], std: [...input.std], fps,
    sampler: 'uniform', resize, decodeFilters, decodedWidth: width, decodedHeight: height, durationSec,
  };
  const stats: PreprocessStats = { probeMs: performance.now() - probeStarted, decodeMs: 0, transformMs: 0, assembleMs: 0, framesRead: 0, framesTransformed: 0 };

  async function* batches(): AsyncGenerator<ClipBatch, void, undefined> {
    const transform = frameTransform(width, height, spec);
    const clipLength = 3 * input.frames * input.size * input.size;
    const uses = new Map<number, number>(); // timeline frame -> clips still needing it
    for (const clip of plan) for (const i of new Set(clip.frameIndices)) uses.set(i, (uses.get(i) ?? 0) + 1);
    const lastNeeded = wanted.at(-1)!;
    const selected = decodeChain !== decodeFilters;
    const planes = new Map<number, Float32Array>();
    let nextClip = 0;
    let pending: PlannedClip[] = [];
    let data = new Float32Array(batchSize * clipLength);
    let index = 0; // timeline index of the frame in hand
    let read = 0;
    // each frame is transformed before the next is read: one reused frame buffer
    const frames = readRawFrames({ input: videoPath, width, height, filters: decodeChain, signal: options.signal, ffmpegPaths: options.ffmpeg, frameMode: 'reused',
      inputArgs: options.decodeThreads ? ['-threads', String(options.decodeThreads)] : [], outputArgs: selected ? ['-vsync', 'passthrough'] : [] });
    try {
      for (;; index++) {
        const t0 = performance.now();
        const next = await frames.next();
        const t1 = performance.now();
        stats.decodeMs += t1 - t0;
        if (next.done) break;
        const frame = next.value;
        if (selected) index = wanted[read]!;
        read++;
        stats.framesRead++;
        if (uses.has(index)) {
          planes.set(index, transformFrame(frame, transform));
          stats.framesTransformed++;
          stats.transformMs += performance.now() - t1;
        }
        while (nextClip < plan.length && plan[nextClip]!.windowFrames.end - 1 <= index) {
          const clip = plan[nextClip]!;
          const t2 = performance.now();
          assembleClip(clip.frameIndices.map((i) => planes.get(i)!), input.size, data.subarray(pending.length * clipLength, (pending.length + 1) * clipLength));
          stats.assembleMs += performance.now() - t2;
          for (const i of new Set(clip.frameIndices)) {
            const left = uses.get(i)! - 1;
            if (left === 0) {
              uses.delete(i);
              planes.delete(i);
            } else uses.set(i, left);
          }
          pending.push(clip);
          nextClip++;
          if (pending.length === batchSize) {
            yield { clips: pending, data };
            pending = [];
            data = new Float32Array(batchSize * clipLength);
          }
        }
        if (index >= lastNeeded && nextClip === plan.length) break;
      }
    } catch (error) {
      if (error instanceof FfmpegFailed) throw new AppError('NOT_A_VIDEO', `${videoPath} (${error.stderrTail.split('\n').at(-1) ?? error.message})`, { cause: error });
      throw error;
    } finally {
      // stops ffmpeg when the loop ended early (last needed frame read, or the consumer stopped)
      await frames.return(undefined);
    }
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
    if (read === 0) throw new AppError('NO_FRAMES_DECODED', videoPath);
    if (pending.length > 0) yield { clips: pending, data: data.subarray(0, pending.length * clipLength) };
    if (nextClip === 0) throw new AppError('VIDEO_TOO_SHORT', `no frame after ${index - 1} could be decoded and the first clip needs frames up to ${plan[0]!.windowFrames.end - 1}`);
    // Clips the stream ended inside (the container's duration promised more frames) are left out.
    plan.splice(nextClip);
  }

  return { plan, parameters, stats, batches };
}
