import { describe, expect, it } from 'vitest';
import { planBackends } from '../../../src-main/detect/backendOrder.js';
import { hardwareAdapterProblem, type GpuProbe } from '../../../src-main/runtime/gpuAdapter.js';
import type { AdapterFacts } from '../../../src-main/runtime/adapterFacts.js';
import { amd, apple, basicRender, fallback, intel, llvmpipe, nvidia, swiftshader, warp } from '../../helpers/gpuAdapters.js';

const found = (facts: AdapterFacts): GpuProbe => ({ found: true, facts, gpu: {} as GPU, installGlobals: () => {} });

describe("stage 2's WebGPU provider and the adapter probe", () => {
  it('passes over WARP and fallback adapters too (the rule stage 1 uses), and says why', () => {
    expect(hardwareAdapterProblem(found(warp))).toBe('no hardware GPU adapter (microsoft Direct3D WARP is a software adapter)');
    expect(hardwareAdapterProblem(found(fallback))).toBe('no hardware GPU adapter (google Dawn adapter is a software adapter)');
    expect(hardwareAdapterProblem(found(swiftshader))).toBe('no hardware GPU adapter (google swiftshader SwiftShader driver 5.0.0 is a software adapter)');
    expect(hardwareAdapterProblem(found(basicRender))).toBe('no hardware GPU adapter (microsoft Microsoft Basic Render Driver is a software adapter)');
  });

  it('takes a real NVIDIA, AMD or Apple GPU', () => {
    expect(hardwareAdapterProblem(found(nvidia))).toBeUndefined();
    expect(hardwareAdapterProblem(found(amd))).toBeUndefined();
    expect(hardwareAdapterProblem(found(apple))).toBeUndefined();
  });

  it('says why when Dawn found no adapter or could not load', () => {
    expect(hardwareAdapterProblem({ found: false, reason: 'no GPU adapter' })).toBe('no hardware GPU adapter (no GPU adapter)');
    expect(hardwareAdapterProblem({ found: false, reason: 'no WebGPU: no binary for this platform' })).toBe('no hardware GPU adapter (no WebGPU: no binary for this platform)');
  });

  it('agrees with stage 1, adapter by adapter', () => {
    for (const facts of [swiftshader, llvmpipe, warp, basicRender, fallback, nvidia, amd, apple, intel]) {
      const stage1Uses = planBackends('auto', { tensorflow: null, onnxruntime: false, webgpu: facts, wasm: true }).steps.some((s) => s.backend === 'webgpu');
      expect(hardwareAdapterProblem(found(facts)) === undefined, facts.description).toBe(stage1Uses);
    }
  });
});
