import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * onnxruntime's execution providers as WalkScope knows them: their names, the default order
 * of preference, and which platform each can run on. openSession.ts tries them in order.
 */
export type ProviderName = 'cuda' | 'webgpu' | 'dml' | 'coreml' | 'cpu';
export const providerNames: readonly ProviderName[] = ['cuda', 'webgpu', 'dml', 'coreml', 'cpu'];

export function isProviderName(value: string): value is ProviderName {
  return (providerNames as readonly string[]).includes(value);
}

const require = createRequire(import.meta.url);

/** onnxruntime-node ships CUDA only as an optional download; is its provider library here? */
export function cudaBinariesInstalled(): boolean {
  try {
    const root = dirname(require.resolve('onnxruntime-node/package.json'));
    const dir = join(root, 'bin', 'napi-v6', process.platform, process.arch);
    const file = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    return existsSync(join(dir, file));
  } catch {
    return false;
  }
}

/**
 * The default order: CUDA where its binaries are installed, then the platform's GPU APIs
 * (DirectML on Windows, WebGPU, CoreML on macOS), then the CPU, which always works.
 * WebGPU is only used on a hardware adapter (checked when the session is opened).
 */
export function defaultProviderOrder(platform: NodeJS.Platform = process.platform): ProviderName[] {
  const order: ProviderName[] = [];
  if (platform !== 'darwin' && cudaBinariesInstalled()) order.push('cuda');
  if (platform === 'win32') order.push('dml');
  order.push('webgpu');
  if (platform === 'darwin') order.push('coreml');
  order.push('cpu');
  return order;
}

/** DirectML runs only on Windows, CoreML only on macOS, CUDA everywhere but macOS; the rest anywhere. */
export function platformAllows(provider: ProviderName, platform: NodeJS.Platform = process.platform): boolean {
  if (provider === 'dml') return platform === 'win32';
  if (provider === 'coreml') return platform === 'darwin';
  if (provider === 'cuda') return platform !== 'darwin';
  return true;
}
