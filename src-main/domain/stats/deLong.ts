import { AppError } from '../../contract/errors.js';
import type { Binary } from './binaryMetrics.js';
import { normalQuantile, twoSidedNormalP } from './normal.js';

/**
 * DeLong, DeLong & Clarke-Pearson (1988): the AUC as a Mann-Whitney statistic and its
 * variance from the structural components (placement values) of positives and negatives.
 * Orientation: higher scores mean positive (pROC's direction "<", controls < cases).
 */
export interface Placements {
  auc: number;
  /** V10: for each positive, the fraction of negatives it outranks (ties 1/2). */
  positives: number[];
  /** V01: for each negative, the fraction of positives that outrank it (ties 1/2). */
  negatives: number[];
}

const psi = (positive: number, negative: number) => (positive > negative ? 1 : positive === negative ? 0.5 : 0);

export function placements(truth: readonly Binary[], scores: readonly number[]): Placements {
  if (truth.length !== scores.length) throw new AppError('STATS_INVALID', `${truth.length} truths but ${scores.length} scores`);
  const pos: number[] = [];
  const neg: number[] = [];
  truth.forEach((t, i) => (t === 1 ? pos : neg).push(scores[i]!));
  if (pos.length === 0 || neg.length === 0) throw new AppError('STATS_INVALID', 'the AUROC needs both positive (ASD) and negative cases');
  // O(n log n): sort negatives, count below and equal by binary search.
  const sortedNeg = [...neg].sort((a, b) => a - b);
  const sortedPos = [...pos].sort((a, b) => a - b);
  const countBelow = (sorted: number[], x: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const countAtMost = (sorted: number[], x: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const v10 = pos.map((x) => {
    const below = countBelow(sortedNeg, x);
    const equal = countAtMost(sortedNeg, x) - below;
    return (below + equal / 2) / neg.length;
  });
  const v01 = neg.map((y) => {
    const above = pos.length - countAtMost(sortedPos, y);
    const equal = countAtMost(sortedPos, y) - countBelow(sortedPos, y);
    return (above + equal / 2) / pos.length;
  });
  const auc = v10.reduce((s, v) => s + v, 0) / v10.length;
  return { auc, positives: v10, negatives: v01 };
}

function covariance(a: number[], b: number[]): number {
  if (a.length < 2) return 0;
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - ma) * (b[i]! - mb);
  return sum / (a.length - 1);
}

export function deLongVariance(p: Placements): number {
  return covariance(p.positives, p.positives) / p.positives.length + covariance(p.negatives, p.negatives) / p.negatives.length;
}

export interface AucWithCi {
  auc: number;
  variance: number;
  lower: number;
  upper: number;
  level: number;
}

/** AUC with DeLong's confidence interval (normal on the AUC scale, clipped to 0..1, as pROC's ci.auc). */
export function deLongCi(truth: readonly Binary[], scores: readonly number[], level = 0.95): AucWithCi {
  const p = placements(truth, scores);
  const variance = deLongVariance(p);
  const z = normalQuantile(1 - (1 - level) / 2);
  const half = z * Math.sqrt(variance);
  return { auc: p.auc, variance, lower: Math.max(0, p.auc - half), upper: Math.min(1, p.auc + half), level };
}

export interface PairedAucTest {
  auc1: number;
  auc2: number;
  difference: number;
  /** Standard error of the difference. */
  se: number;
  z: number;
  p: number;
  n: number;
}

/**
 * DeLong's test of two correlated AUCs measured on the same cases (pROC roc.test with
 * method "delong", paired). When the difference has zero variance (identical rankings) the
 * test is undefined: z = 0 and p = 1 are reported with se = 0.
 */
export function deLongPairedTest(truth: readonly Binary[], scores1: readonly number[], scores2: readonly number[]): PairedAucTest {
  if (scores1.length !== scores2.length) throw new AppError('STATS_INVALID', 'the two score lists must cover the same cases');
  const a = placements(truth, scores1);
  const b = placements(truth, scores2);
  const m = a.positives.length;
  const n = a.negatives.length;
  const variance =
    (covariance(a.positives, a.positives) + covariance(b.positives, b.positives) - 2 * covariance(a.positives, b.positives)) / m +
    (covariance(a.negatives, a.negatives) + covariance(b.negatives, b.negatives) - 2 * covariance(a.negatives, b.negatives)) / n;
  const difference = a.auc - b.auc;
  const se = Math.sqrt(Math.max(0, variance));
  if (se === 0) return { auc1: a.auc, auc2: b.auc, difference, se: 0, z: 0, p: 1, n: truth.length };
  const z = difference / se;
  return { auc1: a.auc, auc2: b.auc, difference, se, z, p: twoSidedNormalP(z), n: truth.length };
}
