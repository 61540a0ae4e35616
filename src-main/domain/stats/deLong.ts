import { AppError } from '../../contract/errors.js';
import type { Binary } from './confusionMatrix.js';
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

/** DeLong's structural components need two cases of each class for their sample variances. */
function requireTwoPerClass(p: Placements): void {
  if (p.positives.length < 2 || p.negatives.length < 2) {
    throw new AppError('STATS_INVALID', `DeLong's variance needs at least 2 positive and 2 negative cases (there are ${p.positives.length} and ${p.negatives.length})`);
  }
}

/** Var(AUC) = S10/m + S01/n with the sample variances of the placement values (pROC's var(method="delong")). */
export function deLongVariance(p: Placements): number {
  requireTwoPerClass(p);
  return covariance(p.positives, p.positives) / p.positives.length + covariance(p.negatives, p.negatives) / p.negatives.length;
}

export interface AucWithCi {
  auc: number;
  variance: number;
  lower: number;
  upper: number;
  level: number;
}

/**
 * AUC with DeLong's confidence interval: normal on the AUC scale, clipped to 0..1, as pROC's
 * ci.auc(method = "delong"). All scores tied gives AUC 0.5 with variance 0 (the interval is
 * the point). Throws STATS_INVALID with fewer than 2 cases of either class.
 */
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
 * method "delong", paired = TRUE): z = (AUC1 - AUC2) / sqrt(L S L'), two-sided normal p.
 * When the difference has zero variance and the AUCs are equal (e.g. the same ranking twice)
 * z = 0 and p = 1, as pROC reports. Zero variance with unequal AUCs (pROC: z = ±Inf, p = 0;
 * e.g. a perfect rater against one who gave every case the same score) has no finite
 * statistic and throws STATS_INVALID with that reason, as do fewer than 2 cases per class.
 */
export function deLongPairedTest(truth: readonly Binary[], scores1: readonly number[], scores2: readonly number[]): PairedAucTest {
  if (scores1.length !== scores2.length) throw new AppError('STATS_INVALID', 'the two score lists must cover the same cases');
  const a = placements(truth, scores1);
  const b = placements(truth, scores2);
  requireTwoPerClass(a);
  const m = a.positives.length;
  const n = a.negatives.length;
  const variance =
    (covariance(a.positives, a.positives) + covariance(b.positives, b.positives) - 2 * covariance(a.positives, b.positives)) / m +
    (covariance(a.negatives, a.negatives) + covariance(b.negatives, b.negatives) - 2 * covariance(a.negatives, b.negatives)) / n;
  const difference = a.auc - b.auc;
  const se = Math.sqrt(Math.max(0, variance));
  if (se === 0) {
    if (difference === 0) return { auc1: a.auc, auc2: b.auc, difference, se: 0, z: 0, p: 1, n: truth.length };
    throw new AppError('STATS_INVALID', `the AUROCs differ (${a.auc} and ${b.auc}) but the difference has zero variance, so DeLong's z is infinite; this happens when each rater ranks every case the same way relative to the other class (e.g. one perfect, one constant)`);
  }
  const z = difference / se;
  return { auc1: a.auc, auc2: b.auc, difference, se, z, p: twoSidedNormalP(z), n: truth.length };
}
