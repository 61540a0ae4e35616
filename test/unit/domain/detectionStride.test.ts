import { describe, expect, it } from 'vitest';
import { fillGaps, planCrops } from '../../../src-main/domain/cropPlan.js';
import {
  defaultStride,
  fillPosesBetweenDetections,
  isDetectionFrame,
  lerpKeypoints,
  strideProblem,
  strideSelectFilter,
  timelineLength,
} from '../../../src-main/domain/detectionStride.js';
import { box } from '../../helpers/syntheticDetections.js';

describe('which frames the detector sees', () => {
  it('every k-th frame of the timeline from frame 0', () => {
    const seen = (frames: number, stride: number) => Array.from({ length: frames }, (_, f) => f).filter((f) => isDetectionFrame(f, stride));
    expect(seen(10, 1)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen(10, 3)).toEqual([0, 3, 6, 9]);
    expect(seen(10, 5)).toEqual([0, 5]);
    expect(seen(11, 5)).toEqual([0, 5, 10]);
    expect([0, 1, 2, 3, 4, 5, 6].map((f) => isDetectionFrame(f, 3))).toEqual([true, false, false, true, false, false, true]);
  });

  it('the ffmpeg select filter passes exactly those (n counts frames after the fps filter)', () => {
    expect(strideSelectFilter(1)).toBe('');
    expect(strideSelectFilter(3)).toBe('select=not(mod(n\\,3))');
    expect(strideSelectFilter(5)).toBe('select=not(mod(n\\,5))');
  });

  it('the timeline length from the frames passed, checked against the decoder count', () => {
    // 100 frames passed at stride 3: the timeline holds 298..300 frames
    expect(timelineLength(100, 3, 300)).toBe(300);
    expect(timelineLength(100, 3, 298)).toBe(298);
    expect(() => timelineLength(100, 3, 297)).toThrow('the decoder counted 297 timeline frames but passed 100 at stride 3 (expected 298 to 300)');
    expect(timelineLength(100, 3)).toBe(300);
    expect(timelineLength(0, 3, 0)).toBe(0);
  });

  it('a stride outside 1..5 or not whole is refused in words; the default is inside', () => {
    expect(strideProblem(1)).toBeUndefined();
    expect(strideProblem(5)).toBeUndefined();
    expect(strideProblem(defaultStride)).toBeUndefined();
    expect(strideProblem(0)).toBe('the detection stride must be a whole number of frames from 1 to 5 (detect every k-th frame), not 0');
    expect(strideProblem(6)).toBe('the detection stride must be a whole number of frames from 1 to 5 (detect every k-th frame), not 6');
    expect(strideProblem(2.5)).toBe('the detection stride must be a whole number of frames from 1 to 5 (detect every k-th frame), not 2.5');
    expect(strideProblem('3')).toBe('the detection stride must be a whole number of frames from 1 to 5 (detect every k-th frame), not 3');
  });
});

