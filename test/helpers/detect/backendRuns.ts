import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { PersonDetection } from '../../../src-main/domain/detectionTypes.js';
import type { TfRuntimeInfo } from '../../../src-main/detect/tfRuntime.js';
import { clips, testVideo } from '../testdata.js';

/**
 * Runs one detector on a few frames of the Sports2D 720p clip in a child process (a detector
 * backend and Dawn's Vulkan driver are chosen once per process), and compares two such runs.
 * Shared by the backend parity tests (onnxruntime, WebGPU).
 */
const helper = resolve(import.meta.dirname, 'detectFrames.ts');

export interface BackendRun {
  runtime: TfRuntimeInfo;
  backend: string;
  input: string;
  frames: Array<{ frame: number; ms: number; people: PersonDetection[] }>;
}

export interface RunRequest {
  backend: string;
  /** e.g. '45,120'. */
  frames: string;
  detector?: string;
  /** WxH instead of the detector's own input. */
  input?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export async function detectInChild(request: RunRequest): Promise<BackendRun> {
  const args = [helper, testVideo(clips.sports2dH264), request.frames, request.backend, request.detector ?? 'movenet-multipose', ...(request.input ? [request.input] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, WALKSCOPE_TF_BACKEND: '', WALKSCOPE_ALLOW_SOFTWARE_GPU: '', ...request.env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as BackendRun;
}

export interface RunDifference {
  /** People compared (scoring at least minPersonScore in either run) and keypoints compared. */
  people: number;
  keypoints: number;
  /** Largest differences: box corners and keypoints in source pixels, scores (people and keypoints). */
  box: number;
  keypoint: number;
  score: number;
}

/**
 * Largest differences between two runs on the same frames. The people lists must line up
 * (MoveNet's 6 slots, CenterNet's sorted list); people and keypoints scoring below the
 * thresholds in both runs are left out (0 compares everything).
 */
export function compareRuns(a: BackendRun, b: BackendRun, thresholds: { minPersonScore: number; minKeypointScore: number }): RunDifference {
  const d: RunDifference = { people: 0, keypoints: 0, box: 0, keypoint: 0, score: 0 };
  expect(a.frames.map((f) => f.frame)).toEqual(b.frames.map((f) => f.frame));
  a.frames.forEach((fa, i) => {
    const fb = b.frames[i]!;
    expect(fa.people.length).toBe(fb.people.length);
    fa.people.forEach((pa, j) => {
      const pb = fb.people[j]!;
      if (Math.max(pa.score, pb.score) < thresholds.minPersonScore) return;
      d.people++;
      d.score = Math.max(d.score, Math.abs(pa.score - pb.score));
      d.box = Math.max(d.box, Math.abs(pa.box.x1 - pb.box.x1), Math.abs(pa.box.y1 - pb.box.y1), Math.abs(pa.box.x2 - pb.box.x2), Math.abs(pa.box.y2 - pb.box.y2));
      pa.keypoints.forEach((ka, k) => {
        const kb = pb.keypoints[k]!;
        d.score = Math.max(d.score, Math.abs(ka.score - kb.score));
        if (Math.max(ka.score, kb.score) < thresholds.minKeypointScore) return;
        d.keypoints++;
        d.keypoint = Math.max(d.keypoint, Math.abs(ka.x - kb.x), Math.abs(ka.y - kb.y));
      });
    });
  });
  return d;
}

/** Per-frame milliseconds of a run, for the log. */
export const frameTimes = (run: BackendRun): string => run.frames.map((f) => f.ms.toFixed(0)).join('/');
