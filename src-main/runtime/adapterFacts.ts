/**
 * The one rule for telling a software WebGPU adapter from a GPU, used by stage 1's backend
 * plan (detect/backendOrder.ts) and stage 2's execution-provider choice (openSession.ts):
 * an adapter that rasterises on the CPU works, but is slower than tfjs-wasm for stage 1 and
 * than onnxruntime's CPU provider for stage 2, so neither uses one unless told to.
 */

/** What a WebGPU adapter says of itself (GPUAdapterInfo plus Dawn's fallback flag). */
export interface AdapterFacts {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter?: boolean;
}

// SwiftShader (Chromium's Vulkan), Mesa's llvmpipe, lavapipe and softpipe, Windows' WARP
// ("Microsoft Basic Render Driver"), and adapters that call themselves a CPU
const softwarePattern = /swiftshader|llvmpipe|lavapipe|softpipe|software|warp|microsoft basic render|\bcpu\b/i;

/** True for adapters that run on the CPU: Dawn's fallback adapter, or a known software rasteriser by name. */
export function isSoftwareAdapter(adapter: AdapterFacts): boolean {
  if (adapter.isFallbackAdapter === true) return true;
  return softwarePattern.test([adapter.vendor, adapter.architecture, adapter.device, adapter.description].join(' '));
}

/** The adapter in words for logs and recorded results: vendor, architecture, then the description (else the device), each once. */
export function describeAdapter(adapter: AdapterFacts): string {
  const parts = [adapter.vendor, adapter.architecture, adapter.description || adapter.device].map((p) => p.trim()).filter((p) => p !== '');
  return [...new Set(parts)].join(' ') || 'unnamed adapter';
}
