import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from '../../helpers/runProcess.js';

// Chromium's software Vulkan: the WebGPU path runs without a GPU, as on a CI machine.
const icd = '/usr/lib/chromium/vk_swiftshader_icd.json';
const child = join(import.meta.dirname, 'webgpuChild.ts');

async function runChild(name: string): Promise<{ provider: string; skipped: Array<{ provider: string; reason: string }>; maxDiffCpu: number; maxDiffTorch: number }> {
  // A child process: the Vulkan driver is chosen when Dawn first loads, so the variable must be
  // set before anything in the process touches WebGPU.
  const run = await runProcess(process.execPath, ['--import', 'tsx', child, name], { env: { ...process.env, VK_ICD_FILENAMES: icd }, timeoutMs: 240_000 });
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.status !== 0 || !line.startsWith('{')) throw new Error(`the WebGPU child failed (status ${run.status}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(line);
}

describe('the GPU path: onnxruntime WebGPU provider on SwiftShader Vulkan', () => {
  if (!existsSync(icd)) {
    it.skip(`skipped: ${icd} is not installed (Debian's chromium package provides it), so no Vulkan driver exists here for WebGPU`, () => {});
    return;
  }

  for (const name of ['slow_r50-tiny', 'r2plus1d-tiny']) {
    it(`${name} runs on webgpu and matches CPU (and torch) within 1e-4`, async () => {
      const result = await runChild(name);
      console.log(`[gpu] ${name}: provider ${result.provider}, max |webgpu - cpu| = ${result.maxDiffCpu.toExponential(2)}, |webgpu - torch| = ${result.maxDiffTorch.toExponential(2)}`);
      // If WebGPU could not be created, say why rather than pass on the CPU.
      expect(result.provider, `WebGPU was not used: ${JSON.stringify(result.skipped)}`).toBe('webgpu');
      expect(result.maxDiffCpu).toBeLessThanOrEqual(1e-4);
      expect(result.maxDiffTorch).toBeLessThanOrEqual(1e-4);
    });
  }

  it('falls back to CPU, with the reason, for a model WebGPU cannot run (grouped Conv3D in CSN)', async () => {
    const result = await runChild('csn-tiny');
    expect(result.provider).toBe('cpu');
    expect(result.skipped[0]).toMatchObject({ provider: 'webgpu', reason: expect.stringMatching(/grouped convolution/) });
    expect(result.maxDiffTorch).toBeLessThanOrEqual(1e-4);
  });
});
