import { AppError } from '../../contract/errors.js';

/** A binary truth or call: 1 = positive (ASD), 0 = negative. */
export type Binary = 0 | 1;

export interface ConfusionMatrix {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Counts of the four outcomes of calls against the truth (sklearn's confusion_matrix with labels [0, 1], flattened). */
export function confusionMatrix(truth: readonly Binary[], predicted: readonly Binary[]): ConfusionMatrix {
  if (truth.length !== predicted.length) throw new AppError('STATS_INVALID', `truth has ${truth.length} cases but the calls have ${predicted.length}`);
  const m = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    const p = predicted[i];
    if ((t !== 0 && t !== 1) || (p !== 0 && p !== 1)) throw new AppError('STATS_INVALID', `case ${i + 1} has truth ${String(t)} and call ${String(p)}; both must be 0 or 1`);
    if (t === 1) {
      if (p === 1) m.tp++;
      else m.fn++;
    } else if (p === 1) m.fp++;
    else m.tn++;
  }
  return m;
}

/** Calls at a threshold: score >= threshold is positive (the convention of the verdicts and of sklearn's curves). */
export function callsAt(scores: readonly number[], threshold: number): Binary[] {
  return scores.map((s) => (s >= threshold ? 1 : 0));
}
