import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTestdata } from '../../../helpers/testdata.js';
import { compareRuns, detectInChild, frameTimes, type BackendRun } from '../../../helpers/detect/backendRuns.js';

/**
 * The onnxruntime backend (each detector's tfjs graph converted to ONNX, onnx/tfGraphToOnnx.ts)
 * against tfjs-wasm on real frames: every person slot (MoveNet's 6, CenterNet's list) with
 * the same box within 0.05 px, the same score within 1e-4 and the same keypoints within
 * 0.05 px. MoveNet at its aspect-aware input (256x160 for 16:9), at the square 256x256 and
 * at the portrait 160x256;
 * CenterNet at its fixed 512x512. 'auto' picks onnxruntime. Each run is a child process (the
 * backend is chosen once per process); per-frame times are printed, not asserted.
 */
// frame 45: the walker entering and the man on the box; frame 120: the walker mid-frame
const frames = '45,120';
const pixelTolerance = 0.05;
const scoreTolerance = 1e-4;
// every slot is compared, confident or not
const everything = { minPersonScore: 0, minKeypointScore: 0 };

/** A run in a child with a fresh conversion cache unless one is given: these runs convert the graphs themselves. */
function detectIn(backend: string, detector = 'movenet-multipose', input?: string, env: NodeJS.ProcessEnv = {}): Promise<BackendRun> {
  return detectInChild({ backend, frames, detector, input, env: { WALKSCOPE_CACHE_DIR: mkdtempSync(join(scratch, 'cache-')), ...env } });
}

// every run's conversion cache goes here, removed at the end
let scratch = '';
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'walkscope-onnx-parity-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

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
    // a portrait phone video's input: the landscape clip letterboxed into it leaves people too
    // small to score 0.2, so this compares the 12 unconfident slots (the conversion at that shape)
    ['movenet-multipose', '160x256', 0],
    ['centernet', undefined, 2],
  ] as const) {
    it(`${detector} at ${input ?? 'its own input'}: the same people, boxes, scores and keypoints`, async () => {
      const onnx = await detectIn('onnxruntime', detector, input);
      const wasm = await detectIn('wasm', detector, input);
      expect(onnx.runtime.backend).toBe('onnxruntime');
      expect(wasm.backend).toBe('wasm');
      const d = compareRuns(onnx, wasm, everything);
      const confident = onnx.frames.flatMap((f) => f.people).filter((p) => p.score >= 0.2).length;
      // the first frame includes converting the graph for this input size
      console.log(`[onnx parity] ${detector} ${onnx.input}: ${JSON.stringify(d)}; ms per frame onnxruntime ${frameTimes(onnx)}, wasm ${frameTimes(wasm)}`);
      expect(confident).toBeGreaterThanOrEqual(people);
      expect(d.box).toBeLessThanOrEqual(pixelTolerance);
      expect(d.keypoint).toBeLessThanOrEqual(pixelTolerance);
      expect(d.score).toBeLessThanOrEqual(scoreTolerance);
    }, slow);
  }
});
