import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { requireTestdata } from '../../helpers/testdata.js';
import { compareRuns, detectInChild, frameTimes, type BackendRun } from '../../helpers/detect/backendRuns.js';

/**
 * The WebGPU path (tfjs-backend-webgpu on Dawn, the `webgpu` npm package) tested on
 * Chromium's software Vulkan driver, SwiftShader: forced (a software adapter is skipped by
 * 'auto'), MoveNet's boxes, scores and keypoints on real frames equal wasm's and cpu's
 * within 2 px and 0.02. Each backend runs in a child process: tfjs's backend and Dawn's
 * Vulkan driver are chosen once per process. 'auto' passing over a software adapter is
 * checked in test/unit/detect/backendOrder.test.ts ('auto' with onnxruntime never asks Dawn).
 */
const icd = '/usr/lib/chromium/vk_swiftshader_icd.json';
// frame 45: the walker entering and the man on the box; frame 120: the walker mid-frame
const frames = '45,120';
// SwiftShader runs WebGPU on the CPU: tens of seconds per frame on a busy 2-core machine
const slow = 600_000;
const pixelTolerance = 2;
const scoreTolerance = 0.02;

const confidentOnly = { minPersonScore: 0.2, minKeypointScore: 0.3 };

const detectIn = (backend: string, env: NodeJS.ProcessEnv = {}): Promise<BackendRun> => detectInChild({ backend, frames, env });

const haveIcd = existsSync(icd);
if (!haveIcd) console.warn(`[walkscope tests] ${icd} not found (Debian's chromium package): the WebGPU parity test is skipped.`);

describe.runIf(haveIcd && requireTestdata())('WebGPU backend on SwiftShader Vulkan', () => {
  it("'auto' does not even load Dawn when onnxruntime is there, and says why", async () => {
    const run = await detectIn('auto', { VK_ICD_FILENAMES: icd });
    expect(run.runtime.backend).toBe('onnxruntime');
    expect(run.runtime.skipped).toContain('webgpu: not probed (onnxruntime comes first; loading Dawn costs memory in every detection thread)');
  }, slow);

  it('forced, MoveNet on real frames equals wasm and cpu within 2 px and 0.02', async () => {
    const gpu = await detectIn('webgpu', { VK_ICD_FILENAMES: icd });
    const wasm = await detectIn('wasm');
    const cpu = await detectIn('cpu');
    expect(gpu.runtime.backend).toBe('webgpu');
    expect(gpu.backend).toBe('webgpu (google swiftshader SwiftShader driver 5.0.0)');
    expect(wasm.backend).toBe('wasm');
    expect(cpu.backend).toBe('cpu');
    const vsWasm = compareRuns(gpu, wasm, confidentOnly);
    const vsCpu = compareRuns(gpu, cpu, confidentOnly);
    console.log(`[webgpu parity] vs wasm ${JSON.stringify(vsWasm)}; vs cpu ${JSON.stringify(vsCpu)}; ms per frame webgpu(SwiftShader) ${frameTimes(gpu)}, wasm ${frameTimes(wasm)}, cpu ${frameTimes(cpu)}`);
    // the walker and the man on the box, then the walker
    expect(vsWasm.people).toBe(3);
    expect(vsWasm.keypoints).toBeGreaterThanOrEqual(30);
    for (const d of [vsWasm, vsCpu]) {
      expect(d.box).toBeLessThanOrEqual(pixelTolerance);
      expect(d.keypoint).toBeLessThanOrEqual(pixelTolerance);
      expect(d.score).toBeLessThanOrEqual(scoreTolerance);
    }
  }, slow);
});
