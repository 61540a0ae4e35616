import { describe, expect, it } from 'vitest';
import type { VideoFeaturesSource } from '../../../src-main/contract/screening.js';
import { buildFeatureCohort, type PatientVideoFeatures } from '../../../src-main/domain/screeningCohort.js';

const source: VideoFeaturesSource = { bundleId: 'bb', bundleName: 'Backbone B', bundleSha256: 'a'.repeat(64), featureSize: 2 };
const clipsOf = (n: number, v: number) => ({ clips: Array.from({ length: n }, (_, i) => [v, i]) });

/** Generated patients (not clinical data): who a head on video features is trained on, and why not. */
describe('the cohort of a head on video features', () => {
  const patients = (asd: number, notAsd: number): PatientVideoFeatures[] => [
    ...Array.from({ length: asd }, (_, i) => ({ code: `A${i}`, diagnosis: 'ASD' as const, videos: [clipsOf(3, i), clipsOf(2, -i)] })),
    ...Array.from({ length: notAsd }, (_, i) => ({ code: `N${i}`, diagnosis: 'LCS' as const, videos: [clipsOf(1, i)] })),
  ];

  it("makes every clip a row and counts clips as the cohort's segments", () => {
    const c = buildFeatureCohort(source, patients(10, 10));
    expect(c.refusal).toBeNull();
    expect(c.features).toEqual([]);
    expect(c.videoFeatures).toEqual(source);
    expect(c.counts).toEqual({ asd: 10, notAsd: 10, segments: 60, byDiagnosis: { ASD: 10, LCS: 10 } });
    expect(c.patients[1]).toEqual({ code: 'A1', diagnosis: 'ASD', label: 1, videos: 2, segments: [[1, 0], [1, 1], [1, 2], [-1, 0], [-1, 1]] });
    expect(c.warnings).toContain("Each clip is a row; a patient's probability is the mean of their clips' (2 features per clip from Backbone B).");
  });

  it('leaves out unknown diagnoses and patients without an analysed video, with the reason', () => {
    const c = buildFeatureCohort(source, [
      ...patients(10, 10),
      { code: 'U1', diagnosis: 'unknown', videos: [clipsOf(2, 0)] },
      { code: 'X1', diagnosis: 'DHS', videos: ['not analysed'] },
      { code: 'X2', diagnosis: 'DHS', videos: [] },
    ]);
    expect(c.excluded).toEqual([
      { code: 'U1', diagnosis: 'unknown', reason: 'diagnosis unknown' },
      { code: 'X1', diagnosis: 'DHS', reason: 'no analysed video (analyse the videos first)' },
      { code: 'X2', diagnosis: 'DHS', reason: 'no video' },
    ]);
  });

  it('refuses while an analysed video has no features yet, then for too few patients per class', () => {
    const waiting = buildFeatureCohort(source, [...patients(10, 10), { code: 'W1', diagnosis: 'ASD', videos: [clipsOf(2, 0), 'not extracted'] }, { code: 'W2', diagnosis: 'ASD', videos: ['not extracted'] }]);
    expect(waiting.refusal).toBe('2 analysed videos of 2 patients have no features from Backbone B yet: extract the video features first, then train.');
    expect(buildFeatureCohort(source, patients(10, 9)).refusal).toBe('Training needs at least 10 patients in each class with analysed videos; this cohort has 10 ASD and 9 not ASD.');
  });
});
