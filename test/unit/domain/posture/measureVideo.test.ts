import { describe, expect, it } from 'vitest';
import { frameSeriesSchema, gaitSchema, measureSegmentSchema, measureSummarySchema, poseTrackSchema, type KeypointName } from '../../../../src-main/contract/measurements.js';
import { measurementVersion, measureVideo, summariseVideos } from '../../../../src-main/domain/posture/measureVideo.js';
import { gaitFigures, poseTrack, steadyFigures, withNoise, withScore, withSwap, type FigurePose } from '../../../helpers/syntheticPose.js';

const figure: Omit<FigurePose, 'hip'> = { trunkLeanDeg: 14, headForwardDeg: 22, hipFlexionDeg: { left: 28, right: -8 }, kneeFlexionDeg: { left: 35, right: 4 } };
const all = (n: number) => [{ startFrame: 0, endFrame: n - 1 }];

describe('measureVideo on synthetic stick figures', () => {
  for (const direction of ['right', 'left'] as const) {
    it(`a trunk rotated 14 degrees forward gives a trunk lean of 14, walking ${direction}`, () => {
      const out = measureVideo({ pose: poseTrack(steadyFigures(figure, 45, direction), { direction }), segments: all(45) });
      expect(out.segments.map((s) => [s.startFrame, s.endFrame, s.view, s.direction, s.quality])).toEqual([[0, 29, 'sagittal', direction, 1], [30, 44, 'sagittal', direction, 1]]);
      for (const s of out.segments) {
        expect(s.stats.trunkLean!.mean).toBeCloseTo(14, 9);
        expect(s.stats.headForward!.mean).toBeCloseTo(22, 9);
        expect(s.stats.craniovertebralAngle!.mean).toBeCloseTo(68, 9);
        expect(s.stats.hipFlexionLeft!.mean).toBeCloseTo(28, 9);
        expect(s.stats.kneeFlexionRight!.mean).toBeCloseTo(4, 9);
        expect(s.stats.maxHipFlexion!.mean).toBeCloseTo(10, 9); // (28 + -8) / 2
        expect(s.notes).toEqual([]);
      }
      expect(out.summary.measures.trunkLean).toEqual({ mean: expect.closeTo(14, 9), sd: expect.closeTo(0, 9), segments: 2 });
      expect(out.series.values.trunkLean!.every((v) => Math.abs(v! - 14) < 1e-9)).toBe(true);
    });
  }
  it('a rolled camera with the vertical reference set gives the untilted values', () => {
    const out = measureVideo({ pose: poseTrack(steadyFigures(figure, 30, 'left'), { direction: 'left', tiltDeg: -11 }), segments: all(30), verticalReferenceDeg: -11 });
    const s = out.segments[0]!;
    expect([s.stats.trunkLean!.mean, s.stats.headForward!.mean, s.stats.hipFlexionLeft!.mean, s.stats.kneeFlexionLeft!.mean].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([14, 22, 28, 35]);
    const uncorrected = measureVideo({ pose: poseTrack(steadyFigures(figure, 30, 'left'), { direction: 'left', tiltDeg: -11 }), segments: all(30) });
    expect(uncorrected.segments[0]!.stats.trunkLean!.mean).toBeCloseTo(14 + 11, 9); // rolled anticlockwise: a leftward walker seems to lean 11 more
  });
  it('a frontal view is refused, with its sentence; so is an oblique one', () => {
    const front = measureVideo({ pose: poseTrack(steadyFigures(figure, 30, 'right', 0), { direction: 'right', yawDeg: 90 }), segments: all(30) });
    expect(front.segments[0]).toMatchObject({ view: 'frontal', stats: {}, notes: ['seen from the front in this segment: no sagittal measures'] });
    expect(front.series.values.trunkLean).toEqual(new Array(30).fill(null));
    expect(front.summary).toEqual({ measures: {}, sagittalSegments: 0, segments: 1, notes: ['no segment of this video is a side view: no posture measures'] });
    expect(front.gait.cadence).toBeNull();
    const oblique = measureVideo({ pose: poseTrack(steadyFigures(figure, 30, 'right'), { direction: 'right', yawDeg: 40 }), segments: all(30) });
    expect(oblique.segments[0]).toMatchObject({ view: 'oblique', stats: {}, notes: ['seen at an angle (oblique) in this segment: no sagittal measures'] });
  });
  it('a walking video: cadence within 0.5%, swaps repaired and counted, outputs fit the contract', () => {
    const legs: Array<[KeypointName, KeypointName]> = [['leftKnee', 'rightKnee'], ['leftAnkle', 'rightAnkle'], ['leftHeel', 'rightHeel'], ['leftToe', 'rightToe']];
    const clean = withNoise(poseTrack(gaitFigures({ cadence: 104, frames: 330, direction: 'left' }), { direction: 'left', feet: true }), 1.5, 21);
    const out = measureVideo({ pose: withSwap(clean, legs, [50, 51, 52, 200, 201]), segments: [{ startFrame: 0, endFrame: 159 }, { startFrame: 160, endFrame: 329 }] });
    expect(out.swapsRepaired).toBe(5);
    expect(Math.abs(out.gait.cadence! / 104 - 1)).toBeLessThan(0.005);
    expect(Math.abs(out.gait.stepTimeAsymmetry!)).toBeLessThan(0.05);
    expect(out.segments.map((s) => s.endFrame - s.startFrame + 1)).toEqual([30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 20]);
    expect(out.summary.sagittalSegments).toBe(11);
    expect(out.filter).toBe('savitzky-golay window=11 order=3 (runs of confident keypoints)');
    expect(out.minScore).toBe(0.3);
    poseTrackSchema.parse(out.pose);
    frameSeriesSchema.parse(out.series);
    gaitSchema.parse(out.gait);
    measureSummarySchema.parse(out.summary);
    for (const s of out.segments) measureSegmentSchema.parse(s);
    // the hip swings 10 +- 20 degrees: the segment maximum approaches 30 and the range 40
    const max = out.summary.measures.maxHipFlexion!.mean;
    expect(max).toBeGreaterThan(28);
    expect(max).toBeLessThan(31);
  });
  it('frames without keypoints and low-scored keypoints lower the quality and say so', () => {
    let t = poseTrack(steadyFigures(figure, 30, 'right'), { direction: 'right' });
    t = withScore(withScore(t, 'leftEar', [0, 1, 2, 3, 4, 5], 0.1), 'rightEar', [0, 1, 2, 3, 4, 5], 0.1);
    const k = t.names.length * 3;
    const out = measureVideo({ pose: { ...t, frames: t.frames.slice(0, 27), points: t.points.slice(0, 27 * k) }, segments: all(30) });
    expect(out.segments[0]!.quality).toBe(21 / 30);
    expect(out.segments[0]!.notes).toEqual(['3 of 30 frames have no keypoints']);
    expect(out.segments[0]!.stats.headForward!.n).toBe(21);
  });
  it('a user gate of 0.95 over keypoints scored 0.9: nothing confident, nothing measured', () => {
    const out = measureVideo({ pose: poseTrack(steadyFigures(figure, 30, 'right'), { direction: 'right' }), segments: all(30), minScore: 0.95 });
    expect(out.segments[0]).toMatchObject({ view: 'unknown', quality: 0, stats: {}, notes: ['shoulders and hips not seen well enough in this segment to tell the view: no measures'] });
    expect(out.minScore).toBe(0.95);
  });
  it('is version 1, and summarises a patient over videos', () => {
    expect(measurementVersion).toBe(2);
    const a = measureVideo({ pose: poseTrack(steadyFigures(figure, 30, 'right'), { direction: 'right' }), segments: all(30) }).summary;
    const b = measureVideo({ pose: poseTrack(steadyFigures({ ...figure, trunkLeanDeg: 20 }, 60, 'left'), { direction: 'left' }), segments: all(60) }).summary;
    const p = summariseVideos([a, b]);
    expect(p.measures.trunkLean!.mean).toBeCloseTo((14 + 20 + 20) / 3, 9);
    expect(p.measures.trunkLean!.segments).toBe(3);
  });
});