describe("the patient's box between detections", () => {
  // detections on frames 0, 3, 6 and 12 at stride 3 (frame 9 missed), box moving 30 px a detection
  const pts = [0, 3, 6, 12].map((frame) => ({ frame, box: box(frame * 10, 0, frame * 10 + 50, 100) }));

  it('frames between detections are interpolated and marked; a missed detection frame is a filled gap', () => {
    const [segment] = fillGaps(pts, 15, { stride: 3 });
    expect(segment!.map((p) => p.frame)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(segment![1]).toEqual({ frame: 1, box: box(10, 0, 60, 100), interpolated: true, betweenDetections: true });
    expect(segment![2]).toEqual({ frame: 2, box: box(20, 0, 70, 100), interpolated: true, betweenDetections: true });
    expect(segment![3]).toEqual({ frame: 3, box: box(30, 0, 80, 100), interpolated: false, betweenDetections: false });
    // frame 9 is a detection frame without the patient: a gap, interpolated between 6 and 12
    expect(segment![9]).toEqual({ frame: 9, box: box(90, 0, 140, 100), interpolated: true, betweenDetections: false });
    expect(segment![10]).toEqual({ frame: 10, box: box(100, 0, 150, 100), interpolated: true, betweenDetections: true });
  });

  it('after the last detection of the timeline the box is held to the end (at most k - 1 frames)', () => {
    // timeline of 14 frames: detection frames 0, 3, 6, 9, 12; 13 follows the last one
    const [segment] = fillGaps(pts, 15, { stride: 3, totalFrames: 14 });
    expect(segment!.map((p) => p.frame)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(segment![13]).toEqual({ frame: 13, box: box(120, 0, 170, 100), interpolated: true, betweenDetections: true });
    // a timeline of 16 frames has detection frame 15 after 12: the patient was not found there, nothing held
    expect(fillGaps(pts, 15, { stride: 3, totalFrames: 16 })[0]!.at(-1)!.frame).toBe(12);
  });

  it('the usual k - 1 frames between detections are filled even when the gap limit is smaller', () => {
    expect(fillGaps(pts, 0, { stride: 3 }).map((s) => s.map((p) => p.frame))).toEqual([[0, 1, 2, 3, 4, 5, 6], [12]]);
  });

  it('the gap limit grows by k - 1: an absence is seen only to within k frames', () => {
    // 6 -> 12 leaves 5 frames: filled with a limit of 3 (3 + 2), split with 2 (2 + 2)
    expect(fillGaps(pts, 3, { stride: 3 })).toHaveLength(1);
    expect(fillGaps(pts, 2, { stride: 3 }).map((s) => s.map((p) => p.frame))).toEqual([[0, 1, 2, 3, 4, 5, 6], [12]]);
  });

  it('coverage: detected + gap-filled + between detections = frames written', () => {
    const plan = planCrops(
      pts.map((p) => ({ ...p, score: 1, keypoints: [] })),
      { mode: 'pad', frameWidth: 1000, frameHeight: 500, totalFrames: 14, stride: 3 },
    );
    expect(plan.coverage).toEqual({ frames: 14, detected: 4, interpolated: 1, betweenDetections: 9, missing: 0 });
    expect(plan.segments).toEqual([{ startFrame: 0, endFrame: 13, detected: 4, interpolated: 1, betweenDetections: 9, outputStartFrame: 0 }]);
    expect(plan.frames.filter((f) => f.betweenDetections).map((f) => f.frame)).toEqual([1, 2, 4, 5, 7, 8, 10, 11, 13]);
  });
});

describe('poses between detections (overlay keypoints)', () => {
  const kp = (x: number, y: number, score: number) => ({ x, y, score });

  it('interpolates point by point, score included', () => {
    expect(lerpKeypoints([kp(0, 0, 0.2), kp(10, 20, 1)], [kp(30, 60, 0.8), kp(10, 50, 0.4)], 1 / 3)).toEqual([kp(10, 20, 0.4), kp(10, 30, 0.8)]);
  });

  it('fills only between neighbouring detection frames (exactly one stride apart)', () => {
    const points = [
      { frame: 0, keypoints: [kp(0, 0, 0.9)] },
      { frame: 3, keypoints: [kp(30, 3, 0.6)] },
      // frame 6 missed: nothing filled between 3 and 9
      { frame: 9, keypoints: [kp(90, 9, 0.6)] },
    ];
    const filled = fillPosesBetweenDetections(points, 3);
    expect(filled.map((p) => p.frame)).toEqual([0, 1, 2, 3, 9]);
    expect(filled[1]).toEqual({ frame: 1, keypoints: [kp(10, 1, 0.8)], interpolated: true });
    expect(filled[2]!.keypoints[0]!.x).toBeCloseTo(20, 12);
    expect(filled[2]!.keypoints[0]!.score).toBeCloseTo(0.7, 12);
    expect(filled[3]).toEqual({ frame: 3, keypoints: [kp(30, 3, 0.6)], interpolated: false });
    // stride 1: the detections as they are
    expect(fillPosesBetweenDetections(points, 1).map((p) => p.frame)).toEqual([0, 3, 9]);
  });
});
