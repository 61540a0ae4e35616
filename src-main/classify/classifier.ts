/**
 * Stage2Classifier: the public face of stage 2 inference. Owns one worker thread that keeps
 * onnxruntime sessions per bundle (by SHA-256); decoding, preprocessing and inference all run
 * there. Progress comes back as clip counts, cancellation through an AbortSignal, and
 * dispose() closes the sessions and ends the worker.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { AppError, errorCatalogue, type ErrorCode } from '../contract/errors.js';
import type { Aggregation } from '../domain/scoreAggregation.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { defaultProviderOrder, type ProviderName } from '../runtime/executionProviders.js';
import type { SessionTuning, SkippedProvider } from '../runtime/openSession.js';
import { siblingModule, spawnWorker } from '../runtime/workerThreads.js';
import type { BundleRef, VideoClassification } from './classifyVideo.js';
import type { InferenceReply, InferenceRequest, InferenceWorkerConfig, SerialisedError } from './inferenceMessages.js';
import type { ResizeMode } from './preprocess.js';

export interface Stage2ClassifierOptions {
  /** Threads per inference (intra-op). Default: every core. */
  intraOpThreads?: number;
  /** Execution providers in order of preference. Default: defaultProviderOrder(). */
  providers?: string[];
  /** Let WebGPU run on a software adapter (tests on SwiftShader); never in the app. */
  allowSoftwareGpu?: boolean;
  /** Clips per model call. Default 1 (CPU gains nothing from bigger batches; memory stays low). */
  batchSize?: number;
  /** 'exact' (default) resizes as torchvision does; 'ffmpeg' scales while decoding. */
  resize?: ResizeMode;
  ffmpeg?: FfmpegPathOverrides;
  graphOptimizationLevel?: SessionTuning['graphOptimizationLevel'];
  executionMode?: SessionTuning['executionMode'];
  allowSpinning?: boolean;
}

export interface ClassifyVideoOptions {
  aggregation?: Aggregation;
  /** Clips done and the clips planned. */
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

export interface BatchRun {
  output: Float32Array;
  provider: ProviderName;
  skipped: SkippedProvider[];
  /** session.run time inside the worker. */
  runMs: number;
}

interface Pending {
  resolve(reply: InferenceReply): void;
  reject(error: unknown): void;
  onProgress?: (done: number, total: number) => void;
}

function revive(error: SerialisedError): Error {
  if (error.code && error.code in errorCatalogue) return new AppError(error.code as ErrorCode, error.detail ?? '');
  const revived = new Error(error.message);
  revived.name = error.name;
  return revived;
}

function bundleRef(bundle: BundleRef): BundleRef {
  // OpenedBundle carries a dispose function: only plain data crosses to the worker.
  return { modelPath: bundle.modelPath, sha256: bundle.sha256, manifest: bundle.manifest };
}

export class Stage2Classifier {
  readonly config: InferenceWorkerConfig;
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;

  constructor(options: Stage2ClassifierOptions = {}) {
    this.config = {
      providers: options.providers ?? defaultProviderOrder(),
      intraOpThreads: Math.max(1, options.intraOpThreads ?? availableParallelism()),
      allowSoftwareGpu: options.allowSoftwareGpu ?? false,
      batchSize: Math.max(1, options.batchSize ?? 1),
      resize: options.resize ?? 'exact',
      ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}),
      ...(options.graphOptimizationLevel ? { graphOptimizationLevel: options.graphOptimizationLevel } : {}),
      ...(options.executionMode ? { executionMode: options.executionMode } : {}),
      ...(options.allowSpinning === undefined ? {} : { allowSpinning: options.allowSpinning }),
    };
  }

  private start(): Worker {
    if (this.disposed) throw new Error('Stage2Classifier has been disposed');
    if (this.worker) return this.worker;
    const worker = spawnWorker(siblingModule(import.meta.url, 'inferenceWorker'), { workerData: this.config });
    worker.on('message', (reply: InferenceReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      if (reply.type === 'progress') {
        waiting.onProgress?.(reply.done, reply.total);
        return;
      }
      this.pending.delete(reply.id);
      if (reply.type === 'failed') waiting.reject(revive(reply.error));
      else waiting.resolve(reply);
    });
    const failAll = (error: Error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      this.worker = undefined;
    };
    worker.on('error', (error) => failAll(new AppError('INTERNAL', `the inference worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => failAll(new AppError('INTERNAL', `the inference worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private request(message: InferenceRequest, pending: Omit<Pending, 'resolve' | 'reject'> = {}, transfer: ArrayBuffer[] = []): Promise<InferenceReply> {
    const worker = this.start();
    return new Promise<InferenceReply>((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject, ...pending });
      worker.postMessage(message, transfer);
    });
  }

  /** Classifies one video: clips, P(ASD) per clip, the video score and the verdict at the bundle's threshold. */
  async classifyVideo(videoPath: string, bundle: BundleRef, options: ClassifyVideoOptions = {}): Promise<VideoClassification> {
    if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
    const id = this.nextId++;
    const onAbort = () => this.worker?.postMessage({ type: 'cancel', id } satisfies InferenceRequest);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = await this.request(
        { type: 'classify', id, videoPath, bundle: bundleRef(bundle), aggregation: options.aggregation ?? 'mean' },
        options.onProgress ? { onProgress: options.onProgress } : {},
      );
      if (reply.type !== 'classified') throw new Error(`unexpected reply ${reply.type}`);
      return reply.result;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Runs one prepared batch [count, 3, T, S, S] through the same worker and cached session
   * and returns the raw outputs. `data` is copied (not transferred) unless `transfer` is set.
   */
  async runBatch(bundle: BundleRef, data: Float32Array, count: number, transfer = false): Promise<BatchRun> {
    const id = this.nextId++;
    const reply = await this.request({ type: 'run', id, bundle: bundleRef(bundle), data, count }, {}, transfer ? [data.buffer as ArrayBuffer] : []);
    if (reply.type !== 'ran') throw new Error(`unexpected reply ${reply.type}`);
    return { output: reply.output, provider: reply.provider, skipped: reply.skipped, runMs: reply.runMs };
  }

  /** Closes every session and ends the worker. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const worker = this.worker;
    if (!worker) return;
    const id = this.nextId++;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    try {
      await Promise.race([
        new Promise<void>((resolve, reject) => {
          this.pending.set(id, { resolve: () => resolve(), reject });
          worker.postMessage({ type: 'dispose', id } satisfies InferenceRequest);
        }),
        new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref()),
      ]);
    } catch {
      // the worker is going away either way
    }
    await worker.terminate();
    await exited;
    this.worker = undefined;
  }
}
