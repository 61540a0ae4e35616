import { AppError, isAppError } from '../../contract/errors.js';
import { stratifiedGroupKFold } from '../folds/stratifiedGroupKFold.js';

/**
 * Patient-disjoint splits for the screening model's cross-validation. Every split, at every
 * nesting level, is checked by `assertPatientDisjoint` before a model is fitted on it: a
 * patient on both sides would let the model see the patient it is scored on.
 */

/** One fold of a split: the patients to fit on and the patients to predict. */
export interface PatientSplit {
  train: string[];
  test: string[];
}

/**
 * Throws (a programming error, not a user's) when a patient code is on both sides of a split.
 * `where` names the split in the message, e.g. "repeat 2, outer fold 3, inner fold 1".
 */
export function assertPatientDisjoint(train: readonly string[], test: readonly string[], where: string): void {
  const trainSet = new Set(train);
  const both = [...new Set(test)].filter((code) => trainSet.has(code));
  if (both.length > 0) {
    const shown = both.slice(0, 10).join(', ') + (both.length > 10 ? ` and ${both.length - 10} more` : '');
    throw new Error(`patient leakage at ${where}: ${both.length} patient(s) on both sides of the split (${shown})`);
  }
}

/**
 * Patient folds by stratified group k-fold: one row per patient, the label as the class and
 * the patient code as the group, shuffled with numpy's RandomState(seed) (the corrected
 * grouped shuffle of domain/folds). Folds with no test patient are left out (they do not
 * happen with at least `folds` patients, but nothing downstream needs them). The library's
 * refusals (too few patients for the folds) are re-raised as STATS_INVALID with `what` in
 * front, e.g. "the inner cross-validation of repeat 1, fold 2: ...".
 */
export function patientFolds(patients: readonly { code: string; label: 0 | 1 }[], folds: number, seed: number, what = 'the cross-validation'): PatientSplit[] {
  const codes = patients.map((p) => p.code);
  if (new Set(codes).size !== codes.length) throw new AppError('STATS_INVALID', `${what}: a patient code is listed twice`);
  let assignment;
  try {
    assignment = stratifiedGroupKFold(
      patients.map((p) => p.label),
      codes,
      folds,
      { seed },
    );
  } catch (error) {
    if (isAppError(error)) throw new AppError('STATS_INVALID', `${what}: ${error.detail}`, { cause: error });
    throw error;
  }
  const splits: PatientSplit[] = [];
  for (let f = 0; f < folds; f++) {
    const test = assignment.testIndices[f]!.map((i) => codes[i]!);
    if (test.length === 0) continue;
    const inTest = new Set(test);
    splits.push({ train: codes.filter((c) => !inTest.has(c)), test });
  }
  return splits;
}

/**
 * A seed in 0..2^32-1 derived from several whole numbers (e.g. the protocol's seed, the repeat
 * and the fold), so each inner cross-validation has its own reproducible split. A splitmix32
 * style mix; different inputs give unrelated seeds.
 */
export function deriveSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    if (!Number.isInteger(part)) throw new RangeError(`seed parts are whole numbers, not ${part}`);
    // the low and high 32 bits of the part, so large seeds are not cut
    for (const word of [part >>> 0, Math.floor(part / 4294967296) >>> 0]) {
      h = (h + word + 0x9e3779b9) >>> 0;
      h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
      h = (h ^ (h >>> 16)) >>> 0;
    }
  }
  return h;
}
