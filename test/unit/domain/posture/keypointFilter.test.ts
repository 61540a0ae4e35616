import { describe, expect, it } from 'vitest';
import { defaultKeypointFilter, describeFilter, filterPose } from '../../../../src-main/domain/posture/keypointFilter.js';
import { medianTrunkLength } from '../../../../src-main/domain/posture/trunkScale.js';
import { poseTrack, steadyFigures, withNoise, withScore } from '../../../helpers/syntheticPose.js';

const figure = { trunkLeanDeg: 0, headForwardDeg: 0, hipFlexionDeg: { left: 0, right: 0 }, kneeFlexionDeg: { left: 0, right: 0 } };
const still = poseTrack(steadyFigures(figure, 40, 'right', 0), { direction: 'right' });
const nose = still.names.indexOf('nose');
const at = (t: typeof still, i: number, k: number, c: number) => t.points[(i * t.names.length + k) * 3 + c]!;

describe('keypoint filtering', () => {
  it('defaults to Savitzky-Golay, window 11, degree 3, and says so', () => {
    expect(defaultKeypointFilter).toEqual({ kind: 'savitzky-golay', window: 11, order: 3 });
    expect(describeFilter(defaultKeypointFilter)).toBe('savitzky-golay window=11 order=3 (runs of confident keypoints)');
    expect(describeFilter({ kind: 'one-euro', minCutoff: 1, beta: 0.02, dCutoff: 1 })).toBe('one-euro minCutoff=1 beta=0.02 dCutoff=1 (trunk lengths, runs of confident keypoints)');
  });
  it("the trunk length is the median shoulder-to-hip distance (the synthetic figure's 200 px)", () => {
    expect(medianTrunkLength(still, 0.3)).toBeCloseTo(200, 9);
  });
  it('reduces jitter of a still figure', () => {
    const noisy = withNoise(still, 3, 7);
    const out = filterPose(noisy, 0.3);
    const sd = (t: typeof still) => {
      const d = Array.from({ length: 39 }, (_, i) => at(t, i + 1, nose, 0) - at(t, i, nose, 0));
      return Math.sqrt(d.reduce((s, x) => s + x * x, 0) / d.length);
    };
    expect(sd(out)).toBeLessThan(sd(noisy) / 3);
  });
  it('a low-scored keypoint is not filtered into existence: it keeps its raw position and score, and splits the run', () => {
    const noisy = withScore(withNoise(still, 3, 7), 'nose', [20], 0.1);
    const out = filterPose(noisy, 0.3);
    expect([at(out, 20, nose, 0), at(out, 20, nose, 1), at(out, 20, nose, 2)]).toEqual([at(noisy, 20, nose, 0), at(noisy, 20, nose, 1), 0.1]);
    // frame 21 starts a new run: the same as filtering frames 21.. alone
    const alone = filterPose({ ...noisy, frames: noisy.frames.slice(21), points: noisy.points.slice(21 * noisy.names.length * 3) }, 0.3);
    expect(at(out, 21, nose, 0)).toBeCloseTo(at(alone, 0, nose, 0), 9);
  });
  it('missing frames are gaps too', () => {
    const k = still.names.length * 3;
    const gappy = withNoise({ ...still, frames: [...still.frames.slice(0, 10), ...still.frames.slice(12)], points: [...still.points.slice(0, 10 * k), ...still.points.slice(12 * k)] }, 3, 2);
    const out = filterPose(gappy, 0.3);
    const alone = filterPose({ ...gappy, frames: gappy.frames.slice(10), points: gappy.points.slice(10 * k) }, 0.3);
    expect(at(out, 10, nose, 0)).toBeCloseTo(at(alone, 0, nose, 0), 9);
  });
});
