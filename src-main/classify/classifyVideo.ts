import { AppError } from '../contract/errors.js';
import { framesInWindow, temporalSubsampleIndices, uniformClipWindows } from '../domain/clipSampling.js';
import { clipToTensor } from '../domain/videoTensor.js';
import { aggregate, probabilityOfAsd, verdictOf, type Aggregation } from '../domain/scoreAggregation.js';
import { probeVideo, scanPackets } from '../media/probe.js';
import { readRawFrames } from '../media/rawFrames.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { openSession, ort, type OpenedSession, type ProviderName } from './executionProviders.js';
import type { OpenedBundle } from './modelBundle.js';

export interface ClassifyOptions {
  providers: readonly ProviderName[];
  intraOpThreads: number;
  aggregation?: Aggregation;
  batchSize?: number;
  allowSoftwareGpu?: boolean;
  ffmpeg?: FfmpegPathOverrides;
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string) => void;
}

export interface ClipScore {
  index: number;
  startSec: number;
  endSec: number;
  frameIndices: number[];
  probabilityAsd: number;
}

export interface VideoClassification {
  clips: ClipScore[];
  /** P(ASD) of the video: the aggregate of its clips. */
  videoScore: number;
  verdict: 'ASD' | 'non-ASD';
  /** The bundle is not validated: its output is for research only. */
  researchOnly: boolean;
  aggregation: Aggregation;
  threshold: number;
  provider: ProviderName;
  providersSkipped: Array<{ provider: string; reason: string }>;
  bundle: { id: string; name: string; version: string; sha256: string; validated: boolean };
  preprocessing: { frames: number; clipSeconds: number; size: number; mean: number[]; std: number[]; sampler: 'uniform'; decodedWidth: number; decodedHeight: number; sourceFrames: number };
  timings: { decodeAndTransformMs: number; inferenceMs: number; totalMs: number };
}

/** Sessions stay open per bundle, provider order and thread count for the life of the thread. */
const sessions = new Map<string, Promise<OpenedSession>>();

