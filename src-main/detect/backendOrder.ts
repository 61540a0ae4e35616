import { describeAdapter, isSoftwareAdapter, type AdapterFacts } from '../runtime/adapterFacts.js';

/**
 * What stage 1's detector runs on: a pure decision from what this machine offers, so the
 * order is tested without any of it installed. tfRuntime.ts probes, then tries the plan in order.
 *
 * Order for 'auto': tfjs-node-gpu, tfjs-node (native TensorFlow, when someone installed it),
 * onnxruntime (the tfjs graph converted to ONNX and run by onnxruntime-node's native CPU
 * kernels: 5x faster than wasm here, see onnx/convertedGraph.ts), WebGPU on a real GPU
 * adapter, wasm, cpu. A software adapter (SwiftShader, llvmpipe/lavapipe, WARP, a "CPU"
 * adapter: the rule of runtime/adapterFacts.ts, shared with stage 2) is slower than wasm and
 * is skipped unless forced.
 *
 * Why onnxruntime before a real GPU: with it, detection at 256x160 takes about 14 ms a frame
 * on one core, less than decoding the 1080p video costs, so a GPU could not make stage 1
 * faster; it would add a device to go wrong. Name 'webgpu' to use one.
 */
export const backendNames = ['tensorflow', 'onnxruntime', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof backendNames)[number];
/** 'auto' or one backend by name (a named backend is forced: software GPU adapters allowed). */
export type BackendChoice = 'auto' | BackendName;

export function isBackendChoice(value: unknown): value is BackendChoice {
  return value === 'auto' || (backendNames as readonly unknown[]).includes(value);
}

export interface BackendAvailability {
  /** Which native TensorFlow package imported: 'gpu' (tfjs-node-gpu), 'cpu' (tfjs-node) or null. */
  tensorflow: 'gpu' | 'cpu' | null;
  /** onnxruntime-node loads (it ships with WalkScope: false only on a broken install or platform). */
  onnxruntime: boolean;
  /** The WebGPU adapter Dawn offers, or null (no package, no driver, no adapter). */
  webgpu: AdapterFacts | null | 'not probed';
  wasm: boolean;
}

export interface BackendStep {
  backend: BackendName;
  /** Why it is in the plan, for logs and the recorded result. */
  why: string;
}

export interface BackendPlan {
  /** Backends to try in this order (the first that starts is used); never empty. */
  steps: BackendStep[];
  /** What was passed over and why. */
  skipped: string[];
}

/**
 * The plan for a choice. 'auto' lists every usable backend in order; a named backend is the
 * only step, or throws a sentence saying why it cannot run here.
 * `allowSoftwareGpu` lets 'auto' use a software adapter (for tests).
 */
export function planBackends(choice: BackendChoice, available: BackendAvailability, options: { allowSoftwareGpu?: boolean } = {}): BackendPlan {
  const skipped: string[] = [];
  if (choice !== 'auto') {
    if (choice === 'tensorflow' && !available.tensorflow) {
      throw new Error('the tensorflow backend needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu, and neither is installed');
    }
    if (choice === 'webgpu' && (!available.webgpu || available.webgpu === 'not probed')) {
      throw new Error('the webgpu backend needs a WebGPU adapter, and Dawn (the webgpu package) found none on this machine');
    }
    if (choice === 'onnxruntime' && !available.onnxruntime) throw new Error('the onnxruntime backend needs onnxruntime-node, and it could not be loaded');
    if (choice === 'wasm' && !available.wasm) throw new Error('the wasm backend could not be loaded');
    const why = choice === 'webgpu' ? `asked for (${describeAdapter(available.webgpu as AdapterFacts)})` : choice === 'tensorflow' ? `asked for (tfjs-node${available.tensorflow === 'gpu' ? '-gpu' : ''})` : 'asked for';
    return { steps: [{ backend: choice, why }], skipped };
  }
  const steps: BackendStep[] = [];
  if (available.tensorflow) steps.push({ backend: 'tensorflow', why: `native TensorFlow (tfjs-node${available.tensorflow === 'gpu' ? '-gpu' : ''}) is installed` });
  else skipped.push('tensorflow: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed');
  if (available.onnxruntime) steps.push({ backend: 'onnxruntime', why: 'onnxruntime-node CPU kernels (the graph converted to ONNX)' });
  else skipped.push('onnxruntime: onnxruntime-node could not be loaded');
  if (available.webgpu === 'not probed') skipped.push('webgpu: not probed (onnxruntime comes first; loading Dawn costs memory in every detection thread)');
  else if (!available.webgpu) skipped.push('webgpu: no WebGPU adapter');
  else if (isSoftwareAdapter(available.webgpu) && !options.allowSoftwareGpu) skipped.push(`webgpu: ${describeAdapter(available.webgpu)} is a software adapter (slower than wasm)`);
  else steps.push({ backend: 'webgpu', why: `${isSoftwareAdapter(available.webgpu) ? 'software adapter allowed' : 'GPU adapter'}: ${describeAdapter(available.webgpu)}` });
  if (available.wasm) steps.push({ backend: 'wasm', why: 'WebAssembly with SIMD' });
  else skipped.push('wasm: could not be loaded');
  steps.push({ backend: 'cpu', why: 'plain JavaScript, always available' });
  return { steps, skipped };
}
