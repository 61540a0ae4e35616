import { describe, expect, it } from 'vitest';
import { bodyFrames } from '../../../../src-main/domain/posture/body.js';
import { frameIsConfident, frameMeasures, segmentEarSide } from '../../../../src-main/domain/posture/frameMeasures.js';
import { figureLengths, poseTrack, steadyFigures, withScore, type FigurePose } from '../../../helpers/syntheticPose.js';

const figure: Omit<FigurePose, 'hip'> = { trunkLeanDeg: 12, headForwardDeg: 25, hipFlexionDeg: { left: 30, right: -10 }, kneeFlexionDeg: { left: 45, right: 3 } };

function measuresOf(direction: 'left' | 'right', tiltDeg = 0, pose = figure) {
  const t = poseTrack(steadyFigures(pose, 1, direction), { direction, tiltDeg });
  const frames = bodyFrames(t, 0.3, tiltDeg);
  return frameMeasures(frames[0]!, direction === 'right' ? 1 : -1, segmentEarSide(frames));
}

describe('per-frame measures of a stick figure with known angles', () => {
  for (const direction of ['right', 'left'] as const) {
    it(`walking ${direction}: trunk lean 12, head forward 25 (CVA 65), hips 30 / -10, knees 45 / 3`, () => {
      const m = measuresOf(direction);
      expect(m.trunkLean).toBeCloseTo(12, 10);
      expect(m.headForward).toBeCloseTo(25, 10);
      expect(m.craniovertebralAngle).toBeCloseTo(65, 10);
      expect(m.hipFlexionLeft).toBeCloseTo(30, 10);
      expect(m.hipFlexionRight).toBeCloseTo(-10, 10);
      expect(m.kneeFlexionLeft).toBeCloseTo(45, 10);
      expect(m.kneeFlexionRight).toBeCloseTo(3, 10);
      // the shoulder midpoint is sin 12 of a trunk length ahead of the hips
      expect(m.shoulderHipOffset).toBeCloseTo(Math.sin((12 * Math.PI) / 180), 12);
    });
  }
  it('a backward lean is negative both ways', () => {
    expect(measuresOf('left', 0, { ...figure, trunkLeanDeg: -6 }).trunkLean).toBeCloseTo(-6, 10);
    expect(measuresOf('right', 0, { ...figure, trunkLeanDeg: -6 }).trunkLean).toBeCloseTo(-6, 10);
  });
  it('a camera rolled 9 degrees with the vertical reference set gives the untilted values', () => {
    const m = measuresOf('right', 9);
    const t = poseTrack(steadyFigures(figure, 1, 'right'), { direction: 'right', tiltDeg: 9 });
    const uncorrected = frameMeasures(bodyFrames(t, 0.3, 0)[0]!, 1, 'left');
    expect(uncorrected.trunkLean).toBeCloseTo(12 + 9, 10); // rolled clockwise: a rightward walker seems to lean 9 more
    expect(m.trunkLean).toBeCloseTo(12, 10);
    expect(m.headForward).toBeCloseTo(25, 10);
    expect(m.craniovertebralAngle).toBeCloseTo(65, 10);
    expect(m.hipFlexionLeft).toBeCloseTo(30, 10);
    expect(m.kneeFlexionLeft).toBeCloseTo(45, 10);
  });
  it('the head measure uses the segment’s ear (the one seen better over its frames) and its own shoulder, on every frame', () => {
    let t = poseTrack(steadyFigures(figure, 3, 'right'), { direction: 'right' });
    // the right ear is better seen over the segment, though not on frame 2
    t = withScore(t, 'leftEar', [0, 1], 0.5);
    t = withScore(t, 'rightEar', [0, 1], 0.8);
    t = withScore(t, 'leftEar', [2], 0.9);
    t = withScore(t, 'rightEar', [2], 0.6);
    const frames = bodyFrames(t, 0.3, 0);
    expect(segmentEarSide(frames)).toBe('right');
    for (const b of frames) b.rightEar = { ...b.rightEar!, h: b.rightShoulder!.h + figureLengths.ear, z: b.rightShoulder!.z }; // that ear level with its shoulder
    expect(frames.map((b) => frameMeasures(b, 1, 'right').headForward)).toEqual([expect.closeTo(90, 10), expect.closeTo(90, 10), expect.closeTo(90, 10)]);
    expect(segmentEarSide(bodyFrames(withScore(withScore(t, 'leftEar', [0, 1, 2], 0.1), 'rightEar', [0, 1, 2], 0.1), 0.3, 0))).toBeNull();
  });
  it('uses both ears (their midpoint, with the shoulders\' midpoint) when neither is seen clearly better, so a near tie cannot flip the angle', () => {
    let t = poseTrack(steadyFigures(figure, 2, 'right'), { direction: 'right' });
    t = withScore(withScore(t, 'leftEar', [0, 1], 0.8), 'rightEar', [0, 1], 0.75);
    const frames = bodyFrames(t, 0.3, 0);
    expect(segmentEarSide(frames)).toBe('both');
    expect(frames.map((b) => frameMeasures(b, 1, 'both').headForward)).toEqual([expect.closeTo(25, 10), expect.closeTo(25, 10)]);
    // one ear clearly better (below 0.9 of the other): that ear alone
    expect(segmentEarSide(bodyFrames(withScore(t, 'rightEar', [0, 1], 0.73), 0.3, 0))).toBe('both');
    expect(segmentEarSide(bodyFrames(withScore(t, 'rightEar', [0, 1], 0.71), 0.3, 0))).toBe('left');
    // the midpoint line: the right ear 2 above its shoulder, the left one 2 above and 2 ahead: the midpoints 2 above and 1 ahead
    const b = frames[0]!;
    b.rightEar = { ...b.rightEar!, h: b.rightShoulder!.h, z: b.rightShoulder!.z + 2 };
    b.leftEar = { ...b.leftEar!, h: b.leftShoulder!.h + 2, z: b.leftShoulder!.z + 2 };
    expect(frameMeasures(b, 1, 'both').headForward).toBeCloseTo((Math.atan2(1, 2) * 180) / Math.PI, 10);
  });

  it('a measure whose keypoints are not all confident is null; the frame is confident with a trunk, an ear and one leg', () => {
    let t = poseTrack(steadyFigures(figure, 1, 'right'), { direction: 'right' });
    for (const n of ['leftKnee', 'leftEar', 'rightEar'] as const) t = withScore(t, n, [0], 0.1);
    const b = bodyFrames(t, 0.3, 0)[0]!;
    const m = frameMeasures(b, 1, segmentEarSide([b]));
    expect([m.hipFlexionLeft, m.kneeFlexionLeft, m.headForward, m.craniovertebralAngle]).toEqual([null, null, null, null]);
    expect(m.hipFlexionRight).toBeCloseTo(-10, 10);
    expect(frameIsConfident(b)).toBe(false);
    expect(frameIsConfident(bodyFrames(withScore(t, 'leftEar', [0], 0.9), 0.3, 0)[0]!)).toBe(true);
  });
});
