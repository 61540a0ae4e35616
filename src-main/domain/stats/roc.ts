import { AppError } from '../../contract/errors.js';
import type { Binary } from './binaryMetrics.js';
import { thresholdCounts } from './thresholdCounts.js';

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Decreasing; the first is max(score) + 1, as sklearn 1.2 reports it. */
  thresholds: number[];
}

function checkInputs(truth: readonly Binary[], scores: readonly number[]): { positives: number; negatives: number } {
  if (truth.length !== scores.length) throw new AppError('STATS_INVALID', `${truth.length} truths but ${scores.length} scores`);
  let positives = 0;
  for (let i = 0; i < truth.length; i++) {
    if (!Number.isFinite(scores[i]!)) throw new AppError('STATS_INVALID', `score ${i + 1} is not a number`);
    if (truth[i] === 1) positives++;
  }
  const negatives = truth.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new AppError('STATS_INVALID', `ROC analysis needs both classes, but only ${positives === 0 ? 'negative (non-ASD)' : 'positive (ASD)'} cases are present`);
  }
  return { positives, negatives };
}

/**
 * The ROC curve at every distinct score (sklearn's roc_curve with drop_intermediate=False):
 * ties move along the diagonal of the tie block.
 */
export function rocCurve(truth: readonly Binary[], scores: readonly number[]): RocCurve {
  const { positives, negatives } = checkInputs(truth, scores);
  const counts = thresholdCounts(truth, scores);
  const fpr = [0, ...counts.fps.map((fp) => fp / negatives)];
  const tpr = [0, ...counts.tps.map((tp) => tp / positives)];
  const thresholds = [counts.thresholds[0]! + 1, ...counts.thresholds];
  return { fpr, tpr, thresholds };
}

/** Area under the ROC curve = P(score of a positive > score of a negative) + 0.5 P(tie). */
export function auroc(truth: readonly Binary[], scores: readonly number[]): number {
  const { fpr, tpr } = rocCurve(truth, scores);
  let area = 0;
  for (let i = 1; i < fpr.length; i++) area += ((fpr[i]! - fpr[i - 1]!) * (tpr[i]! + tpr[i - 1]!)) / 2;
  return area;
}

/** The threshold maximising Youden's J = sensitivity + specificity - 1 (the first, highest, on ties). */
export function youdenThreshold(truth: readonly Binary[], scores: readonly number[]): { threshold: number; j: number; sensitivity: number; specificity: number } {
  const { fpr, tpr, thresholds } = rocCurve(truth, scores);
  let best = 1;
  for (let i = 2; i < fpr.length; i++) if (tpr[i]! - fpr[i]! > tpr[best]! - fpr[best]!) best = i;
  return { threshold: thresholds[best]!, j: tpr[best]! - fpr[best]!, sensitivity: tpr[best]!, specificity: 1 - fpr[best]! };
}
