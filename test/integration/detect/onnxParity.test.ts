import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { PersonDetection } from '../../../src-main/domain/detectionTypes.js';
import type { TfRuntimeInfo } from '../../../src-main/detect/tfRuntime.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

/**
 * The onnxruntime backend (each detector's tfjs graph converted to ONNX, onnx/tfGraphToOnnx.ts)
 * against tfjs-wasm on real frames: every person slot (MoveNet's 6, CenterNet's list) with
 * the same box within 0.05 px, the same score within 1e-4 and the same keypoints within
 * 0.05 px. MoveNet at its aspect-aware input (256x160 for 16:9) and at the square 256x256;
 * CenterNet at its fixed 512x512. 'auto' picks onnxruntime. Each run is a child process (the
 * backend is chosen once per process); per-frame times are printed, not asserted.
 */
const helper = resolve(import.meta.dirname, 'helpers/detectFrames.ts');
// frame 45: the walker entering and the man on the box; frame 120: the walker mid-frame
const frames = '45,120';
const pixelTolerance = 0.05;
const scoreTolerance = 1e-4;

interface ChildResult {
  runtime: TfRuntimeInfo;
  backend: string;
  input: string;
  frames: Array<{ frame: number; ms: number; people: PersonDetection[] }>;
}

async function detectIn(backend: string, detector = 'movenet-multipose', input?: string, env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', helper, testVideo(clips.sports2dH264), frames, backend, detector, ...(input ? [input] : [])], {
    // a fresh conversion cache unless one is given: these runs convert the graphs themselves
    env: { ...process.env, WALKSCOPE_TF_BACKEND: '', WALKSCOPE_CACHE_DIR: mkdtempSync(join(scratch, 'cache-')), ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
}

/** Largest differences over every slot of every frame; people counts must match. */
function compare(a: ChildResult, b: ChildResult) {
  let box = 0;
  let score = 0;
  let keypoint = 0;
  let confident = 0;
  expect(a.frames.map((f) => f.frame)).toEqual(b.frames.map((f) => f.frame));
  a.frames.forEach((fa, i) => {
    const fb = b.frames[i]!;
    expect(fa.people.length).toBe(fb.people.length);
    fa.people.forEach((pa, j) => {
      const pb = fb.people[j]!;
      if (pa.score >= 0.2) confident++;
      score = Math.max(score, Math.abs(pa.score - pb.score));
      box = Math.max(box, Math.abs(pa.box.x1 - pb.box.x1), Math.abs(pa.box.y1 - pb.box.y1), Math.abs(pa.box.x2 - pb.box.x2), Math.abs(pa.box.y2 - pb.box.y2));
      pa.keypoints.forEach((ka, k) => {
        const kb = pb.keypoints[k]!;
        score = Math.max(score, Math.abs(ka.score - kb.score));
        keypoint = Math.max(keypoint, Math.abs(ka.x - kb.x), Math.abs(ka.y - kb.y));
      });
    });
  });
  return { confident, box, score, keypoint };
}

// every run's conversion cache goes here, removed at the end
let scratch = '';
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'walkscope-onnx-parity-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ms = (r: ChildResult) => r.frames.map((f) => f.ms.toFixed(0)).join('/');
const slow = 180_000;

describe.runIf(requireTestdata())('onnxruntime backend (converted graphs) against tfjs-wasm on real frames', () => {
  it("'auto' runs onnxruntime and says so", async () => {
    const run = await detectIn('auto');
    expect(run.runtime.backend).toBe('onnxruntime');
    expect(run.backend).toBe('onnxruntime (cpu)');
  }, slow);

  it('a second run reads the converted graph from the cache (not converted again) and detects the same', async () => {
    const cache = mkdtempSync(join(scratch, 'shared-cache-'));
    const first = await detectIn('onnxruntime', 'movenet-multipose', undefined, { WALKSCOPE_CACHE_DIR: cache });
    const entry = readdirSync(cache).find((f) => f.endsWith('.onnx'))!;
    expect(entry).toMatch(/^movenet-multipose-256x160-[0-9a-f]{24}\.onnx$/);
    const written = statSync(join(cache, entry));
    const second = await detectIn('onnxruntime', 'movenet-multipose', undefined, { WALKSCOPE_CACHE_DIR: cache });
    // a conversion would have renamed a new file into place
    expect(statSync(join(cache, entry)).ino).toBe(written.ino);
    expect(second.frames.map((f) => f.people)).toEqual(first.frames.map((f) => f.people));
    console.log(`[onnx cache] first frame ${first.frames[0]!.ms.toFixed(0)} ms converting, ${second.frames[0]!.ms.toFixed(0)} ms from the cache`);
  }, slow);

  for (const [detector, input, people] of [
    ['movenet-multipose', undefined, 3],
    ['movenet-multipose', '256x256', 3],
    ['centernet', undefined, 2],
  ] as const) {
    it(`${detector} at ${input ?? 'its own input'}: the same people, boxes, scores and keypoints`, async () => {
      const onnx = await detectIn('onnxruntime', detector, input);
      const wasm = await detectIn('wasm', detector, input);
      expect(onnx.runtime.backend).toBe('onnxruntime');
      expect(wasm.backend).toBe('wasm');
      const d = compare(onnx, wasm);
      // the first frame includes converting the graph for this input size
      console.log(`[onnx parity] ${detector} ${onnx.input}: ${JSON.stringify(d)}; ms per frame onnxruntime ${ms(onnx)}, wasm ${ms(wasm)}`);
      expect(d.confident).toBeGreaterThanOrEqual(people);
      expect(d.box).toBeLessThanOrEqual(pixelTolerance);
      expect(d.keypoint).toBeLessThanOrEqual(pixelTolerance);
      expect(d.score).toBeLessThanOrEqual(scoreTolerance);
    }, slow);
  }
});
