import { describe, expect, it } from 'vitest';
import { planBackends, type BackendAvailability } from '../../../src-main/detect/backendOrder.js';
import { backendFromEnvironment } from '../../../src-main/detect/tfRuntime.js';
import { llvmpipe, nvidia, swiftshader } from '../../helpers/gpuAdapters.js';
const none: BackendAvailability = { tensorflow: null, onnxruntime: false, webgpu: null, wasm: true };
const order = (choice: Parameters<typeof planBackends>[0], available: BackendAvailability, allowSoftwareGpu = false) => planBackends(choice, available, { allowSoftwareGpu }).steps.map((s) => s.backend);

describe('detector backend order', () => {
  it('auto: tfjs-node first, then onnxruntime, then WebGPU on a real adapter, then wasm, then cpu', () => {
    expect(order('auto', { tensorflow: 'gpu', onnxruntime: true, webgpu: nvidia, wasm: true })).toEqual(['tensorflow', 'onnxruntime', 'webgpu', 'wasm', 'cpu']);
    expect(order('auto', { tensorflow: null, onnxruntime: true, webgpu: null, wasm: true })).toEqual(['onnxruntime', 'wasm', 'cpu']);
    expect(order('auto', { tensorflow: null, onnxruntime: false, webgpu: nvidia, wasm: true })).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(order('auto', none)).toEqual(['wasm', 'cpu']);
    expect(order('auto', { tensorflow: null, onnxruntime: false, webgpu: null, wasm: false })).toEqual(['cpu']);
  });

  it('auto with onnxruntime does not load Dawn, and says so', () => {
    const plan = planBackends('auto', { tensorflow: null, onnxruntime: true, webgpu: 'not probed', wasm: true });
    expect(plan.steps.map((s) => s.backend)).toEqual(['onnxruntime', 'wasm', 'cpu']);
    expect(plan.skipped).toContain('webgpu: not probed (onnxruntime comes first; loading Dawn costs memory in every detection thread)');
  });

  it('auto skips software adapters (slower than wasm) unless they are allowed, and says why', () => {
    const plan = planBackends('auto', { tensorflow: null, onnxruntime: false, webgpu: swiftshader, wasm: true });
    expect(plan.steps.map((s) => s.backend)).toEqual(['wasm', 'cpu']);
    expect(plan.skipped).toEqual([
      'tensorflow: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed',
      'onnxruntime: onnxruntime-node could not be loaded',
      'webgpu: google swiftshader SwiftShader driver 5.0.0 is a software adapter (slower than wasm)',
    ]);
    expect(order('auto', { tensorflow: null, onnxruntime: false, webgpu: llvmpipe, wasm: true })).toEqual(['wasm', 'cpu']);
    expect(planBackends('auto', { tensorflow: null, onnxruntime: false, webgpu: swiftshader, wasm: true }, { allowSoftwareGpu: true }).steps[0]).toEqual({
      backend: 'webgpu',
      why: 'software adapter allowed: google swiftshader SwiftShader driver 5.0.0',
    });
  });

  it('a named backend is the only step, forced even on a software adapter', () => {
    expect(planBackends('webgpu', { tensorflow: null, onnxruntime: false, webgpu: swiftshader, wasm: true })).toEqual({
      steps: [{ backend: 'webgpu', why: 'asked for (google swiftshader SwiftShader driver 5.0.0)' }],
      skipped: [],
    });
    expect(order('cpu', { tensorflow: 'cpu', onnxruntime: true, webgpu: nvidia, wasm: true })).toEqual(['cpu']);
    expect(order('wasm', none)).toEqual(['wasm']);
    expect(order('onnxruntime', { ...none, onnxruntime: true })).toEqual(['onnxruntime']);
    expect(planBackends('tensorflow', { tensorflow: 'cpu', onnxruntime: true, webgpu: null, wasm: true }).steps[0]!.why).toBe('asked for (tfjs-node)');
  });

  it('a named backend that is not here is an error in words', () => {
    expect(() => planBackends('webgpu', none)).toThrow('the webgpu backend needs a WebGPU adapter, and Dawn (the webgpu package) found none on this machine');
    expect(() => planBackends('tensorflow', none)).toThrow('the tensorflow backend needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu, and neither is installed');
    expect(() => planBackends('wasm', { tensorflow: null, onnxruntime: false, webgpu: null, wasm: false })).toThrow('the wasm backend could not be loaded');
    expect(() => planBackends('onnxruntime', none)).toThrow('the onnxruntime backend needs onnxruntime-node, and it could not be loaded');
  });

  it('WALKSCOPE_TF_BACKEND replaces auto only, and a wrong value is refused in words', () => {
    expect(backendFromEnvironment('auto', { WALKSCOPE_TF_BACKEND: 'webgpu' })).toBe('webgpu');
    expect(backendFromEnvironment('cpu', { WALKSCOPE_TF_BACKEND: 'webgpu' })).toBe('cpu');
    expect(backendFromEnvironment('auto', {})).toBe('auto');
    expect(() => backendFromEnvironment('auto', { WALKSCOPE_TF_BACKEND: 'cuda' })).toThrow('WALKSCOPE_TF_BACKEND is "cuda", but it must be one of auto, tensorflow, onnxruntime, webgpu, wasm, cpu');
  });
});
