import type { DetectionRun, FrameDetections } from '../domain/detectionTypes.js';
import { letterbox, letterboxFilter } from '../domain/letterbox.js';
import { probeVideo } from '../media/probe.js';
import { readRawFrames } from '../media/rawFrames.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { MoveNetMultiPose } from './moveNetMultiPose.js';
import type { BackendChoice } from './tfRuntime.js';

export interface DetectOptions {
  backend?: BackendChoice;
  minScore?: number;
  /** Output timeline rate; the paper's clips are 30 fps. */
  fps?: number;
  ffmpeg?: FfmpegPathOverrides;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
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
  const detector = await MoveNetMultiPose.load(options.backend ?? 'auto');
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
      frames.push({ frame: index, time: index / fps, people: detector.detect(rgb, box, options.minScore ?? 0.2) });
      index++;
      options.onProgress?.(index, Math.max(expected, index));
    }
    return { width: probe.displayWidth, height: probe.displayHeight, fps, frameCount: frames.length, detector: detector.name, backend: detector.backend, frames };
  } finally {
    detector.dispose();
  }
}
