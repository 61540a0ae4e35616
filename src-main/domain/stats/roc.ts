import { AppError } from '../../contract/errors.js';
import type { Binary } from './confusionMatrix.js';
import { thresholdCounts } from './thresholdCounts.js';

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Decreasing; the first is max(score) + 1 (no case called positive), as sklearn 1.2 reports it. */
  thresholds: number[];
}

export interface RocOptions {
  /**
   * false (default): a point at every distinct score, sklearn's roc_curve(drop_intermediate=False).
   * true: drop points on straight segments, sklearn's default roc_curve(drop_intermediate=True).
   */
  dropIntermediate?: boolean;
}

/** Checks the inputs of a ROC analysis and counts the classes; refuses one class, unequal lengths and non-numbers. */
export function rocClassCounts(truth: readonly Binary[], scores: readonly number[]): { positives: number; negatives: number } {
  if (truth.length !== scores.length) throw new AppError('STATS_INVALID', `${truth.length} truths but ${scores.length} scores`);
  let positives = 0;
  for (let i = 0; i < truth.length; i++) {
    if (!Number.isFinite(scores[i])) throw new AppError('STATS_INVALID', `score ${i + 1} is not a number`);
    if (truth[i] !== 0 && truth[i] !== 1) throw new AppError('STATS_INVALID', `truth ${i + 1} is ${String(truth[i])}, not 0 or 1`);
    if (truth[i] === 1) positives++;
  }
  const negatives = truth.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new AppError('STATS_INVALID', `ROC analysis needs both classes, but only ${positives === 0 ? 'negative (non-ASD)' : 'positive (ASD)'} cases are present`);
  }
  return { positives, negatives };
}

/**
 * The ROC curve (sklearn's roc_curve). Tied scores form one step, so a block of ties moves
 * along its diagonal. Score >= threshold is called positive.
 */
export function rocCurve(truth: readonly Binary[], scores: readonly number[], options: RocOptions = {}): RocCurve {
  const { positives, negatives } = rocClassCounts(truth, scores);
  let { tps, fps, thresholds } = thresholdCounts(truth, scores);
  if (options.dropIntermediate && fps.length > 2) {
    // keep the ends and every point where the curve bends (a non-zero second difference)
    const keep = fps.map((_, i) => i === 0 || i === fps.length - 1 || fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0 || tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0);
    tps = tps.filter((_, i) => keep[i]);
    fps = fps.filter((_, i) => keep[i]);
    thresholds = thresholds.filter((_, i) => keep[i]);
  }
  return {
    fpr: [0, ...fps.map((fp) => fp / negatives)],
    tpr: [0, ...tps.map((tp) => tp / positives)],
    thresholds: [thresholds[0]! + 1, ...thresholds],
  };
}

/**
 * Area under the ROC curve as the Mann-Whitney statistic: P(score of a positive > score of a
 * negative) + 0.5 P(tie), from mid-ranks (one rounding only). All scores tied gives 0.5.
 * Throws STATS_INVALID when one class is missing (the AUROC is undefined).
 */
export function auroc(truth: readonly Binary[], scores: readonly number[]): number {
  const { positives, negatives } = rocClassCounts(truth, scores);
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPositives = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && scores[order[end]!] === scores[order[start]!]) end++;
    const midRank = (start + 1 + end) / 2; // ranks start+1..end share their mean
    for (let k = start; k < end; k++) if (truth[order[k]!] === 1) rankSumPositives += midRank;
    start = end;
  }
  const u = rankSumPositives - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

/** Area under the ROC curve by the trapezoid rule on the curve's points (sklearn's roc_auc_score way). */
export function trapezoidArea(curve: { fpr: readonly number[]; tpr: readonly number[] }): number {
  let area = 0;
  for (let i = 1; i < curve.fpr.length; i++) area += ((curve.fpr[i]! - curve.fpr[i - 1]!) * (curve.tpr[i]! + curve.tpr[i - 1]!)) / 2;
  return area;
}
