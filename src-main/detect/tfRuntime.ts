import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TfSubset from './tfSubset.js';
import { AppError } from '../contract/errors.js';
import type { LoadedModelFiles } from './modelFiles.js';
import type { TfNode } from './onnx/tfGraphToOnnx.js';
import { describeAdapter, type AdapterFacts } from '../runtime/adapterFacts.js';
import { onnxRuntimeLoads } from '../runtime/cpuSession.js';
import { probeGpuAdapter } from '../runtime/gpuAdapter.js';
import { backendNames, isBackendChoice, planBackends, type BackendAvailability, type BackendChoice, type BackendName } from './backendOrder.js';

export type { BackendChoice, BackendName } from './backendOrder.js';
export type Tf = typeof TfSubset;

let tfModule: Promise<Tf> | undefined;

/**
 * tfjs, imported on first need: a detection worker that runs a cached converted graph on
 * onnxruntime never loads it (about 0.15 s less to start each worker).
 */
export function loadTf(): Promise<Tf> {
  tfModule ??= import('./tfSubset.js');
  return tfModule;
}

const require = createRequire(import.meta.url);

/**
 * Environment overrides, for tests and for sites that know better:
 * WALKSCOPE_TF_BACKEND=tensorflow|onnxruntime|webgpu|wasm|cpu replaces 'auto';
 * WALKSCOPE_ALLOW_SOFTWARE_GPU=1 lets 'auto' use a software WebGPU adapter (SwiftShader...).
 */
export function backendFromEnvironment(choice: BackendChoice, env: NodeJS.ProcessEnv = process.env): BackendChoice {
  const forced = env.WALKSCOPE_TF_BACKEND?.trim();
  if (choice !== 'auto' || !forced) return choice;
  if (!isBackendChoice(forced)) throw new AppError('DETECTOR_BACKEND_UNAVAILABLE', `WALKSCOPE_TF_BACKEND is "${forced}", but it must be one of auto, ${backendNames.join(', ')}`);
  return forced;
}

/** What one thread's detector runs on, once started. */
export interface TfRuntimeInfo {
  /** 'onnxruntime': the graph is converted and run by onnxruntime; tfjs (wasm, else cpu) starts only to convert a size not yet in the conversion cache. */
  backend: BackendName;
  /** e.g. "onnxruntime (cpu)", "wasm", "webgpu (google swiftshader SwiftShader driver 5.0.0)", "tensorflow (tfjs-node)". */
  description: string;
  /** Backends passed over and why (for logs). */
  skipped: string[];
}

/** The WebGPU adapter Dawn offers this thread, or null. */
async function adapterFacts(): Promise<AdapterFacts | null> {
  const probed = await probeGpuAdapter();
  return probed.found ? probed.facts : null;
}

/** @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node, when installed (optional; not a dependency). */
async function probeTensorflow(): Promise<'gpu' | 'cpu' | null> {
  for (const [name, kind] of [
    ['@tensorflow/tfjs-node-gpu', 'gpu'],
    ['@tensorflow/tfjs-node', 'cpu'],
  ] as const) {
    try {
      await import(name);
      // it registers 'tensorflow' with its own copy of tfjs-core: usable only when that is ours
      if ((await loadTf()).findBackendFactory('tensorflow')) return kind;
    } catch {
      // not installed, or no binary for this platform: quietly not available
    }
  }
  return null;
}

/** Where tfjs-backend-wasm's .wasm files are, if it is installed (it is imported only when started). */
function wasmDir(): string | undefined {
  try {
    return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist').replace('app.asar', 'app.asar.unpacked');
  } catch {
    return undefined;
  }
}

async function start(backend: BackendName): Promise<boolean> {
  // onnxruntime-node loaded when probed; tfjs starts only if a graph has to be converted (startTfForConversion)
  if (backend === 'onnxruntime') return true;
  const tf = await loadTf();
  if (backend === 'wasm') {
    const dir = wasmDir();
    if (!dir) return false;
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(`${dir}/`);
  }
  if (backend === 'webgpu') {
    // probed already when the plan was made (the answer is cached): webgpu is in a plan only with an adapter
    const probed = await probeGpuAdapter();
    if (!probed.found) return false;
    probed.installGlobals();
    // tfjs-backend-webgpu looks for navigator.gpu (Node 20 has no navigator; 21+ has one without gpu)
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: probed.gpu }, configurable: true, writable: true });
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  if (!(await tf.setBackend(backend))) return false;
  await tf.ready();
  return tf.getBackend() === backend;
}

