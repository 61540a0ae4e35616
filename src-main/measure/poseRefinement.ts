/**
 * The measurement step's keypoints: the patient alone, seen by a single-person pose model on
 * a square crop around their smoothed box (domain/patientSquares.ts) on every frame of the
 * 30 fps timeline where stage 1 has them, instead of stage 1's MultiPose keypoints from a
 * 256 px view of the whole frame on every 5th frame.
 *
 * One ffmpeg decodes the original onto the same timeline stage 1 uses (`fps=30`, rotation
 * applied by ffmpeg) as planar RGB (gbrp), scaled down first when every square is much larger
 * than the model's input and cut to the window all squares read (cropRender's decodeScaleFor
 * and sourceWindowFor, as the clip writer does). Each square is resampled bilinearly to the
 * model's input (renderCropGbrp: black outside the frame) on this thread and handed to a pool
 * of pose workers, one onnxruntime thread each; the keypoints come back in the input's pixels
 * and are mapped to original pixels. Streams: at most two crops per worker are in flight and
 * one decoded frame is held, whatever the video's length. Speeds and the decode strategy
 * measured: docs/pose-models.md.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { AppError, isAppError } from '../contract/errors.js';
import type { PoseTrack } from '../contract/measurements.js';
import { defaultPoseModel, poseModelKeypointNames, poseModelSpecs, type PoseModelName } from '../detect/poseModelSpecs.js';
import type { BackendChoice } from '../detect/tfRuntime.js';
import type { CropGeometry } from '../domain/cropPlan.js';
import { squareGeometry, squareToSource, type PatientSquares } from '../domain/patientSquares.js';
import { decodeScaleFor, gbrpBytes, interleaveGbrp, renderCropGbrp, scaledGeometry, sourceWindowFor, type SourceWindow } from '../media/cropRender.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { resolveFfmpeg } from '../media/ffmpegPaths.js';
import { fixedSizeFrames, spawnFfmpeg } from '../media/ffmpegProcess.js';
import { probeVideo } from '../media/probe.js';
import { PosePool } from './posePool.js';

export interface RefineOptions {
  /** The pose model (default defaultPoseModel). */
  model?: PoseModelName;
  /** Pose worker threads, one onnxruntime thread each (default: one per core). */
  workers?: number;
  /** What runs the model (default 'auto': onnxruntime, as for the detectors). */
  backend?: BackendChoice;
  /** The timeline's rate (stage 1's: 30). */
  fps?: number;
  /**
   * How the frames are decoded: by default scaled down when every square allows it and cut to
   * the window the squares read; `full: true` decodes whole frames at full size (for
   * measuring what the default saves). The keypoints differ only by the resampling.
   */
  decode?: { full?: boolean };
  ffmpeg?: FfmpegPathOverrides | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (done: number, total: number) => void;
}

export interface RefineResult {
  pose: PoseTrack;
  model: PoseModelName;
  /** SHA-256 of the model's two files one after the other. */
  modelSha256: string;
  /** e.g. "onnxruntime (cpu) x2 threads". */
  backend: string;
  /** How the frames were decoded. */
  decode: { scale: number; window: SourceWindow; width: number; height: number };
  timings: {
    totalMs: number;
    /** Until every worker had its model ready. */
    startMs: number;
    /** Resampling the crops on this thread. */
    renderMs: number;
    /** Median time of one model run in a worker. */
    medianInferenceMs: number;
    frames: number;
  };
}

/** Throws BAD_REQUEST unless the squares are frames in increasing order with x, y and a positive side each. */
function checkSquares(squares: PatientSquares): void {
  const { frames, boxes } = squares;
  if (boxes.length !== frames.length * 3) throw new AppError('BAD_REQUEST', `the squares need 3 numbers (x, y, side) per frame: ${frames.length} frames but ${boxes.length} numbers`);
  frames.forEach((f, i) => {
    if (!Number.isInteger(f) || f < 0 || (i > 0 && f <= frames[i - 1]!)) throw new AppError('BAD_REQUEST', `the squares' frames must be whole numbers in increasing order (frame ${f} at position ${i})`);
    const [x, y, side] = [boxes[i * 3]!, boxes[i * 3 + 1]!, boxes[i * 3 + 2]!];
    if (!Number.isFinite(x) || !Number.isFinite(y) || !(side > 0) || !Number.isFinite(side)) throw new AppError('BAD_REQUEST', `the square of frame ${f} has no positive size (${x}, ${y}, ${side})`);
  });
}

/** The ffmpeg crop that cuts a decoded w x h frame to the window ('' for the whole frame). */
function cropFilter(window: SourceWindow, w: number, h: number): string {
  if (window.x === 0 && window.y === 0 && window.width === w && window.height === h) return '';
  return `,crop=${window.width}:${window.height}:${window.x}:${window.y}`;
}

