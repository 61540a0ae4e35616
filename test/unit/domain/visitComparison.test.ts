import { describe, expect, it } from 'vitest';
import type { GaitSummary, MeasureSummary } from '../../../src-main/contract/measurements.js';
import { alignmentOf, compareMeasures, firstContactSec, followerTime, measureTrend } from '../../../src-main/domain/visitComparison.js';

const gait = (contacts: Array<[number, 'left' | 'right']>, cadence: number | null = null): GaitSummary => ({ cadence, stepTimeAsymmetry: null, footContacts: contacts.map(([frame, side]) => ({ frame, side })), notes: [] });
const summary = (measures: MeasureSummary['measures']): MeasureSummary => ({ measures, sagittalSegments: 3, segments: 3, notes: [] });

describe('aligning two visits', () => {
  it('lines up the first foot contact of a side (frames of the 30 fps timeline)', () => {
    const a = gait([[45, 'left'], [30, 'right'], [75, 'left']]);
    const b = gait([[90, 'right'], [105, 'left']]);
    expect(firstContactSec(a, 'left')).toBe(1.5);
    expect(firstContactSec(b, 'left')).toBe(3.5);
    expect(alignmentOf({ kind: 'firstContact', side: 'left' }, a, b)).toEqual({ offsetSec: 2, problem: null });
    expect(alignmentOf({ kind: 'firstContact', side: 'right' }, a, b)).toEqual({ offsetSec: 2, problem: null });
  });

  it('lines up the starts or two picked moments', () => {
    expect(alignmentOf({ kind: 'start' }, null, null)).toEqual({ offsetSec: 0, problem: null });
    expect(alignmentOf({ kind: 'picked', timeA: 4.25, timeB: 1 }, null, null)).toEqual({ offsetSec: -3.25, problem: null });
  });

  it('says which video lacks the contact, and falls back to the starts', () => {
    expect(alignmentOf({ kind: 'firstContact', side: 'left' }, gait([]), gait([[3, 'left']]))).toEqual({ offsetSec: 0, problem: 'no left foot contact was found in the first video' });
    expect(alignmentOf({ kind: 'firstContact', side: 'right' }, gait([[3, 'right']]), null)).toEqual({ offsetSec: 0, problem: 'no right foot contact was found in the second video' });
    expect(alignmentOf({ kind: 'firstContact', side: 'right' }, null, undefined)).toEqual({ offsetSec: 0, problem: 'no right foot contact was found in either video' });
  });

  it('keeps the second video inside its length, saying when it waits', () => {
    expect(followerTime(1, 2, 10)).toEqual({ time: 3, inside: true });
    expect(followerTime(1, -2, 10)).toEqual({ time: 0, inside: false });
    expect(followerTime(9, 2, 10)).toEqual({ time: 10, inside: false });
  });
});

describe('the measures of two visits', () => {
  it('puts the five sagittal measures and the cadence side by side with the later minus the earlier', () => {
    const a = { summary: summary({ trunkLean: { mean: 12.5, sd: 1, segments: 3 }, hipRange: { mean: 30, sd: 2, segments: 3 } }), gait: gait([], 96) };
    const b = { summary: summary({ trunkLean: { mean: 8, sd: 1, segments: 2 }, headForward: { mean: 20, sd: 1, segments: 2 } }), gait: gait([], 104.5) };
    expect(compareMeasures(a, b)).toEqual([
      { measure: 'trunkLean', a: 12.5, b: 8, difference: -4.5 },
      { measure: 'headForward', a: null, b: 20, difference: null },
      { measure: 'shoulderHipOffset', a: null, b: null, difference: null },
      { measure: 'maxHipFlexion', a: null, b: null, difference: null },
      { measure: 'hipRange', a: 30, b: null, difference: null },
      { measure: 'cadence', a: 96, b: 104.5, difference: 8.5 },
    ]);
    expect(compareMeasures(null, null).every((r) => r.a === null && r.b === null)).toBe(true);
  });

  it('trends a measure over visit days, oldest first, weighting videos of one day by their segments', () => {
    const trend = measureTrend(
      [
        { day: '2026-09-01', summary: summary({ trunkLean: { mean: 10, sd: 1, segments: 1 } }) },
        { day: '2026-03-05', summary: summary({ trunkLean: { mean: 14, sd: 1, segments: 3 } }) },
        { day: '2026-03-05', summary: summary({ trunkLean: { mean: 18, sd: 1, segments: 1 } }) },
        { day: null, summary: summary({ trunkLean: { mean: 99, sd: 1, segments: 5 } }) },
        { day: '2026-06-01', summary: null },
        { day: '2026-07-01', summary: summary({ hipRange: { mean: 30, sd: 1, segments: 2 } }) },
      ],
      'trunkLean',
    );
    expect(trend).toEqual([
      { day: '2026-03-05', mean: 15 },
      { day: '2026-09-01', mean: 10 },
    ]);
  });
});
