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

/** McNemar on two raters' calls over the same cases (1 = positive). */
export function mcNemarOnCalls(callsA: readonly (0 | 1)[], callsB: readonly (0 | 1)[]): McNemarResult {
  let b = 0;
  let c = 0;
  for (let i = 0; i < callsA.length; i++) {
    if (callsA[i] === 1 && callsB[i] === 0) b++;
    else if (callsA[i] === 0 && callsB[i] === 1) c++;
  }
  return mcNemar(b, c);
}
