import type { CohortPatient } from '../../contract/screening.js';

/**
 * Norms of the measures among not-ASD patients: per measure, the mean and sample SD (n - 1)
 * of the patients' own means (each patient counts once, however many segments they have).
 * They put a patient's measures in words ("+2.7 SD") and give the outlyingness the fusion
 * gate reads.
 */
export interface FeatureNorm {
  mean: number;
  sd: number;
  n: number;
}

/** A patient's value of each measure: the mean over their segments. */
export function patientMeans(segments: readonly (readonly number[])[]): number[] {
  const p = segments[0]?.length ?? 0;
  const sums = new Array<number>(p).fill(0);
  for (const s of segments) for (let j = 0; j < p; j++) sums[j]! += s[j]!;
  return sums.map((v) => v / segments.length);
}

/** Norms over the not-ASD patients among `patients`; SD 0 when fewer than 2 (no spread to measure). */
export function notAsdNorms(patients: readonly CohortPatient[], features: number): FeatureNorm[] {
  const means = patients.filter((p) => p.label === 0 && p.segments.length > 0).map((p) => patientMeans(p.segments));
  const n = means.length;
  return Array.from({ length: features }, (_, j) => {
    if (n === 0) return { mean: 0, sd: 0, n: 0 };
    const mean = means.reduce((s, m) => s + m[j]!, 0) / n;
    const sd = n < 2 ? 0 : Math.sqrt(means.reduce((s, m) => s + (m[j]! - mean) ** 2, 0) / (n - 1));
    return { mean, sd, n };
  });
}
