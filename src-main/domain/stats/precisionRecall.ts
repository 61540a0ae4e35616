import { AppError } from '../../contract/errors.js';
import type { Binary } from './confusionMatrix.js';
import { thresholdCounts } from './thresholdCounts.js';

export interface PrCurve {
  /** As sklearn's precision_recall_curve: thresholds increasing, recall decreasing, ending at precision 1, recall 0. */
  precision: number[];
  recall: number[];
  thresholds: number[];
}

export function precisionRecallCurve(truth: readonly Binary[], scores: readonly number[]): PrCurve {
  const positives = truth.filter((t) => t === 1).length;
  if (positives === 0) throw new AppError('STATS_INVALID', 'a precision-recall curve needs at least one positive (ASD) case');
  const { tps, fps, thresholds } = thresholdCounts(truth, scores);
  // every distinct score, lowest threshold first (sklearn >= 1.1 keeps thresholds past full recall)
  const last = tps.length - 1;
  const precision: number[] = [];
  const recall: number[] = [];
  const kept: number[] = [];
  for (let i = last; i >= 0; i--) {
    precision.push(tps[i]! / (tps[i]! + fps[i]!));
    recall.push(tps[i]! / positives);
    kept.push(thresholds[i]!);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds: kept };
}

/** Average precision: sum over thresholds of (R_n - R_{n-1}) P_n (sklearn's step-wise definition). */
export function averagePrecision(truth: readonly Binary[], scores: readonly number[]): number {
  const { precision, recall } = precisionRecallCurve(truth, scores);
  let ap = 0;
  for (let i = 0; i < recall.length - 1; i++) ap -= (recall[i + 1]! - recall[i]!) * precision[i]!;
  return ap;
}
