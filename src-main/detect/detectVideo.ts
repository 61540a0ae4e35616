import type { DetectionRun, FrameDetections } from '../domain/detectionTypes.js';
import { letterboxFilter, type Letterbox } from '../domain/letterbox.js';
import { probeVideo } from '../media/probe.js';
import { readStridedFrames } from '../media/rawFrames.js';
import { defaultStride, strideProblem } from '../domain/detectionStride.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { loadDetector } from './detector.js';
import { defaultDetector, detectorLetterbox, detectorSpecs, type DetectorName } from './detectorSpecs.js';
import type { BackendChoice } from './tfRuntime.js';
import { availableParallelism } from 'node:os';
import { AppError } from '../contract/errors.js';
import { WorkerPool } from '../runtime/workerPool.js';
import { siblingModule } from '../runtime/workerThreads.js';
import type { ToDetectionWorker } from './detectionWorker.js';

export interface DetectOptions {
  /** Which person detector (default MoveNet MultiPose). */
  detector?: DetectorName;
  backend?: BackendChoice;
  minScore?: number;
  /** Output timeline rate; the paper's clips are 30 fps. */
  fps?: number;
  ffmpeg?: FfmpegPathOverrides;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Detection threads: tfjs-wasm runs one frame at a time per thread. Default: one per core; 0 = this thread. */
  workers?: number;
  /**
   * Detect on every k-th frame of the timeline (1..5; default defaultStride). The frames in
   * between are not decoded into pictures at all; the run lists the detected frames only and
   * says its stride, and the crop plan interpolates the patient's box between them.
   */
  stride?: number;
  /**
   * Detection workers already started (e.g. kept across the videos of a folder: starting tfjs
   * costs about 0.9 s of CPU a worker). Used when it has not failed, and left open: its owner
   * closes it. One video at a time per pool.
   */
  pool?: DetectionPool | undefined;
}

/** A pool of detection workers fed round-robin, with results returned by frame. */
export class DetectionPool {
  private constructor(
    readonly detector: DetectorName,
    private readonly pool: WorkerPool<{ backend: string }, FrameDetections['people']>,
  ) {}

  /** `prepare`: the letterbox of the first video, so each worker gets ready for it while starting. */
  static async start(count: number, backend: BackendChoice, detector: DetectorName = defaultDetector, prepare?: Letterbox): Promise<DetectionPool> {
    const pool = await WorkerPool.start<{ backend: string }, FrameDetections['people']>({
      count,
      module: siblingModule(import.meta.url, 'detectionWorker'),
      init: { type: 'init', backend, detector, prepare } satisfies ToDetectionWorker,
      failure: (message) => new AppError('DETECTOR_INVALID', message),
      stopped: (code) => new AppError('DETECTOR_INVALID', `a detection worker stopped (exit code ${code})`),
    });
    return new DetectionPool(detector, pool);
  }

  /** What runs the detector, as the workers describe it. */
  get backend(): string {
    return this.pool.ready?.backend ?? 'unknown';
  }

  /** People in one letterboxed frame (`rgb` is handed to the worker without a copy). */
  detect(frame: number, rgb: Uint8Array, box: Letterbox, minScore: number): Promise<FrameDetections['people']> {
    return this.pool.run(frame, { type: 'detect', frame, rgb, box, minScore } satisfies ToDetectionWorker, [rgb.buffer as ArrayBuffer]);
  }

  /** A worker failed: the pool is of no further use. */
  get failed(): boolean {
    return this.pool.failed;
  }

  get threads(): number {
    return this.pool.threads;
  }

