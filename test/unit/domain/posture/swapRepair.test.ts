import { describe, expect, it } from 'vitest';
import type { KeypointName } from '../../../../src-main/contract/measurements.js';
import { repairSwaps } from '../../../../src-main/domain/posture/swapRepair.js';
import { gaitFigures, poseTrack, withNoise, withScore, withSwap } from '../../../helpers/syntheticPose.js';

const legs: Array<[KeypointName, KeypointName]> = [['leftKnee', 'rightKnee'], ['leftAnkle', 'rightAnkle'], ['leftHeel', 'rightHeel'], ['leftToe', 'rightToe']];
const arms: Array<[KeypointName, KeypointName]> = [['leftElbow', 'rightElbow'], ['leftWrist', 'rightWrist']];
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
// a walking side view with 2 px of keypoint noise; in it the arms hang on top of each other
const walk = (feet: boolean) => withNoise(poseTrack(gaitFigures({ cadence: 108, frames: 300, direction: 'right' }), { direction: 'right', feet }), 2, 5);

describe('left/right swap repair', () => {
  it('leaves a clean noisy track alone (noise never pays for a swap, nor do arms on top of each other)', () => {
    const r = repairSwaps(walk(true), 0.3);
    expect(r.framesRepaired).toBe(0);
    expect(r.pose.points).toEqual(walk(true).points);
  });
  for (const [from, to] of [[40, 44], [0, 3], [100, 101], [150, 170], [295, 299]] as const) {
    it(`swaps the legs back on frames ${from}..${to} and counts them (with heels and toes, and COCO-17 only)`, () => {
      for (const feet of [true, false]) {
        const clean = walk(feet);
        const r = repairSwaps(withSwap(clean, feet ? legs : legs.slice(0, 2), range(from, to)), 0.3);
        expect(r.swapped.legs).toEqual(range(from, to));
        expect(r.framesRepaired).toBe(to - from + 1);
        expect(r.pose.points).toEqual(clean.points);
      }
    });
  }
  it('repairs two swaps of legs and one of arms held apart, counting frames once', () => {
    const clean = poseTrack(gaitFigures({ cadence: 100, frames: 120, direction: 'left' }), { direction: 'left', yawDeg: 30 });
    const swapped = withSwap(withSwap(withSwap(clean, legs.slice(0, 2), [20, 21, 22]), legs.slice(0, 2), [80, 81]), arms, [21, 22, 23, 24]);
    const r = repairSwaps(swapped, 0.3);
    expect(r.swapped).toEqual({ legs: [20, 21, 22, 80, 81], arms: [21, 22, 23, 24] });
    expect(r.framesRepaired).toBe(7);
    r.pose.points.forEach((v, i) => expect(v).toBeCloseTo(clean.points[i]!, 9));
  });
  it('a whole track labelled mirror-wise stays as the model gave it', () => {
    const mirrored = withSwap(walk(false), legs.slice(0, 2), range(0, 299));
    expect(repairSwaps(mirrored, 0.3).framesRepaired).toBe(0);
  });
  it('uses only confident keypoints: a swap of a knee hidden on both sides is not seen', () => {
    let t = withSwap(walk(false), legs.slice(0, 2), [60, 61, 62]);
    for (const name of ['leftKnee', 'rightKnee', 'leftAnkle', 'rightAnkle'] as const) t = withScore(t, name, [60, 61, 62], 0.1);
    expect(repairSwaps(t, 0.3).framesRepaired).toBe(0);
  });
});
