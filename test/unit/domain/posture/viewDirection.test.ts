import { describe, expect, it } from 'vitest';
import { bodyFrames } from '../../../../src-main/domain/posture/body.js';
import { segmentView, slope } from '../../../../src-main/domain/posture/viewDirection.js';
import { poseTrack, steadyFigures, withScore, type Camera } from '../../../helpers/syntheticPose.js';

const figure = { trunkLeanDeg: 5, headForwardDeg: 10, hipFlexionDeg: { left: 15, right: -5 }, kneeFlexionDeg: { left: 10, right: 5 } };
function view(direction: 'left' | 'right', camera: Partial<Camera>, speed = 1.2, lean = 5) {
  const t = poseTrack(steadyFigures({ ...figure, trunkLeanDeg: lean }, 30, direction, speed), { direction, ...camera });
  return segmentView(t.frames, bodyFrames(t, 0.3, camera.tiltDeg ?? 0), 30, 30);
}

describe('view and walking direction of a segment', () => {
  it('a side view walking right, and walking left', () => {
    expect(view('right', {})).toEqual({ view: 'sagittal', direction: 'right', facing: 'right', forward: 1, frontOrBack: null, widthRatio: 0, speed: expect.closeTo(1.2, 9) });
    expect(view('left', {})).toMatchObject({ view: 'sagittal', direction: 'left', facing: 'left', forward: -1 });
  });
  it('width ratio is the mean of shoulder and hip width over trunk length: 0.65 from the front, 0.65 sin(yaw) between', () => {
    // an upright trunk, so the trunk length is 200 px whatever the yaw
    expect(view('right', { yawDeg: 90 }, 0, 0)).toMatchObject({ view: 'frontal', direction: null, frontOrBack: 'front', widthRatio: expect.closeTo(0.65, 9) });
    expect(view('right', { yawDeg: 40 }, 1.2, 0)).toMatchObject({ view: 'oblique', widthRatio: expect.closeTo(0.65 * Math.sin((40 * Math.PI) / 180), 9) });
    expect(view('right', { yawDeg: 15 }).view).toBe('sagittal');
    expect(view('right', { yawDeg: 60 }).view).toBe('frontal');
  });
  it('a frontal view without the nose is seen from the back', () => {
    const t = withScore(poseTrack(steadyFigures(figure, 30, 'right', 0), { direction: 'right', yawDeg: 90 }), 'nose', [...Array(30).keys()], 0.05);
    expect(segmentView(t.frames, bodyFrames(t, 0.3, 0), 30, 30)).toMatchObject({ view: 'frontal', frontOrBack: 'back' });
  });
  it('standing side-on: no walking direction, forward from the facing (nose ahead of the ears)', () => {
    expect(view('left', {}, 0)).toMatchObject({ view: 'sagittal', direction: null, facing: 'left', forward: -1, speed: 0 });
  });
  it('under a camera tilt the widths and the travel are taken in the corrected axes', () => {
    expect(view('right', { tiltDeg: 10 })).toMatchObject({ view: 'sagittal', direction: 'right', widthRatio: expect.closeTo(0, 9) });
  });
  it('the far shoulder and hip hidden (below the gate) on most frames: a side view', () => {
    let t = poseTrack(steadyFigures(figure, 30, 'right'), { direction: 'right', yawDeg: 10 });
    for (const n of ['rightShoulder', 'rightHip'] as const) t = withScore(t, n, [...Array(20).keys()], 0.1);
    expect(segmentView(t.frames, bodyFrames(t, 0.3, 0), 30, 30)).toMatchObject({ view: 'sagittal', widthRatio: 0 });
  });
  it('unknown when fewer than half the frames show the trunk', () => {
    let t = poseTrack(steadyFigures(figure, 30, 'right'), { direction: 'right' });
    for (const n of ['leftShoulder', 'rightShoulder'] as const) t = withScore(t, n, [...Array(16).keys()], 0.1);
    expect(segmentView(t.frames, bodyFrames(t, 0.3, 0), 30, 30)).toMatchObject({ view: 'unknown', widthRatio: null });
  });
  it('slope is least squares', () => {
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBe(2);
    expect(slope([1], [1])).toBeNull();
  });
});
