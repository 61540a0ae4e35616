import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { clips, requireTestdata, testVideo } from '../../../helpers/testdata.js';

/**
 * The shipped pose models' tfjs graphs converted to ONNX (BlazePose needs Pad and the input
 * scaled by 1/255 inside the graph, MoveNet SinglePose nothing new) against tfjs-wasm on real
 * crops: the walker on two frames of the Sports2D clip, the same bytes to both backends. Every
 * keypoint within 0.05 input pixels, every score within 1e-3. Each run is a child process (the
 * backend is chosen once per process) with a fresh conversion cache: the graph is converted
 * in the run. Per-frame times are printed, not asserted.
 */
// frame:x:y:side, squares around the walker inside the picture (from her stage 1 boxes)
const crops = '60:836:346:372,120:406:340:376';
const helper = resolve(import.meta.dirname, '../../../helpers/detect/poseFrames.ts');

interface PoseRun {
  runtime: { backend: string };
  backend: string;
  frames: Array<{ frame: number; ms: number; points: number[] }>;
}

let scratch = '';
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'walkscope-pose-parity-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function poseIn(backend: string, model: string): Promise<PoseRun> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', helper, testVideo(clips.sports2dH264), crops, backend, model], {
    env: { ...process.env, WALKSCOPE_TF_BACKEND: '', WALKSCOPE_CACHE_DIR: mkdtempSync(join(scratch, 'cache-')) },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as PoseRun;
}

describe.runIf(requireTestdata())('converted pose model graphs against tfjs-wasm on real crops', () => {
  for (const [model, keypoints] of [
    ['movenet-lightning', 17],
    ['movenet-thunder', 17],
    ['blazepose-full', 21],
  ] as const) {
    it(`${model}: the same keypoints and scores`, async () => {
      const onnx = await poseIn('onnxruntime', model);
      const wasm = await poseIn('wasm', model);
      expect(onnx.backend).toBe('onnxruntime (cpu)');
      expect(wasm.backend).toBe('wasm');
      expect(onnx.frames.map((f) => f.frame)).toEqual([60, 120]);
      expect(wasm.frames.map((f) => f.frame)).toEqual([60, 120]);
      let position = 0;
      let score = 0;
      onnx.frames.forEach((f, i) => {
        const w = wasm.frames[i]!.points;
        expect(f.points).toHaveLength(keypoints * 3);
        for (let k = 0; k < keypoints; k++) {
          position = Math.max(position, Math.abs(f.points[k * 3]! - w[k * 3]!), Math.abs(f.points[k * 3 + 1]! - w[k * 3 + 1]!));
          score = Math.max(score, Math.abs(f.points[k * 3 + 2]! - w[k * 3 + 2]!));
        }
      });
      // the walker is found: her hips score well on both frames
      for (const f of onnx.frames) expect(Math.min(f.points[11 * 3 + 2]!, f.points[12 * 3 + 2]!)).toBeGreaterThan(0.3);
      console.log(`[pose parity] ${model}: largest difference ${position.toFixed(4)} input px, score ${score.toExponential(2)}; ms per frame onnxruntime ${onnx.frames.map((f) => f.ms.toFixed(0)).join(', ')}, wasm ${wasm.frames.map((f) => f.ms.toFixed(0)).join(', ')}`);
      expect(position).toBeLessThanOrEqual(0.05);
      expect(score).toBeLessThanOrEqual(1e-3);
    }, 180_000);
  }
});
