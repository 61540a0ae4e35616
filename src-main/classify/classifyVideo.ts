/**
 * Stage 2 on one video, in the calling thread: plan the clips, decode and transform them
 * (./preprocess.ts), run the model in batches, turn raw outputs into P(ASD) and aggregate.
 * Stage2Classifier (./classifier.ts) runs this inside a worker thread; the job worker
 * (src-main/jobs/work/stage2Work.ts) calls `classifyVideo` directly, being a worker already.
 */
import { AppError } from '../contract/errors.js';
import { phrase, type Phrase } from '../contract/phrase.js';
import { aggregate, probabilityOfAsd, verdictOf, type Aggregation, type Verdict } from '../domain/scoreAggregation.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { classifierManifest, type BundleManifest } from './bundleManifest.js';
import type { ProviderName } from '../runtime/executionProviders.js';
import { openSession, type OpenedSession, type SessionTuning, type SkippedProvider } from '../runtime/openSession.js';
import { runFloat32 } from '../runtime/sessionRun.js';
import { prepareVideoAhead } from './decodeAhead.js';
import { prepareVideo, type PreprocessingParameters, type PreprocessStats, type ResizeMode } from './preprocess.js';

/** What inference needs of an opened bundle (plain data: it crosses to the worker). */
export interface BundleRef {
  modelPath: string;
  sha256: string;
  manifest: BundleManifest;
}

export interface ClipScore {
  index: number;
  startSec: number;
  endSec: number;
  /** Frames of the 30 fps timeline the model saw, in order. */
  frameIndices: number[];
  /** The model's raw output for the clip (for the reference models: a logit of P(non-ASD)). */
  rawOutput: number;
  /** P(ASD) of the clip. */
  probabilityAsd: number;
}

export interface VideoClassification {
  clips: ClipScore[];
  /** P(ASD) of the video: the aggregate of its clips' P(ASD). */
  videoScore: number;
  verdict: Verdict;
  /** The bundle is not validated: its output is for research only, never a clinical verdict. */
  researchOnly: boolean;
  aggregation: Aggregation;
  threshold: number;
  /** The execution provider that ran the model. */
  provider: ProviderName;
  providersSkipped: SkippedProvider[];
  bundle: { id: string; name: string; version: string; sha256: string; validated: boolean };
  preprocessing: PreprocessingParameters;
  timings: { decodeAndPreprocessMs: number; inferenceMs: number; totalMs: number };
}

/** Where one video's time went, for benchmarks: the preprocessing's stats and the model's time. */
export interface Stage2Breakdown extends PreprocessStats {
  /** Waiting for the next batch: the decoding and transforming the model did not hide. */
  waitMs: number;
  inferenceMs: number;
  totalMs: number;
  clips: number;
}

