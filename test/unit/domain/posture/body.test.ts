import { describe, expect, it } from 'vitest';
import { bodyFrames, median, pairMidpoint, trunkLength, type BodyFrame } from '../../../../src-main/domain/posture/body.js';
import { poseTrack, steadyFigures, withScore } from '../../../helpers/syntheticPose.js';

const p = (h: number, z: number) => ({ h, z, score: 0.9 });

describe('bodies in scene axes', () => {
  it('a pair is its midpoint, or the one point seen', () => {
    const b: BodyFrame = { leftHip: p(0, 0), rightHip: p(10, 4), leftShoulder: p(3, 100) };
    expect(pairMidpoint(b, 'leftHip', 'rightHip')).toEqual({ h: 5, z: 2 });
    expect(pairMidpoint(b, 'leftShoulder', 'rightShoulder')).toEqual(p(3, 100));
    expect(pairMidpoint(b, 'leftEar', 'rightEar')).toBeNull();
    expect(trunkLength(b)).toBeCloseTo(Math.hypot(2, 98), 12);
    expect(trunkLength({ leftHip: p(0, 0) })).toBeNull();
  });
  it('keeps only confident keypoints, with y turned up', () => {
    const t = withScore(poseTrack(steadyFigures({ trunkLeanDeg: 0, headForwardDeg: 0, hipFlexionDeg: { left: 0, right: 0 }, kneeFlexionDeg: { left: 0, right: 0 } }, 1, 'right', 0), { direction: 'right' }), 'nose', [0], 0.2);
    const b = bodyFrames(t, 0.3, 0)[0]!;
    expect(b.nose).toBeUndefined();
    expect(b.leftHip).toEqual({ h: 960, z: -600, score: 0.9 });
    expect(b.leftShoulder!.z).toBeCloseTo(-400, 9);
  });
  it('median', () => {
    expect([median([3, 1, 2]), median([4, 1, 2, 3]), median([])]).toEqual([2, 2.5, null]);
  });
});