const started = new Map<BackendChoice, Promise<TfRuntimeInfo>>();

/**
 * Starts tfjs in this thread on the best backend for `choice` (see backendOrder.ts for the
 * order) and returns what it runs on. A named backend that cannot start is an error in
 * words; 'auto' falls through the plan quietly.
 */
export function startTf(requested: BackendChoice = 'auto', options: { allowSoftwareGpu?: boolean } = {}): Promise<TfRuntimeInfo> {
  const choice = backendFromEnvironment(requested);
  let promise = started.get(choice);
  if (!promise) {
    promise = (async () => {
      const allowSoftwareGpu = options.allowSoftwareGpu ?? process.env.WALKSCOPE_ALLOW_SOFTWARE_GPU === '1';
      const wantsNative = choice === 'auto' || choice === 'tensorflow';
      const wantsGpu = choice === 'auto' || choice === 'webgpu';
      const onnxruntime = choice === 'auto' || choice === 'onnxruntime' ? await onnxRuntimeLoads() : false;
      const available: BackendAvailability = {
        tensorflow: wantsNative ? await probeTensorflow() : null,
        onnxruntime,
        // under 'auto', onnxruntime comes before WebGPU: Dawn is not loaded at all then
        // no adapter, or Dawn could not load (no binary for this platform, no Vulkan/D3D12/Metal driver): quietly not available
        webgpu: choice === 'auto' && onnxruntime ? 'not probed' : wantsGpu ? await adapterFacts() : null,
        wasm: choice === 'auto' || choice === 'wasm' ? wasmDir() !== undefined : false,
      };
      let plan;
      try {
        plan = planBackends(choice, available, { allowSoftwareGpu });
      } catch (error) {
        throw new AppError('DETECTOR_BACKEND_UNAVAILABLE', (error as Error).message);
      }
      const skipped = [...plan.skipped];
      for (const step of plan.steps) {
        let ok = false;
        try {
          ok = await start(step.backend);
        } catch (error) {
          skipped.push(`${step.backend}: failed to start (${(error as Error).message})`);
          continue;
        }
        if (!ok) {
          skipped.push(`${step.backend}: failed to start`);
          continue;
        }
        const description =
          step.backend === 'webgpu' && available.webgpu && available.webgpu !== 'not probed'
            ? `webgpu (${describeAdapter(available.webgpu)})`
            : step.backend === 'tensorflow'
              ? `tensorflow (tfjs-node${available.tensorflow === 'gpu' ? '-gpu' : ''})`
              : step.backend === 'onnxruntime'
                ? 'onnxruntime (cpu)'
                : step.backend;
        return { backend: step.backend, description, skipped };
      }
      throw new AppError('DETECTOR_BACKEND_UNAVAILABLE', `no detector backend could start (${skipped.join('; ')})`);
    })();
    started.set(choice, promise);
    promise.catch(() => started.delete(choice));
  }
  return promise;
}

/**
 * tfjs for converting a graph to ONNX (it evaluates the graph once per input size): on wasm
 * if it starts, else on plain JavaScript (slower: about 2 s a conversion).
 */
export async function startTfForConversion(): Promise<TfRuntimeInfo> {
  try {
    return await startTf('wasm');
  } catch {
    return startTf('cpu');
  }
}

/** A tfjs graph model from verified model files, on the tfjs backend already started. */
export async function graphModelFromFiles(files: LoadedModelFiles): Promise<TfSubset.GraphModel> {
  const tf = await loadTf();
  return tf.loadGraphModel(
    tf.io.fromMemory({ modelTopology: files.topology as TfSubset.io.ModelJSON['modelTopology'], weightSpecs: files.weightSpecs as TfSubset.io.WeightsManifestEntry[], weightData: files.weightData }),
  );
}

export const graphNodes = (files: LoadedModelFiles): TfNode[] => (files.topology as { node: TfNode[] }).node;
