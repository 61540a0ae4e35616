import type { CohortPatient } from '../../contract/screening.js';
import { AppError } from '../../contract/errors.js';

/**
 * What the cross-validation needs of its patients, checked once up front so a fold deep in
 * the work never fails on bad input: unique codes, at least one segment per patient, the
 * same number of finite values in every segment, and both classes.
 */
export function checkCohortPatients(patients: readonly CohortPatient[]): { features: number; positives: number; negatives: number; segments: number } {
  if (patients.length === 0) throw new AppError('STATS_INVALID', 'there are no patients to train on');
  const seen = new Set<string>();
  const features = patients.find((p) => p.segments.length > 0)?.segments[0]?.length ?? 0;
  let positives = 0;
  let segments = 0;
  for (const p of patients) {
    if (seen.has(p.code)) throw new AppError('STATS_INVALID', `patient ${p.code} is listed twice`);
    seen.add(p.code);
    if (p.label !== 0 && p.label !== 1) throw new AppError('STATS_INVALID', `patient ${p.code} has label ${String(p.label)}, not 0 or 1`);
    if (p.segments.length === 0) throw new AppError('STATS_INVALID', `patient ${p.code} has no measured segments; leave the patient out of the cohort`);
    for (const s of p.segments) {
      if (s.length !== features) throw new AppError('STATS_INVALID', `patient ${p.code} has a segment with ${s.length} values where the others have ${features}`);
      if (!s.every((v) => Number.isFinite(v))) throw new AppError('STATS_INVALID', `patient ${p.code} has a segment with a value that is not a finite number`);
    }
    positives += p.label;
    segments += p.segments.length;
  }
  if (features === 0) throw new AppError('STATS_INVALID', 'the segments have no measures');
  const negatives = patients.length - positives;
  if (positives === 0 || negatives === 0) throw new AppError('STATS_INVALID', `training needs ASD and not-ASD patients, but all ${patients.length} are ${positives === 0 ? 'not ASD' : 'ASD'}`);
  return { features, positives, negatives, segments };
}
