import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { PersonDetection } from '../../../src-main/domain/detectionTypes.js';
import type { TfRuntimeInfo } from '../../../src-main/detect/tfRuntime.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

/**
 * The WebGPU path (tfjs-backend-webgpu on Dawn, the `webgpu` npm package) tested on
 * Chromium's software Vulkan driver, SwiftShader: forced (a software adapter is skipped by
 * 'auto'), MoveNet's boxes, scores and keypoints on real frames equal wasm's and cpu's
 * within 2 px and 0.02. Each backend runs in a child process: tfjs's backend and Dawn's
 * Vulkan driver are chosen once per process. 'auto' passing over a software adapter is
 * checked in test/unit/detect/backendOrder.test.ts ('auto' with onnxruntime never asks Dawn).
 */
const icd = '/usr/lib/chromium/vk_swiftshader_icd.json';
const helper = resolve(import.meta.dirname, 'helpers/detectFrames.ts');
// frame 45: the walker entering and the man on the box; frame 120: the walker mid-frame
const frames = '45,120';
// SwiftShader runs WebGPU on the CPU: tens of seconds per frame on a busy 2-core machine
const slow = 600_000;
const pixelTolerance = 2;
const scoreTolerance = 0.02;

interface ChildResult {
  runtime: TfRuntimeInfo;
  backend: string;
  frames: Array<{ frame: number; ms: number; people: PersonDetection[] }>;
}

async function detectIn(backend: string, env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', helper, testVideo(clips.sports2dH264), frames, backend], {
    env: { ...process.env, WALKSCOPE_TF_BACKEND: '', WALKSCOPE_ALLOW_SOFTWARE_GPU: '', ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
}

/** Largest differences between two runs over the people either run scores at 0.2 or more (MoveNet's slots line up). */
function compare(a: ChildResult, b: ChildResult): { people: number; keypoints: number; box: number; score: number; keypoint: number } {
  let people = 0;
  let keypoints = 0;
  let box = 0;
  let score = 0;
  let keypoint = 0;
  expect(a.frames.map((f) => f.frame)).toEqual(b.frames.map((f) => f.frame));
  a.frames.forEach((fa, i) => {
    const fb = b.frames[i]!;
    expect(fa.people.length).toBe(fb.people.length);
    fa.people.forEach((pa, j) => {
      const pb = fb.people[j]!;
      if (Math.max(pa.score, pb.score) < 0.2) return;
      people++;
      score = Math.max(score, Math.abs(pa.score - pb.score));
      box = Math.max(box, Math.abs(pa.box.x1 - pb.box.x1), Math.abs(pa.box.y1 - pb.box.y1), Math.abs(pa.box.x2 - pb.box.x2), Math.abs(pa.box.y2 - pb.box.y2));
      pa.keypoints.forEach((ka, k) => {
        const kb = pb.keypoints[k]!;
        score = Math.max(score, Math.abs(ka.score - kb.score));
        if (Math.max(ka.score, kb.score) < 0.3) return;
        keypoints++;
        keypoint = Math.max(keypoint, Math.abs(ka.x - kb.x), Math.abs(ka.y - kb.y));
      });
    });
  });
  return { people, keypoints, box, score, keypoint };
}

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
    const vsWasm = compare(gpu, wasm);
    const vsCpu = compare(gpu, cpu);
    const ms = (r: ChildResult) => r.frames.map((f) => f.ms.toFixed(0)).join('/');
    console.log(`[webgpu parity] vs wasm ${JSON.stringify(vsWasm)}; vs cpu ${JSON.stringify(vsCpu)}; ms per frame webgpu(SwiftShader) ${ms(gpu)}, wasm ${ms(wasm)}, cpu ${ms(cpu)}`);
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