export interface RunOptions {
  aggregation?: Aggregation;
  /** Filled with the time breakdown when given (benchmarks). */
  breakdown?: Stage2Breakdown;
  /**
   * Decode and transform the next batch in a decode worker thread while the model runs the
   * current one (default true). Costs one batch of memory; false runs the two in turn here.
   */
  overlap?: boolean;
  /** ffmpeg's decoding threads (-threads before -i); ffmpeg's own choice when not set. */
  decodeThreads?: number;
  batchSize?: number;
  resize?: ResizeMode;
  ffmpeg?: FfmpegPathOverrides;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Runs a batch [n, 3, T, S, S] and returns the n raw outputs. */
export async function runBatch(opened: OpenedSession, bundle: BundleRef, data: Float32Array, count: number): Promise<Float32Array> {
  const { frames, size, name: inputName } = bundle.manifest.input;
  const input = data.length === count * 3 * frames * size * size ? data : data.subarray(0, count * 3 * frames * size * size);
  const values = await runFloat32(opened.session, inputName, input, [count, 3, frames, size, size], bundle.manifest.output.name);
  if (!values) throw new AppError('MODEL_INVALID', `the model returned no output named "${bundle.manifest.output.name}"`);
  if (values.length !== count) throw new AppError('MODEL_INVALID', `the model returned ${values.length} values for ${count} clips`);
  return values;
}

/** Classifies one video with an open session. */
export async function classifyWithSession(videoPath: string, bundle: BundleRef, opened: OpenedSession, options: RunOptions = {}): Promise<VideoClassification> {
  const started = performance.now();
  // a feature backbone gives no verdict: refused before any clip is decoded
  const manifest = classifierManifest(bundle.manifest);
  const aggregation = options.aggregation ?? 'mean';
  const overlap = options.overlap ?? true;
  const input = { frames: manifest.input.frames, clipSeconds: manifest.input.clipSeconds, size: manifest.input.size, mean: manifest.input.mean, std: manifest.input.std, fps: manifest.input.fps ?? 30 };
  const preprocessOptions = { resize: options.resize, batchSize: options.batchSize ?? 1, ffmpeg: options.ffmpeg, signal: options.signal, decodeThreads: options.decodeThreads };
  // session.run blocks this thread: with overlap, a decode worker prepares the next batch meanwhile
  const prepared = overlap ? await prepareVideoAhead(videoPath, input, preprocessOptions) : await prepareVideo(videoPath, input, preprocessOptions);
  const total = prepared.plan.length;
  const clips: ClipScore[] = [];
  let inferenceMs = 0;
  options.onProgress?.(0, total);
  const batches = prepared.batches();
  let upcoming = batches.next();
  let waitMs = 0;
  try {
    for (;;) {
      const w0 = performance.now();
      const next = await upcoming;
      waitMs += performance.now() - w0;
      if (next.done) break;
      const batch = next.value;
      if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
      // with overlap, the decode worker goes on with the next batch while onnxruntime runs this one
      if (overlap) upcoming = batches.next();
      const t0 = performance.now();
      const raw = await runBatch(opened, bundle, batch.data, batch.clips.length);
      inferenceMs += performance.now() - t0;
      batch.clips.forEach((clip, k) => {
        const rawOutput = raw[k]!;
        clips.push({ index: clip.index, startSec: clip.startSec, endSec: clip.endSec, frameIndices: clip.frameIndices, rawOutput, probabilityAsd: probabilityOfAsd(rawOutput, manifest.output) });
      });
      options.onProgress?.(clips.length, total);
      if (!overlap) upcoming = batches.next();
    }
  } finally {
    // a batch still being prepared when the loop failed: its failure is not this one's
    upcoming.catch(() => undefined);
    await batches.return(undefined).catch(() => undefined);
  }
  if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
  if (clips.length === 0) throw new AppError('VIDEO_TOO_SHORT', 'no complete clip could be decoded');
  const videoScore = aggregate(clips.map((c) => c.probabilityAsd), aggregation);
  const totalMs = performance.now() - started;
  if (options.breakdown) Object.assign(options.breakdown, prepared.stats, { waitMs, inferenceMs, totalMs, clips: clips.length });
  return {
    clips,
    videoScore,
    verdict: verdictOf(videoScore, manifest.threshold),
    researchOnly: !manifest.validated,
    aggregation,
    threshold: manifest.threshold,
    provider: opened.provider,
    providersSkipped: opened.skipped,
    bundle: { id: manifest.id, name: manifest.name, version: manifest.version, sha256: bundle.sha256, validated: manifest.validated },
    preprocessing: prepared.parameters,
    timings: { decodeAndPreprocessMs: totalMs - inferenceMs, inferenceMs, totalMs },
  };
}

// ----------------------------------------------------------------------------- per-thread sessions

export interface SessionRequest extends SessionTuning {
  providers: readonly string[];
  allowSoftwareGpu?: boolean;
}

/** Sessions stay open per model hash, provider order and tuning for the life of the thread. */
const sessions = new Map<string, Promise<OpenedSession>>();

export function sessionFor(bundle: Pick<BundleRef, 'modelPath' | 'sha256'>, request: SessionRequest): Promise<OpenedSession> {
  const key = JSON.stringify([bundle.sha256, request.providers, request.intraOpThreads, request.graphOptimizationLevel ?? 'all', request.executionMode ?? 'sequential', request.allowSpinning ?? null, request.allowSoftwareGpu ?? false]);
  let opened = sessions.get(key);
  if (!opened) {
    opened = openSession(bundle.modelPath, request);
    opened.catch(() => sessions.delete(key));
    sessions.set(key, opened);
  }
  return opened;
}

export async function releaseSessions(): Promise<void> {
  const all = [...sessions.values()];
  sessions.clear();
  for (const s of all) await (await s.catch(() => undefined))?.session.release();
}

export interface ClassifyOptions extends Omit<RunOptions, 'onProgress'> {
  providers: readonly string[];
  intraOpThreads: number;
  allowSoftwareGpu?: boolean;
  /** The job layer's progress: a fraction 0..1 and what is being done (jobs.progress.*; English: `englishOf`). */
  onProgress?: (fraction: number, message: Phrase) => void;
}

/** One video in the calling thread with a cached session (the job worker's entry). */
export async function classifyVideo(videoPath: string, bundle: BundleRef, options: ClassifyOptions): Promise<VideoClassification> {
  classifierManifest(bundle.manifest); // a feature backbone is refused before a session is opened
  const opened = await sessionFor(bundle, options);
  const { onProgress, ...rest } = options;
  return classifyWithSession(videoPath, bundle, opened, {
    ...rest,
    onProgress: (done, total) => onProgress?.(total === 0 ? 1 : done / total, phrase('jobs.progress.classified', { done, total })),
  });
}
