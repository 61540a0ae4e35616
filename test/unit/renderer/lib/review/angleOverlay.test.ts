import { describe, expect, it } from 'vitest';
import { keypointNames, type MeasureSegment, type MeasurementFrames } from '../../../../../src-main/contract/measurements.js';
import { PoseIndex, anglesAt, arcPath, degreesText, labelPoint, outsideLabel, segmentOfFrame, upDirection, viewWords, type AngleOptions } from '../../../../../src-renderer/lib/review/angleOverlay.js';

const names = keypointNames.slice(0, 17);
// a patient upright at x 100 (hips y 300, shoulders y 100), the left thigh 45 degrees forward and the left shank straight down
const at: Partial<Record<(typeof names)[number], [number, number, number]>> = {
  leftShoulder: [97, 100, 0.9], rightShoulder: [103, 100, 0.9], leftHip: [97, 300, 0.9], rightHip: [103, 300, 0.9],
  leftEar: [127, 40, 0.9], rightEar: [118, 42, 0.5], leftKnee: [197, 400, 0.9], rightKnee: [103, 500, 0.9], leftAnkle: [197, 600, 0.9], rightAnkle: [103, 700, 0.1],
};
const frames: MeasurementFrames = {
  analysisId: 1,
  pose: { fps: 30, width: 1280, height: 720, names, frames: [5, 6], points: [...names.flatMap((n) => at[n] ?? [0, 0, 0.05]), ...names.flatMap(() => [0, 0, 0.05])] },
  series: { frames: [5, 6], values: { trunkLean: [3.5, null], headForward: [12, null], hipFlexionLeft: [45, null], hipFlexionRight: [0.2, null], kneeFlexionLeft: [45, null], kneeFlexionRight: [10, null] } },
};
const segment = (view: MeasureSegment['view']): MeasureSegment => ({ index: 0, startFrame: 0, endFrame: 29, startSec: 0, endSec: 1, view, direction: view === 'sagittal' ? 'right' : null, quality: 1, stats: {}, notes: [] });
const all: AngleOptions = { trunk: true, head: true, thigh: true, knee: true, minScore: 0.3, verticalDeg: 0, unit: 1 };
const only = (which: Partial<AngleOptions>): AngleOptions => ({ ...all, trunk: false, head: false, thigh: false, knee: false, ...which });

describe('pose lookups', () => {
  const index = new PoseIndex(frames);

  it('reads keypoints and the series by frame', () => {
    expect([index.width, index.height, index.hasPose(5), index.hasPose(7)]).toEqual([1280, 720, true, false]);
    expect(index.point(5, 'leftKnee')).toEqual({ x: 197, y: 400, score: 0.9 });
    expect(index.point(7, 'leftKnee')).toBeNull();
    expect(index.point(5, 'leftHeel')).toBeNull();
    expect([index.value(5, 'trunkLean'), index.value(6, 'trunkLean'), index.value(7, 'trunkLean'), index.value(5, 'craniovertebralAngle')]).toEqual([3.5, null, null, null]);
    expect(index.confidentPoints(6, 0.3)).toEqual([]);
  });

  it('refuses a pose track or series of the wrong length, in words', () => {
    expect(() => new PoseIndex({ ...frames, pose: { ...frames.pose, points: [1, 2] } })).toThrow('The pose track holds 2 numbers for 2 frames; 51 per frame were expected.');
    expect(() => new PoseIndex({ ...frames, series: { frames: [5, 6], values: { trunkLean: [1] } } })).toThrow('The series of trunkLean has 1 values for 2 frames.');
  });
});

describe('arcs and labels', () => {
  it('gives the image up for a vertical tilted clockwise', () => {
    expect(upDirection(0)).toEqual({ x: 0, y: -1 });
    expect(upDirection(90)).toEqual({ x: 1, y: 0 });
    expect(upDirection(-30)).toEqual({ x: -0.5, y: -0.866025404 });
  });

  it('draws the short arc, clockwise on screen when the second direction is clockwise of the first', () => {
    expect(arcPath({ x: 0, y: 0 }, { x: 0, y: -1 }, { x: 1, y: 0 }, 10)).toBe('M 0 -10 A 10 10 0 0 1 10 0');
    expect(arcPath({ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0, y: -5 }, 10)).toBe('M 10 0 A 10 10 0 0 0 0 -10');
    expect(arcPath({ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 1, y: 0 }, 10)).toBe('');
    expect(arcPath({ x: 0, y: 0 }, { x: 0, y: 1 }, { x: 1, y: 0 }, 0)).toBe('');
  });

  it('puts a label on the bisector, or square to two opposite directions', () => {
    expect(labelPoint({ x: 0, y: 0 }, { x: 0, y: -1 }, { x: 1, y: 0 }, 10)).toEqual({ x: 7.07, y: -7.07 });
    expect(labelPoint({ x: 0, y: 0 }, { x: 0, y: -1 }, { x: 0, y: 1 }, 10)).toEqual({ x: 10, y: 0 });
  });

  it('pushes the value of a narrow angle off its lines, towards the body line, and leaves a wide one on the bisector', () => {
    // the two lines coincide (0 degrees): 22 px to the right of them
    expect(outsideLabel({ x: 0, y: 0 }, { x: 0, y: -1 }, { x: 0, y: -1 }, 56, 22)).toEqual({ x: 22, y: -56 });
    // 5.7 degrees clockwise of up: pushed to the right, past the body line
    expect(outsideLabel({ x: 0, y: 0 }, { x: 0, y: -1 }, { x: 0.1, y: -1 }, 56, 22)).toEqual({ x: 21.97, y: -54.97 });
    // counter-clockwise of up: pushed to the left
    expect(outsideLabel({ x: 0, y: 0 }, { x: 0, y: -1 }, { x: -0.1, y: -1 }, 56, 22).x).toBeLessThan(0);
    // 90 degrees is wide enough at 56 px: the bisector
    expect(outsideLabel({ x: 0, y: 0 }, { x: 0, y: -1 }, { x: 1, y: 0 }, 56, 22)).toEqual(labelPoint({ x: 0, y: 0 }, { x: 0, y: -1 }, { x: 1, y: 0 }, 56));
  });

  it('writes degrees and views in words, and finds a frame’s segment', () => {
    expect([degreesText(3.25), degreesText(-0.04)]).toEqual(['3.3°', '-0.0°']);
    expect((['sagittal', 'frontal', 'oblique', 'unknown'] as const).map((v) => viewWords(v))).toEqual(['seen from the side', 'seen from the front', 'seen at an angle (oblique)', 'view not known']);
    expect(viewWords('frontal', 'ja')).toBe('正面から撮影');
    expect(segmentOfFrame([segment('sagittal')], 29)?.index).toBe(0);
    expect(segmentOfFrame([segment('sagittal')], 30)).toBeUndefined();
  });
});