  /** Ends every worker, each after it has released its detector. */
  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * Finds people in every frame of a video mapped onto a 30 fps timeline (ffmpeg's fps filter
 * duplicates or drops frames as the paper's resampling does), letterboxed to the detector's
 * input inside ffmpeg (for MoveNet a rectangle of the video's aspect, see detectorLetterbox), with coordinates back in original (rotated) pixels. Streams: memory
 * does not grow with the video's length.
 */
export async function detectVideo(videoPath: string, options: DetectOptions = {}): Promise<DetectionRun> {
  const fps = options.fps ?? 30;
  const stride = options.stride ?? defaultStride;
  const problem = strideProblem(stride);
  if (problem) throw new AppError('BAD_REQUEST', problem);
  const probe = await probeVideo(videoPath, options.ffmpeg);
  const detector = options.detector ?? defaultDetector;
  const { defaultMinScore } = detectorSpecs[detector];
  // a pool kept across videos serves only the detector it was started with
  const shared = options.pool && !options.pool.failed && options.pool.detector === detector ? options.pool : undefined;
  const threads = shared?.threads ?? options.workers ?? availableParallelism();
  if (threads === 0) return detectInThisThread(videoPath, probe, fps, stride, options);
  const box = detectorLetterbox(detector, probe.displayWidth, probe.displayHeight);
  // ffmpeg starts decoding while the workers start (the pipe holds the first frames)
  const source = readStridedFrames({ input: videoPath, width: box.inputWidth, height: box.inputHeight, timelineFilter: `fps=${fps}`, stride, frameFilters: letterboxFilter(box), signal: options.signal, ffmpegPaths: options.ffmpeg });
  let pool: DetectionPool;
  try {
    pool = shared ?? (await DetectionPool.start(threads, options.backend ?? 'auto', detector, box));
  } catch (error) {
    source.stop();
    throw error;
  }
  try {
    const expected = Math.max(1, Math.ceil(Math.round(probe.durationSec * fps) / stride));
    const results: Array<Promise<FrameDetections>> = [];
    let done = 0;
    for await (const { index, data } of source.frames) {
      const sequence = results.length;
      // data owns its memory: handed to the worker without a copy
      const promise = pool.detect(index, data, box, options.minScore ?? defaultMinScore).then((people) => ({ frame: index, time: index / fps, people }));
      promise.then(
        () => {
          done++; // not inside the optional call: without onProgress it would never count, and nothing would hold the frames back
          options.onProgress?.(done, Math.max(expected, sequence + 1));
        },
        () => {},
      );
      results.push(promise);
      // keep at most two frames per worker in flight: memory stays flat, workers stay busy
      if (results.length - done > 2 * threads) await results[done]!;
    }
    const frames = await Promise.all(results);
    return { width: probe.displayWidth, height: probe.displayHeight, fps, stride, frameCount: source.timelineFrames(), detector, backend: `${pool.backend} x${threads} threads`, frames };
  } finally {
    if (!shared) await pool.close();
  }
}

async function detectInThisThread(videoPath: string, probe: Awaited<ReturnType<typeof probeVideo>>, fps: number, stride: number, options: DetectOptions): Promise<DetectionRun> {
  // the detector module loads tfjs lazily: with worker threads (the default) this thread never imports it
  const detector = await loadDetector(options.detector ?? defaultDetector, options.backend ?? 'auto');
  try {
    const box = detectorLetterbox(detector.name, probe.displayWidth, probe.displayHeight);
    const expected = Math.max(1, Math.ceil(Math.round(probe.durationSec * fps) / stride));
    const frames: FrameDetections[] = [];
    const source = readStridedFrames({
      input: videoPath,
      width: box.inputWidth,
      height: box.inputHeight,
      timelineFilter: `fps=${fps}`,
      stride,
      frameFilters: letterboxFilter(box),
      signal: options.signal,
      ffmpegPaths: options.ffmpeg,
    });
    for await (const { index, data } of source.frames) {
      frames.push({ frame: index, time: index / fps, people: await detector.detect(data, box, options.minScore ?? detectorSpecs[detector.name].defaultMinScore) });
      options.onProgress?.(frames.length, Math.max(expected, frames.length));
    }
    return { width: probe.displayWidth, height: probe.displayHeight, fps, stride, frameCount: source.timelineFrames(), detector: detector.name, backend: detector.backend, frames };
  } finally {
    await detector.dispose();
  }
}
