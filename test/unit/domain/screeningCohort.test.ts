import { describe, expect, it } from 'vitest';
import type { MeasureSegment } from '../../../src-main/contract/measurements.js';
import { buildCohort, usableSegments, type PatientMeasurements } from '../../../src-main/domain/screeningCohort.js';

/** Segments built by hand for these tests (not measured from anyone). */
function segment(view: MeasureSegment['view'], values: Partial<Record<'trunkLean' | 'hipRange', number>>): MeasureSegment {
  return {
    index: 0,
    startFrame: 0,
    endFrame: 29,
    startSec: 0,
    endSec: 1,
    view,
    direction: view === 'sagittal' ? 'left' : null,
    quality: 1,
    stats: Object.fromEntries(Object.entries(values).map(([k, mean]) => [k, { mean, sd: 1, min: mean - 1, max: mean + 1, n: 30 }])),
    notes: [],
  };
}

const features = ['trunkLean', 'hipRange'] as const;
const side = (lean: number, range: number) => segment('sagittal', { trunkLean: lean, hipRange: range });

function patients(asd: number, notAsd: number): PatientMeasurements[] {
  return [
    ...Array.from({ length: asd }, (_, i) => ({ code: `A${i}`, diagnosis: 'ASD' as const, videos: [{ segments: [side(10 + i, 30), side(11 + i, 31), side(12, 32)] }] })),
    ...Array.from({ length: notAsd }, (_, i) => ({ code: `N${i}`, diagnosis: (i % 2 ? 'LCS' : 'DHS') as 'LCS' | 'DHS', videos: [{ segments: [side(4, 40), side(5, 41), side(6, 42)] }] })),
  ];
}

describe('the screening cohort', () => {
  it('keeps side-on segments with every chosen measure, one row of segment means each, in feature order', () => {
    const rows = usableSegments(features, [{ segments: [side(3, 40), segment('frontal', {}), segment('sagittal', { trunkLean: 2 }), side(4, 41)] }, { segments: [segment('oblique', { trunkLean: 9, hipRange: 9 })] }]);
    expect(rows).toEqual({ rows: [[3, 40], [4, 41]], videosUsed: 1, sagittal: 3, incomplete: 1 });
  });

  it('labels ASD against DHS, LCS, HipOA and other, leaves unknown and unmeasured patients out with the reason', () => {
    const cohort = buildCohort(features, [
      ...patients(10, 10),
      { code: 'U1', diagnosis: 'unknown', videos: [{ segments: [side(1, 1)] }] },
      { code: 'H1', diagnosis: 'HipOA', videos: [{ segments: [side(5, 20)] }] },
      { code: 'O1', diagnosis: 'other', videos: [null] },
      { code: 'O2', diagnosis: 'other', videos: [] },
      { code: 'F1', diagnosis: 'ASD', videos: [{ segments: [segment('frontal', {})] }] },
      { code: 'I1', diagnosis: 'ASD', videos: [{ segments: [segment('sagittal', { trunkLean: 3 }), segment('sagittal', { hipRange: 3 })] }] },
    ]);
    expect(cohort.patients.map((p) => [p.code, p.label])).toEqual([...Array.from({ length: 10 }, (_, i) => [`A${i}`, 1]), ...Array.from({ length: 10 }, (_, i) => [`N${i}`, 0]), ['H1', 0]]);
    expect(cohort.patients[0]!.segments).toEqual([[10, 30], [11, 31], [12, 32]]);
    expect(cohort.excluded).toEqual([
      { code: 'U1', diagnosis: 'unknown', reason: 'diagnosis unknown' },
      { code: 'O1', diagnosis: 'other', reason: 'no measured video (analyse the videos first)' },
      { code: 'O2', diagnosis: 'other', reason: 'no video' },
      { code: 'F1', diagnosis: 'ASD', reason: 'no segment seen from the side' },
      { code: 'I1', diagnosis: 'ASD', reason: 'none of the 2 side-on segments has every chosen measure' },
    ]);
    expect(cohort.counts).toEqual({ asd: 10, notAsd: 11, segments: 61, byDiagnosis: { ASD: 10, DHS: 5, LCS: 5, HipOA: 1 } });
    expect(cohort.refusal).toBeNull();
    expect(cohort.warnings).toEqual([
      '2 side-on segments left out because a chosen measure (trunk lean, hip range of motion) was not measurable in it.',
      '1 patient has fewer than 3 usable segments; their probabilities rest on little walking.',
      'Only 21 patients: the cross-validation\'s intervals will be wide.',
    ]);
  });

  it('refuses fewer than 10 patients in a class, in a sentence with the counts', () => {
    const cohort = buildCohort(features, patients(9, 40));
    expect(cohort.refusal).toBe('Training needs at least 10 patients in each class with measured side-on segments; this cohort has 9 ASD and 40 not ASD.');
    expect(cohort.warnings).toContain('The classes are unbalanced (9 ASD, 40 not ASD); balanced accuracy is the headline metric for this reason.');
    expect(buildCohort(features, []).refusal).toBe('Training needs at least 10 patients in each class with measured side-on segments; this cohort has 0 ASD and 0 not ASD.');
  });
});
