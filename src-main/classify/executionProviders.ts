import * as ort from 'onnxruntime-node';
import { probeGpuAdapter } from './gpuAdapter.js';

export type ProviderName = 'cuda' | 'webgpu' | 'dml' | 'coreml' | 'cpu';

export interface SessionOptions {
  /** Preference order; unknown-to-this-platform providers are skipped, cpu is always last. */
  providers: readonly ProviderName[];
  intraOpThreads: number;
  /** Tests set this to run the WebGPU path on a software adapter (SwiftShader). */
  allowSoftwareGpu?: boolean;
}

export interface OpenedSession {
  session: ort.InferenceSession;
  provider: ProviderName;
  /** Providers tried before the one that ran, and why each was passed over. */
  skipped: Array<{ provider: ProviderName; reason: string }>;
}

function platformAllows(provider: ProviderName): boolean {
  if (provider === 'dml') return process.platform === 'win32';
  if (provider === 'coreml') return process.platform === 'darwin';
  return true;
}

/**
 * Creates a session on the first provider that works. onnxruntime-node throws, rather than
 * falling back, when a provider's libraries are missing (e.g. CUDA): that is caught, noted,
 * and the next provider is tried; CPU always works.
 */
export async function openSession(modelPath: string, options: SessionOptions): Promise<OpenedSession> {
  const order = [...options.providers.filter((p) => p !== 'cpu'), 'cpu' as const];
  const skipped: OpenedSession['skipped'] = [];
  for (const provider of order) {
    if (!platformAllows(provider)) {
      skipped.push({ provider, reason: `not available on ${process.platform}` });
      continue;
    }
    if (provider === 'webgpu' && !options.allowSoftwareGpu) {
      const adapter = await probeGpuAdapter();
      if (!adapter.real) {
        skipped.push({ provider, reason: `no hardware GPU adapter (${adapter.description})` });
        continue;
      }
    }
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        executionProviders: [provider],
        intraOpNumThreads: options.intraOpThreads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      });
      return { session, provider, skipped };
    } catch (error) {
      if (provider === 'cpu') throw error;
      skipped.push({ provider, reason: (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200) });
    }
  }
  throw new Error('no execution provider could run the model');
}

export { ort };
