import { AppError } from '../../contract/errors.js';
import { binomialTestTwoSided } from './binomial.js';
import { chiSquare1P } from './normal.js';

/**
 * McNemar (1947) for paired binary calls on the same cases: only the discordant pairs count.
 * b = cases A called positive and B negative, c = the reverse (for a test of correctness,
 * pass b = A right and B wrong, c = the reverse). Never NaN: no discordant pairs give p = 1.
 */
export interface McNemarResult {
  b: number;
  c: number;
  /** Chi-square with Edwards' continuity correction, (|b-c|-1)^2/(b+c), as R's mcnemar.test. */
  statistic: number;
  pCorrected: number;
  /** Without continuity correction, (b-c)^2/(b+c). */
  statisticUncorrected: number;
  pUncorrected: number;
  /** Exact two-sided binomial test of b against Bin(b+c, 1/2). */
  pExact: number;
}

/** Exact two-sided McNemar: b against Binomial(b + c, 1/2) (R: binom.test(b, b + c, 0.5)). */
export function exactBinomialTwoSided(b: number, c: number): number {
  return binomialTestTwoSided(b, b + c, 0.5);
}

export function mcNemar(b: number, c: number): McNemarResult {
  const n = b + c;
  if (n === 0) return { b, c, statistic: 0, pCorrected: 1, statisticUncorrected: 0, pUncorrected: 1, pExact: 1 };
  // As R's mcnemar.test: the correction is not applied when b = c (statistic 0, p = 1).
  const statistic = Math.max(0, Math.abs(b - c) - 1) ** 2 / n;
  const statisticUncorrected = (b - c) ** 2 / n;
  return { b, c, statistic, pCorrected: chiSquare1P(statistic), statisticUncorrected, pUncorrected: chiSquare1P(statisticUncorrected), pExact: exactBinomialTwoSided(b, c) };
}

/**
 * McNemar on correctness: is one rater right more often than the other on the same cases?
 * A case counts for A when A's call equals the truth. Pass every common case for accuracy,
 * only the positives for sensitivity, only the negatives for specificity.
 * (Counting cases where one called positive and the other negative tests whether the raters
 * call positive equally often, which is a different question.)
 */
export interface CorrectnessMcNemar extends Omit<McNemarResult, 'b' | 'c'> {
  /** Cases compared. */
  cases: number;
  /** Cases each rater got right. */
  aCorrect: number;
  bCorrect: number;
  /** The discordant pairs: McNemar's b and c. */
  aRightBWrong: number;
  aWrongBRight: number;
}

export function mcNemarOnCorrectness(truth: readonly (0 | 1)[], callsA: readonly (0 | 1)[], callsB: readonly (0 | 1)[]): CorrectnessMcNemar {
  if (callsA.length !== truth.length || callsB.length !== truth.length) throw new AppError('STATS_INVALID', 'McNemar needs both raters\' calls on the same cases');
  let aCorrect = 0;
  let bCorrect = 0;
  let aRightBWrong = 0;
  let aWrongBRight = 0;
  for (let i = 0; i < truth.length; i++) {
    const aRight = callsA[i] === truth[i];
    const bRight = callsB[i] === truth[i];
    if (aRight) aCorrect++;
    if (bRight) bCorrect++;
    if (aRight && !bRight) aRightBWrong++;
    else if (!aRight && bRight) aWrongBRight++;
  }
  const t = mcNemar(aRightBWrong, aWrongBRight);
  return {
    cases: truth.length,
    aCorrect,
    bCorrect,
    aRightBWrong,
    aWrongBRight,
    statistic: t.statistic,
    pCorrected: t.pCorrected,
    statisticUncorrected: t.statisticUncorrected,
    pUncorrected: t.pUncorrected,
    pExact: t.pExact,
  };
}
