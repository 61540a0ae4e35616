import { describeAdapter, isSoftwareAdapter, type AdapterFacts } from './adapterFacts.js';

/**
 * The one WebGPU adapter probe: Dawn, from the `webgpu` package, asked for its first adapter.
 * Stage 1 runs tfjs's webgpu backend on it; stage 2 asks it whether onnxruntime's WebGPU
 * provider would get a real GPU. Dawn is loaded only when this is first called (it costs
 * memory in every thread that loads it), and the answer is kept for the life of the thread
 * (each worker thread loads its own copy of this module, so each probes once).
 */
export type GpuProbe =
  | {
      found: true;
      facts: AdapterFacts;
      /** Dawn's GPU object (tfjs-backend-webgpu finds it as navigator.gpu). */
      gpu: GPU;
      /** Puts Dawn's WebGPU constants (GPUBufferUsage, GPUMapMode...) on globalThis, where tfjs-backend-webgpu looks for them. */
      installGlobals(): void;
    }
  | {
      found: false;
      /** Why not: no adapter, or Dawn could not load (no binary for the platform, no Vulkan, D3D12 or Metal driver). */
      reason: string;
    };

let probed: Promise<GpuProbe> | undefined;

export function probeGpuAdapter(): Promise<GpuProbe> {
  probed ??= (async (): Promise<GpuProbe> => {
    try {
      const { create, globals } = await import('webgpu');
      const gpu = create([]);
      const adapter = await gpu.requestAdapter();
      if (!adapter) return { found: false, reason: 'no GPU adapter' };
      const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
      return {
        found: true,
        gpu,
        facts: { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '', isFallbackAdapter: info.isFallbackAdapter === true },
        installGlobals: () => void Object.assign(globalThis, globals),
      };
    } catch (error) {
      return { found: false, reason: `no WebGPU: ${error instanceof Error ? error.message : String(error)}` };
    }
  })();
  return probed;
}

/**
 * Why onnxruntime's WebGPU provider would not get a hardware GPU from this probe (no adapter,
 * or a software one by isSoftwareAdapter), or undefined when it would.
 */
export function hardwareAdapterProblem(probe: GpuProbe): string | undefined {
  if (!probe.found) return `no hardware GPU adapter (${probe.reason})`;
  if (isSoftwareAdapter(probe.facts)) return `no hardware GPU adapter (${describeAdapter(probe.facts)} is a software adapter)`;
  return undefined;
}
