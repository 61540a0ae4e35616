import type { DetectionRun, FrameDetections } from '../domain/detectionTypes.js';
import { letterbox, letterboxFilter } from '../domain/letterbox.js';
import { probeVideo } from '../media/probe.js';
import { readRawFrames } from '../media/rawFrames.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { defaultDetector, detectorSpecs, loadDetector, type DetectorName } from './detector.js';
import type { BackendChoice } from './tfRuntime.js';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../contract/errors.js';
import { siblingModule, spawnWorker } from '../jobs/spawnWorker.js';
import type { FromDetectionWorker, ToDetectionWorker } from './detectionWorker.js';

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
}

/** A pool of detection workers fed round-robin, with results returned in frame order. */
class DetectionPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, (people: FrameDetections['people']) => void>();
  private failure: Error | undefined;
  backend = 'wasm';

  static async start(count: number, backend: BackendChoice, detector: DetectorName): Promise<DetectionPool> {
    const pool = new DetectionPool();
    await Promise.all(
      Array.from({ length: count }, () => {
        const worker = spawnWorker(siblingModule(import.meta.url, 'detectionWorker'));
        pool.workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.on('message', (message: FromDetectionWorker) => {
            if (message.type === 'ready') {
              pool.backend = message.backend;
              resolve();
            } else if (message.type === 'detected') {
              const settle = pool.pending.get(message.frame);
              pool.pending.delete(message.frame);
              settle?.(message.people);
            } else {
              pool.failure = message.code ? new AppError(message.code, message.detail) : new AppError('DETECTOR_INVALID', message.message);
              reject(pool.failure);
            }
          });
          worker.on('error', (error) => {
            pool.failure = error;
            reject(error);
          });
          worker.postMessage({ type: 'init', backend, detector } satisfies ToDetectionWorker);
        });
      }),
    ).catch(async (error: unknown) => {
      await pool.close();
      throw error;
    });
    return pool;
  }

  detect(frame: number, rgb: Uint8Array, box: ReturnType<typeof letterbox>, minScore: number): Promise<FrameDetections['people']> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = this.workers[frame % this.workers.length]!;
    return new Promise((resolve) => {
      this.pending.set(frame, resolve);
      worker.postMessage({ type: 'detect', frame, rgb, box, minScore } satisfies ToDetectionWorker, [rgb.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Finds people in every frame of a video mapped onto a 30 fps timeline (ffmpeg's fps filter
 * duplicates or drops frames as the paper's resampling does), letterboxed to the detector's
 * input inside ffmpeg, with coordinates back in original (rotated) pixels. Streams: memory
 * does not grow with the video's length.
 */
export async function detectVideo(videoPath: string, options: DetectOptions = {}): Promise<DetectionRun> {
  const fps = options.fps ?? 30;
  const probe = await probeVideo(videoPath, options.ffmpeg);
  const threads = options.workers ?? availableParallelism();
  if (threads === 0) return detectInThisThread(videoPath, probe, fps, options);
  const detector = options.detector ?? defaultDetector;
  const { inputSize, defaultMinScore } = detectorSpecs[detector];
  const pool = await DetectionPool.start(threads, options.backend ?? 'auto', detector);
  try {
    const box = letterbox(probe.displayWidth, probe.displayHeight, inputSize);
    const expected = Math.max(1, Math.round(probe.durationSec * fps));
    const results: Array<Promise<FrameDetections['people']>> = [];
    let done = 0;
    let index = 0;
    for await (const frame of readRawFrames({ input: videoPath, width: inputSize, height: inputSize, filters: `fps=${fps},${letterboxFilter(box)}`, signal: options.signal, ffmpegPaths: options.ffmpeg })) {
      // a standalone copy, so its memory can be handed to the worker
      const rgb = frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength ? new Uint8Array(frame.buffer, 0, frame.byteLength) : Uint8Array.from(frame);
      const promise = pool.detect(index, rgb, box, options.minScore ?? defaultMinScore);
      promise.then(() => options.onProgress?.(++done, Math.max(expected, index)), () => {});
      results.push(promise);
      index++;
      // keep at most two frames per worker in flight: memory stays flat, workers stay busy
      if (results.length - done > 2 * threads) await results[done]!;
    }
    const people = await Promise.all(results);
    const frames = people.map((p, frame) => ({ frame, time: frame / fps, people: p }));
    return { width: probe.displayWidth, height: probe.displayHeight, fps, frameCount: frames.length, detector, backend: `${pool.backend} x${threads} threads`, frames };
  } finally {
    await pool.close();
  }
}

async function detectInThisThread(videoPath: string, probe: Awaited<ReturnType<typeof probeVideo>>, fps: number, options: DetectOptions): Promise<DetectionRun> {
  const detector = await loadDetector(options.detector ?? defaultDetector, options.backend ?? 'auto');
  try {
    const box = letterbox(probe.displayWidth, probe.displayHeight, detector.inputSize);
    const expected = Math.max(1, Math.round(probe.durationSec * fps));
    const frames: FrameDetections[] = [];
    let index = 0;
    for await (const rgb of readRawFrames({
      input: videoPath,
      width: detector.inputSize,
      height: detector.inputSize,
      filters: `fps=${fps},${letterboxFilter(box)}`,
      signal: options.signal,
      ffmpegPaths: options.ffmpeg,
    })) {
      frames.push({ frame: index, time: index / fps, people: await detector.detect(rgb, box, options.minScore ?? detectorSpecs[detector.name].defaultMinScore) });
      index++;
      options.onProgress?.(index, Math.max(expected, index));
    }
    return { width: probe.displayWidth, height: probe.displayHeight, fps, frameCount: frames.length, detector: detector.name, backend: detector.backend, frames };
  } finally {
    detector.dispose();
  }
}
