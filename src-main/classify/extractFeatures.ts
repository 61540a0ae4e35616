/**
 * The pooled features of every sampled clip of one video, from a feature backbone: the stage 2
 * sampling and preprocessing unchanged (./preprocess.ts), the network's `features` output
 * instead of a score. Each finished clip goes to a checkpoint (./featureCheckpoint.ts) before
 * the next starts; clips already in the checkpoint are decoded again (one pass over the video
 * serves every clip) but the network is not run on them.
 */
import { AppError } from '../contract/errors.js';
import type { PlannedClip } from '../domain/clipSampling.js';
import type { OpenedSession } from '../runtime/openSession.js';
import { runFloat32 } from '../runtime/sessionRun.js';
import { featuresManifest } from './bundleManifest.js';
import type { BundleRef } from './classifyVideo.js';
import { prepareVideoAhead } from './decodeAhead.js';
import { FeatureCheckpointWriter, readFeatureCheckpoint } from './featureCheckpoint.js';
import type { PreprocessingParameters } from './preprocess.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';

export interface ExtractedClip {
  index: number;
  startSec: number;
  endSec: number;
  frameIndices: number[];
}

export interface VideoFeatures {
  /** Every clip of the plan, in order; their features are in the checkpoint file. */
  clips: ExtractedClip[];
  featureSize: number;
  /** Clips the network ran on in this call, and clips found finished in the checkpoint. */
  computedClips: number;
  resumedClips: number;
  preprocessing: PreprocessingParameters;
  provider: OpenedSession['provider'];
  timings: { inferenceMs: number; totalMs: number };
}

export interface ExtractOptions {
  signal?: AbortSignal;
  ffmpeg?: FfmpegPathOverrides;
  decodeThreads?: number;
  /** Clips finished (computed or resumed) and clips planned. */
  onProgress?: (done: number, total: number) => void;
}

/** Runs one clip [1, 3, T, S, S] and returns its features. */
async function clipFeatures(opened: OpenedSession, bundle: BundleRef, data: Float32Array, featureSize: number): Promise<Float32Array> {
  const { frames, size, name } = bundle.manifest.input;
  const values = await runFloat32(opened.session, name, data, [1, 3, frames, size, size], bundle.manifest.output.name);
  if (!values) throw new AppError('MODEL_INVALID', `the model returned no output named "${bundle.manifest.output.name}"`);
  if (values.length !== featureSize) throw new AppError('MODEL_INVALID', `the model returned ${values.length} values for a clip, the manifest says ${featureSize} features`);
  return values;
}

export async function extractVideoFeatures(videoPath: string, bundle: BundleRef, opened: OpenedSession, checkpointPath: string, options: ExtractOptions = {}): Promise<VideoFeatures> {
  const started = performance.now();
  const manifest = featuresManifest(bundle.manifest);
  const featureSize = manifest.output.featureSize;
  const finished = (await readFeatureCheckpoint(checkpointPath, featureSize)).clips;
  const input = { frames: manifest.input.frames, clipSeconds: manifest.input.clipSeconds, size: manifest.input.size, mean: manifest.input.mean, std: manifest.input.std, fps: manifest.input.fps ?? 30 };
  const prepared = await prepareVideoAhead(videoPath, input, { batchSize: 1, signal: options.signal, ffmpeg: options.ffmpeg, decodeThreads: options.decodeThreads });
  const total = prepared.plan.length;
  const writer = await FeatureCheckpointWriter.open(checkpointPath, featureSize);
  const clips: ExtractedClip[] = [];
  let computedClips = 0;
  let resumedClips = 0;
  let inferenceMs = 0;
  options.onProgress?.(0, total);
  const batches = prepared.batches();
  try {
    for await (const batch of batches) {
      if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
      const clip: PlannedClip = batch.clips[0]!;
      if (finished.has(clip.index)) resumedClips++;
      else {
        const t0 = performance.now();
        const features = await clipFeatures(opened, bundle, batch.data, featureSize);
        inferenceMs += performance.now() - t0;
        await writer.append(clip.index, features);
        computedClips++;
      }
      clips.push({ index: clip.index, startSec: clip.startSec, endSec: clip.endSec, frameIndices: clip.frameIndices });
      options.onProgress?.(clips.length, total);
    }
  } finally {
    await writer.close();
  }
  if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
  if (clips.length === 0) throw new AppError('VIDEO_TOO_SHORT', 'no complete clip could be decoded');
  return { clips, featureSize, computedClips, resumedClips, preprocessing: prepared.parameters, provider: opened.provider, timings: { inferenceMs, totalMs: performance.now() - started } };
}