export function sessionFor(bundle: OpenedBundle, options: Pick<ClassifyOptions, 'providers' | 'intraOpThreads' | 'allowSoftwareGpu'>): Promise<OpenedSession> {
  const key = `${bundle.sha256}|${options.providers.join(',')}|${options.intraOpThreads}|${options.allowSoftwareGpu ? 'sw' : ''}`;
  let opened = sessions.get(key);
  if (!opened) {
    opened = openSession(bundle.modelPath, { providers: options.providers, intraOpThreads: options.intraOpThreads, allowSoftwareGpu: options.allowSoftwareGpu ?? false });
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

/** Runs one batch of clips and returns P(ASD) per clip. */
export async function runClips(opened: OpenedSession, bundle: OpenedBundle, data: Float32Array, count: number): Promise<number[]> {
  const { frames, size } = bundle.manifest.input;
  const tensor = new ort.Tensor('float32', data.subarray(0, count * 3 * frames * size * size), [count, 3, frames, size, size]);
  const results = await opened.session.run({ [bundle.manifest.input.name]: tensor });
  const output = results[bundle.manifest.output.name]!.data as Float32Array;
  return Array.from(output.subarray(0, count), (raw) => probabilityOfAsd(raw, bundle.manifest.output));
}

/**
 * Stage 2 on one video: the uniform clip sampler over the whole video, pytorchvideo's frame
 * selection and temporal subsampling, the reference transforms, batched inference, and the
 * aggregate verdict. Frames are streamed; only the frames of the clips being built are kept.
 */
export async function classifyVideo(videoPath: string, bundle: OpenedBundle, options: ClassifyOptions): Promise<VideoClassification> {
  const started = performance.now();
  const { manifest } = bundle;
  const { frames: T, size, clipSeconds } = manifest.input;
  const aggregation = options.aggregation ?? 'mean';
  const batchSize = Math.max(1, options.batchSize ?? 2);
  const probe = await probeVideo(videoPath, options.ffmpeg);
  const scan = await scanPackets(videoPath, { ...(options.ffmpeg ? { overrides: options.ffmpeg } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const duration = Math.max(probe.durationSec, scan.times.at(-1)! + scan.meanIntervalSec);
  const windows = uniformClipWindows(duration, clipSeconds);
  if (windows.length === 0) throw new AppError('VIDEO_TOO_SHORT', `it lasts ${duration.toFixed(2)} s and one clip needs ${clipSeconds} s`);
  const plan = windows.map((w) => {
    const inWindow = framesInWindow(scan.times, w);
    if (inWindow.length === 0) throw new AppError('VIDEO_TOO_SHORT', `the clip from ${w.startSec} s to ${w.endSec} s holds no frames`);
    return { ...w, frameIndices: temporalSubsampleIndices(inWindow.length, T).map((i) => inWindow[i]!) };
  });
  const needed = new Map<number, number>(); // frame index -> how many clips still need it
  for (const clip of plan) for (const i of clip.frameIndices) needed.set(i, (needed.get(i) ?? 0) + 1);
  const lastNeeded = Math.max(...needed.keys());

  const opened = await sessionFor(bundle, options);
  const width = probe.displayWidth;
  const height = probe.displayHeight;
  const clipLength = 3 * T * size * size;
  const batch = new Float32Array(batchSize * clipLength);
  let inBatch = 0;
  const batchClips: number[] = [];
  const scores: number[] = new Array<number>(plan.length);
  const kept = new Map<number, Uint8Array>();
  let nextClip = 0;
  let inferenceMs = 0;
  const flush = async () => {
    if (inBatch === 0) return;
    const t0 = performance.now();
    const probabilities = await runClips(opened, bundle, batch, inBatch);
    inferenceMs += performance.now() - t0;
    probabilities.forEach((p, k) => (scores[batchClips[k]!] = p));
    inBatch = 0;
    batchClips.length = 0;
  };
  let index = 0;
  for await (const frame of readRawFrames({ input: videoPath, width, height, filters: 'null', outputArgs: ['-vsync', 'passthrough'], signal: options.signal, ffmpegPaths: options.ffmpeg })) {
    if (needed.has(index)) kept.set(index, frame);
    // build every clip whose frames are all decoded
    while (nextClip < plan.length && plan[nextClip]!.frameIndices.every((i) => i <= index)) {
      const clip = plan[nextClip]!;
      clipToTensor(clip.frameIndices.map((i) => kept.get(i)!), { width, height, size, mean: manifest.input.mean, std: manifest.input.std }, batch.subarray(inBatch * clipLength, (inBatch + 1) * clipLength));
      for (const i of clip.frameIndices) {
        const left = needed.get(i)! - 1;
        if (left === 0) {
          needed.delete(i);
          kept.delete(i);
        } else needed.set(i, left);
      }
      batchClips.push(nextClip);
      inBatch++;
      nextClip++;
      if (inBatch === batchSize) await flush();
      options.onProgress?.(nextClip / plan.length, `Classified ${nextClip} of ${plan.length} clips`);
    }
    index++;
    if (index > lastNeeded) break;
  }
  await flush();
  if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
  if (nextClip < plan.length) throw new AppError('VIDEO_TRUNCATED', `${videoPath}: the decoder stopped before frame ${lastNeeded}`);
  const videoScore = aggregate(scores, aggregation);
  const totalMs = performance.now() - started;
  return {
    clips: plan.map((c, k) => ({ index: c.index, startSec: c.startSec, endSec: c.endSec, frameIndices: c.frameIndices, probabilityAsd: scores[k]! })),
    videoScore,
    verdict: verdictOf(videoScore, manifest.threshold),
    researchOnly: !manifest.validated,
    aggregation,
    threshold: manifest.threshold,
    provider: opened.provider,
    providersSkipped: opened.skipped,
    bundle: { id: manifest.id, name: manifest.name, version: manifest.version, sha256: bundle.sha256, validated: manifest.validated },
    preprocessing: { frames: T, clipSeconds, size, mean: [...manifest.input.mean], std: [...manifest.input.std], sampler: 'uniform', decodedWidth: width, decodedHeight: height, sourceFrames: scan.frameCount },
    timings: { decodeAndTransformMs: totalMs - inferenceMs, inferenceMs, totalMs },
  };
}
