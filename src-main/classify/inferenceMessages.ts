/**
 * Messages between Stage2Classifier (owner) and the inference worker thread: a discriminated
 * union on `type`, every request and its replies carrying the request's `id`.
 */
import type { Aggregation } from '../domain/scoreAggregation.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import type { ProviderName } from '../runtime/executionProviders.js';
import type { SessionTuning, SkippedProvider } from '../runtime/openSession.js';
import type { BundleRef, VideoClassification } from './classifyVideo.js';
import type { ResizeMode } from './preprocess.js';

/** Fixed for the life of the worker. */
export interface InferenceWorkerConfig extends SessionTuning {
  providers: string[];
  allowSoftwareGpu: boolean;
  batchSize: number;
  resize: ResizeMode;
  ffmpeg?: FfmpegPathOverrides;
}

export type InferenceRequest =
  | { type: 'classify'; id: number; videoPath: string; bundle: BundleRef; aggregation: Aggregation }
  /** Runs one batch as given (benchmarks and parity checks through the same path). */
  | { type: 'run'; id: number; bundle: BundleRef; data: Float32Array; count: number }
  | { type: 'cancel'; id: number }
  | { type: 'dispose'; id: number };

export interface SerialisedError {
  name: string;
  message: string;
  code?: string;
  detail?: string;
}

export type InferenceReply =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'classified'; id: number; result: VideoClassification }
  | { type: 'ran'; id: number; output: Float32Array; provider: ProviderName; skipped: SkippedProvider[]; runMs: number }
  | { type: 'failed'; id: number; error: SerialisedError }
  | { type: 'disposed'; id: number };
