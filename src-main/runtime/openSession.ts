import * as ort from 'onnxruntime-node';
import { cudaBinariesInstalled, isProviderName, platformAllows, type ProviderName } from './executionProviders.js';
import { hardwareAdapterProblem, probeGpuAdapter } from './gpuAdapter.js';

/**
 * An onnxruntime session over a model file on the first execution provider that works, with
 * the providers passed over and why (recorded with every stage 2 result).
 */

/** Session settings that change speed, never results beyond float rounding. */
export interface SessionTuning {
  /** Threads inside one operator (the CPU provider's parallelism). Default: all cores. */
  intraOpThreads: number;
  /** 'all' (default) also fuses Conv+BatchNorm+ReLU and lays out conv weights for the CPU. */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  executionMode?: 'sequential' | 'parallel';
  /** Let intra-op worker threads spin between operators (faster, burns CPU while idle). */
  allowSpinning?: boolean;
}

export interface SessionOptions extends SessionTuning {
  /** Preference order; cpu is always tried last. */
  providers: readonly string[];
  /** Tests set this to run the WebGPU path on a software adapter (SwiftShader). */
  allowSoftwareGpu?: boolean;
}

export interface SkippedProvider {
  provider: string;
  reason: string;
}

export interface OpenedSession {
  session: ort.InferenceSession;
  /** The provider the session was created with (the one that runs the model). */
  provider: ProviderName;
  /** Providers tried or passed over before the one that ran, and why. */
  skipped: SkippedProvider[];
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
}

export function sessionCreateOptions(provider: ProviderName, tuning: SessionTuning): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    intraOpNumThreads: tuning.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: tuning.executionMode ?? 'sequential',
    graphOptimizationLevel: tuning.graphOptimizationLevel ?? 'all',
    enableCpuMemArena: true,
    enableMemPattern: true,
    logSeverityLevel: 3,
    ...(tuning.allowSpinning === undefined ? {} : { extra: { session: { intra_op: { allow_spinning: tuning.allowSpinning ? '1' : '0' } } } }),
  };
}

/** Runs the model once on a zero batch of one (symbolic dimensions set to 1). */
async function trialRun(session: ort.InferenceSession): Promise<void> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const meta of session.inputMetadata) {
    if (!meta.isTensor || meta.type !== 'float32') throw new Error(`input ${meta.name} is not a float32 tensor`);
    const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    feeds[meta.name] = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
  }
  const out = await session.run(feeds);
  for (const value of Object.values(out)) value.dispose();
}

/**
 * Creates a session on the first provider that works. onnxruntime-node throws, rather than
 * falling back, when a provider cannot start (e.g. CUDA without its libraries): that is
 * caught, recorded with the reason, and the next provider is tried. CPU always comes last.
 */
export async function openSession(modelPath: string, options: SessionOptions): Promise<OpenedSession> {
  const skipped: SkippedProvider[] = [];
  const order: ProviderName[] = [];
  for (const name of options.providers) {
    if (!isProviderName(name)) skipped.push({ provider: name, reason: 'not an execution provider WalkScope knows' });
    else if (name !== 'cpu' && !order.includes(name)) order.push(name);
  }
  order.push('cpu');
  for (const provider of order) {
    if (!platformAllows(provider)) {
      skipped.push({ provider, reason: `not available on ${process.platform}` });
      continue;
    }
    if (provider === 'cuda' && !cudaBinariesInstalled()) {
      // Trying would only make onnxruntime print a load error before throwing.
      skipped.push({ provider, reason: 'the CUDA provider libraries of onnxruntime-node are not installed (libonnxruntime_providers_cuda)' });
      continue;
    }
    if (provider === 'webgpu' && !options.allowSoftwareGpu) {
      // the software-adapter rule stage 1 uses too (runtime/adapterFacts.ts)
      const problem = hardwareAdapterProblem(await probeGpuAdapter());
      if (problem) {
        skipped.push({ provider, reason: problem });
        continue;
      }
    }
    let session: ort.InferenceSession | undefined;
    try {
      session = await ort.InferenceSession.create(modelPath, sessionCreateOptions(provider, options));
      // A GPU provider may accept the graph and still fail on a node at run time (WebGPU has no
      // grouped Conv3D, which CSN and X3D use): one run on zeros proves it before it is chosen.
      if (provider !== 'cpu') await trialRun(session);
      return { session, provider, skipped };
    } catch (error) {
      if (provider === 'cpu') throw error;
      await session?.release().catch(() => undefined);
      skipped.push({ provider, reason: firstLine(error) });
    }
  }
  throw new Error('no execution provider could run the model');
}
