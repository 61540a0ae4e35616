import { describe, expect, it } from 'vitest';
import type { MeasureSegment } from '../../../../../src-main/contract/measurements.js';
import {
  formatAsymmetry,
  formatMeasure,
  kinematicsSizes,
  layoutKinematics,
  minSpanOf,
  segmentIndexAtFrame,
  seriesPath,
  timeAxis,
  valueDomain,
} from '../../../../../src-renderer/lib/review/kinematicsChart.js';

const segment = (index: number, startFrame: number, endFrame: number, view: MeasureSegment['view']): MeasureSegment => ({
  index, startFrame, endFrame, startSec: startFrame / 30, endSec: (endFrame + 1) / 30, view, direction: null, quality: 1, stats: {}, notes: [],
});

describe('value axes', () => {
  it('runs from a round value below to one above, in 2 to 4 steps of 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(valueDomain([1, 7.5], 4)).toEqual({ min: 0, max: 7.5, ticks: [0, 2.5, 5, 7.5] });
    expect(valueDomain([-3, null, 12], 4)).toEqual({ min: -5, max: 15, ticks: [-5, 0, 5, 10, 15] });
    expect(valueDomain([0.1, 0.16], 0.05)).toEqual({ min: 0.1, max: 0.16, ticks: [0.1, 0.12, 0.14, 0.16] });
  });

  it('widens a steady measure to its narrowest span, and has no axis without a value', () => {
    expect(valueDomain([5, 5.5], 4)).toEqual({ min: 2, max: 8, ticks: [2, 4, 6, 8] });
    expect(valueDomain([null, undefined, Number.NaN], 4)).toBeNull();
    expect([minSpanOf('trunkLean'), minSpanOf('shoulderHipOffset')]).toEqual([4, 0.05]);
  });
});

describe('the time axis of the original', () => {
  const axis = timeAxis(48, 880, 8, 239);

  it('maps seconds and timeline frames (f / 30 s) to x and back, inside the video', () => {
    expect([axis.xOfSec(0), axis.xOfSec(2), axis.xOfSec(8), axis.xOfSec(-1), axis.xOfSec(9)]).toEqual([48, 256, 880, 48, 880]);
    expect(axis.xOfFrame(60)).toBe(256);
    expect(axis.secAt(256)).toBe(2);
    expect([axis.frameAtX(256), axis.frameAtX(257), axis.frameAtX(0), axis.frameAtX(5000)]).toEqual([60, 60, 0, 239]);
  });

  it('falls back to the frames for an unknown duration, and refuses a chart with no room', () => {
    expect(timeAxis(0, 100, 0, 29).durationSec).toBe(1);
    expect(() => timeAxis(48, 48, 8, 239)).toThrow(RangeError);
  });
});

describe('series paths', () => {
  const x = (f: number) => f * 10;
  const y = (v: number) => v * 10;

  it('breaks the line at a missing value and at skipped frames', () => {
    expect(seriesPath([0, 1, 2, 4, 5, 6], [1, 2, null, 3, 4, null], x, y)).toBe('M 0 10 L 10 20 M 40 30 L 50 40');
    expect(seriesPath([0, 1, 3], [1, 1, 1], x, y)).toBe('M 0 10 L 10 10 M 30 10');
    expect(seriesPath([0, 1], [null, null], x, y)).toBe('');
  });
});

describe('the whole chart', () => {
  const layout = layoutKinematics({
    width: 960,
    durationSec: 8,
    lastFrame: 239,
    series: { frames: [30, 31, 32], values: { trunkLean: [2, 4, 6], hipFlexionLeft: [null, null, null] } },
    measures: ['trunkLean', 'hipFlexionLeft'],
    segments: [segment(0, 30, 59, 'sagittal'), segment(1, 60, 89, 'frontal')],
    contacts: [{ frame: 30, side: 'left' }, { frame: 45, side: 'right' }],
  });

  it('stacks a row per measure under the strip, then the foot contacts and the time axis', () => {
    expect(kinematicsSizes).toMatchObject({ marginLeft: 48, marginRight: 80, strip: 18, rowHeight: 56, rowGap: 10, contactsHeight: 30, axis: 26 });
    expect(layout.rows.map((r) => [r.measure, r.label, r.unit, r.top, r.bottom])).toEqual([
      ['trunkLean', 'Trunk lean', 'deg', 18, 74],
      ['hipFlexionLeft', 'Hip flexion, left', 'deg', 84, 140],
    ]);
    expect([layout.top, layout.bottom, layout.axisY, layout.height, layout.contacts.top, layout.contacts.middle]).toEqual([0, 180, 180, 206, 150, 165]);
  });

  it('draws each series on its own value axis, and none for a measure with no value', () => {
    const [trunk, hip] = layout.rows;
    expect(trunk!.domain).toEqual({ min: 2, max: 6, ticks: [2, 4, 6] });
    // frames 30..32 are at 1 s, 1.033 s and 1.067 s: 104 px per second
    expect(trunk!.path).toBe('M 152 74 L 155.47 46 L 158.93 18');
    expect([hip!.domain, hip!.path]).toEqual([null, '']);
  });

  it('marks the segments (boundaries at each start and end, once) and the foot contacts, left above and right below', () => {
    expect(layout.bands.map((b) => [b.x1, b.x2, b.view, b.sagittal])).toEqual([[152, 256, 'sagittal', true], [256, 360, 'frontal', false]]);
    expect(layout.boundaries).toEqual([152, 256, 360]);
    expect(layout.contacts.marks).toEqual([
      { frame: 30, side: 'left', x: 152, y1: 152, y2: 164 },
      { frame: 45, side: 'right', x: 204, y1: 166, y2: 178 },
    ]);
    expect(layout.ticks.map((t) => [t.label, t.x])).toEqual([['0', 48], ['1', 152], ['2', 256], ['3', 360], ['4', 464], ['5', 568], ['6', 672], ['7', 776], ['8', 880]]);
  });

  it('finds the segment of a frame', () => {
    const segments = [segment(0, 30, 59, 'sagittal'), segment(1, 60, 89, 'frontal')];
    expect([segmentIndexAtFrame(segments, 29), segmentIndexAtFrame(segments, 30), segmentIndexAtFrame(segments, 89), segmentIndexAtFrame(segments, 90)]).toEqual([-1, 0, 1, -1]);
  });
});

describe('values in words', () => {
  it('writes a measure with its unit', () => {
    expect([formatMeasure(5.25, 'deg'), formatMeasure(0.123, 'trunk lengths')]).toEqual(['5.3°', '0.12 trunk lengths']);
  });

  it('says which side’s steps are longer', () => {
    expect([formatAsymmetry(0.04), formatAsymmetry(-0.125), formatAsymmetry(0.0001), formatAsymmetry(null)]).toEqual([
      '4.0 % (left steps longer)', '12.5 % (right steps longer)', '0.0 % (even)', 'not measurable',
    ]);
  });
});