describe('the figures of a frame', () => {
  const index = new PoseIndex(frames);

  it('draws the trunk against the vertical, the thighs against the trunk line and the knees against the thigh, with the series’ values', () => {
    const { figures, note } = anglesAt(index, 5, [segment('sagittal')], only({ trunk: true, thigh: true, knee: true }));
    expect(note).toBeNull();
    expect(figures.map((f) => `${f.kind}:${f.side ?? ''}:${f.text}`)).toEqual(['trunk::3.5°', 'thigh:left:45.0°', 'knee:left:45.0°', 'thigh:right:0.2°']);
    expect(figures[0]).toEqual({
      kind: 'trunk', measure: 'trunkLean', side: null,
      line: [{ x: 100, y: 300 }, { x: 100, y: 100 }], reference: [{ x: 100, y: 300 }, { x: 100, y: 100 }],
      arc: 'M 100 260 A 40 40 0 0 0 100 260', label: { x: 122, y: 244 }, value: 3.5, text: '3.5°',
    });
    // the left thigh: from the hip, against the trunk line pointing down; an arc of 40 px from 6 o'clock towards the knee
    expect(figures[1]).toMatchObject({ line: [{ x: 97, y: 300 }, { x: 197, y: 400 }], reference: [{ x: 97, y: 300 }, { x: 97, y: 441.42 }], arc: 'M 97 340 A 40 40 0 0 0 125.28 328.28', label: { x: 118.43, y: 351.74 } });
    // the left knee: the shank against the thigh carried on past the knee
    expect(figures[2]).toMatchObject({ line: [{ x: 197, y: 400 }, { x: 197, y: 600 }], reference: [{ x: 197, y: 400 }, { x: 338.42, y: 541.42 }], arc: 'M 225.28 428.28 A 40 40 0 0 1 197 440' });
  });

  it('draws the trunk against a tilted vertical reference', () => {
    const [trunk] = anglesAt(index, 5, [segment('sagittal')], only({ trunk: true, verticalDeg: 10 })).figures;
    expect(trunk!.reference).toEqual([{ x: 100, y: 300 }, { x: 134.73, y: 103.04 }]);
    expect(trunk!.arc).toBe('M 106.95 260.61 A 40 40 0 0 0 100 260');
  });

  it('draws the head line on the better-seen side (the higher summed score)', () => {
    const [head] = anglesAt(index, 5, [segment('sagittal')], only({ head: true })).figures;
    expect(head).toMatchObject({ kind: 'head', measure: 'headForward', line: [{ x: 97, y: 100 }, { x: 127, y: 40 }], text: '12.0°' });
  });

  it('draws nothing unsure: a low-scored ankle, a value the back end did not measure, a frame without keypoints', () => {
    const kinds = anglesAt(index, 5, [segment('sagittal')], all).figures.map((f) => `${f.kind}:${f.side ?? ''}`);
    expect(kinds).not.toContain('knee:right');
    expect(anglesAt(index, 6, [segment('sagittal')], all)).toEqual({ figures: [], note: null });
    expect(anglesAt(index, 7, [segment('sagittal')], all)).toEqual({ figures: [], note: null });
  });

  it('says so on a frame whose segment is not sagittal, above the patient, with no number', () => {
    expect(anglesAt(index, 5, [segment('oblique')], { ...all, unit: 2 })).toEqual({ figures: [], note: { text: 'Seen at an angle (oblique): no angles on this frame', at: { x: 126.89, y: 28 } } });
    expect(anglesAt(index, 5, [segment('frontal')], all).note?.text).toBe('Seen from the front: no angles on this frame');
    expect(anglesAt(index, 6, [segment('frontal')], all)).toEqual({ figures: [], note: null });
  });
});