const round = (v: number, digits: number) => Math.round(v * digits) / digits;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function refinePose(videoPath: string, squares: PatientSquares, options: RefineOptions = {}): Promise<RefineResult> {
  const started = performance.now();
  const name = basename(videoPath);
  const model = options.model ?? defaultPoseModel;
  const spec = poseModelSpecs[model];
  const fps = options.fps ?? 30;
  checkSquares(squares);
  if (squares.frames.length === 0) throw new AppError('NO_PERSON_FOUND', name);
  if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
  const probe = await probeVideo(videoPath, options.ffmpeg);
  const width = probe.displayWidth;
  const height = probe.displayHeight;
  const size = spec.inputSize;
  const count = squares.frames.length;
  const geometries: CropGeometry[] = squares.frames.map((_, i) => squareGeometry(squares.boxes[i * 3]!, squares.boxes[i * 3 + 1]!, squares.boxes[i * 3 + 2]!, width, height));
  const decode = options.decode?.full ? { scale: 1, width, height } : decodeScaleFor(geometries, size, width, height);
  const sx = decode.width / width;
  const sy = decode.height / height;
  const decoded = sx === 1 && sy === 1 ? geometries : geometries.map((g) => scaledGeometry(g, sx, sy));
  const window = options.decode?.full ? { x: 0, y: 0, width: decode.width, height: decode.height } : sourceWindowFor(decoded, decode.width, decode.height);
  const filters = `fps=${fps}` + (decode.scale < 1 ? `,scale=${decode.width}:${decode.height}:flags=area` : '') + cropFilter(window, decode.width, decode.height);
  const { ffmpeg } = resolveFfmpeg(options.ffmpeg);
  // ffmpeg starts decoding while the workers start (the pipe holds the first frames)
  const decoder = spawnFfmpeg(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', videoPath, '-an', '-sn', '-vf', filters, '-f', 'rawvideo', '-pix_fmt', 'gbrp', 'pipe:1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: options.signal,
  });
  const threads = Math.max(1, options.workers ?? availableParallelism());
  let pool: PosePool;
  try {
    pool = await PosePool.start(threads, model, options.backend ?? 'auto');
  } catch (error) {
    decoder.stop();
    await decoder.exited;
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
    throw error;
  }
  const startMs = performance.now() - started;
  const names = poseModelKeypointNames(model);
  const k = names.length;
  const points = new Float64Array(count * k * 3);
  const done = new Uint8Array(count);
  const inferenceMs: number[] = [];
  let renderMs = 0;
  let finished = 0;
  const inFlight: Array<Promise<void>> = [];
  const planar = new Uint8Array(gbrpBytes(size, size));
  const lastFrame = squares.frames[count - 1]!;
  try {
    let next = 0; // position in squares
    let index = 0; // timeline frame
    // one reused buffer: each frame's crop is rendered before the next frame is read
    for await (const frame of fixedSizeFrames(decoder.output(), gbrpBytes(window.width, window.height), 'reused')) {
      if (squares.frames[next] === index) {
        const i = next;
        const t = performance.now();
        renderCropGbrp(frame, decode.width, decode.height, decoded[i]!, size, planar, window);
        // its own memory: handed to the worker without a copy
        const rgb = new Uint8Array(new ArrayBuffer(size * size * 3));
        interleaveGbrp(planar, size * size, rgb);
        renderMs += performance.now() - t;
        const promise = pool.estimate(i, rgb).then(({ points: estimated, ms }) => {
          const [x, y, side] = [squares.boxes[i * 3]!, squares.boxes[i * 3 + 1]!, squares.boxes[i * 3 + 2]!];
          for (let p = 0; p < k; p++) {
            const at = squareToSource(x, y, side, size, estimated[p * 3]!, estimated[p * 3 + 1]!);
            points[(i * k + p) * 3] = at.x;
            points[(i * k + p) * 3 + 1] = at.y;
            points[(i * k + p) * 3 + 2] = estimated[p * 3 + 2]!;
          }
          done[i] = 1;
          inferenceMs.push(ms);
          finished++; // not inside the optional call below: without onProgress it would not run
          options.onProgress?.(finished, count);
        });
        // a failure is seen by whoever waits on it below; none is left unhandled meanwhile
        promise.catch(() => {});
        inFlight.push(promise);
        next++;
        // at most two crops per worker in flight: memory stays flat, workers stay busy
        if (inFlight.length - finished > 2 * threads) await inFlight[finished]!;
      }
      index++;
      if (index > lastFrame) break;
    }
    decoder.stop(); // frames after the last square are not needed
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
    if (index <= lastFrame) {
      const code = await decoder.exited;
      if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
      if (decoder.spawnError) throw new AppError('FFMPEG_MISSING', decoder.spawnError.message, { cause: decoder.spawnError });
      throw new AppError('VIDEO_TRUNCATED', name, { cause: new Error(`ffmpeg exited with ${code} after ${index} of ${lastFrame + 1} timeline frames: ${decoder.stderrTail.trim()}`) });
    }
    await Promise.all(inFlight);
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
  } catch (error) {
    decoder.stop();
    await pool.close();
    await decoder.exited;
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
    if (isAppError(error)) throw error;
    throw new AppError('POSE_MODEL_INVALID', `${model}: ${(error as Error).message}`, { cause: error });
  }
  await pool.close();
  await decoder.exited;
  const frames: number[] = [];
  const flat: number[] = [];
  squares.frames.forEach((f, i) => {
    if (!done[i]) return;
    frames.push(f);
    for (let p = 0; p < k; p++) {
      const o = (i * k + p) * 3;
      flat.push(round(points[o]!, 100), round(points[o + 1]!, 100), round(points[o + 2]!, 10000));
    }
  });
  return {
    pose: { fps, width, height, names, frames, points: flat },
    model,
    modelSha256: pool.facts.sha256,
    backend: `${pool.facts.backend} x${pool.threads} threads`,
    decode: { scale: decode.scale, window, width: decode.width, height: decode.height },
    timings: { totalMs: performance.now() - started, startMs, renderMs, medianInferenceMs: median(inferenceMs), frames: frames.length },
  };
}
