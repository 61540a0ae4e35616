import { AppError } from '../../contract/errors.js';
import { normalQuantile } from './normal.js';

/**
 * Agreement beyond chance. Cohen (1960) for two raters, with the large-sample standard
 * error of Fleiss, Cohen & Everitt (1969); Fleiss (1971) for many raters.
 */
export interface CohensKappa {
  kappa: number;
  observedAgreement: number;
  expectedAgreement: number;
  /** Standard error of kappa (Fleiss, Cohen & Everitt 1969), for the confidence interval. */
  se: number;
  /** Standard error under the null hypothesis kappa = 0, for the test. */
  seNull: number;
  /** The Wald interval kappa +- z se, truncated to kappa's range [-1, 1] (statsmodels does not truncate). */
  lower: number;
  upper: number;
  n: number;
}

/** Cohen's kappa of two raters' labels (any categories) on the same items. */
export function cohensKappa<T extends string | number>(a: readonly T[], b: readonly T[], level = 0.95): CohensKappa {
  if (a.length !== b.length) throw new AppError('STATS_INVALID', 'the two raters must have rated the same items');
  const n = a.length;
  if (n === 0) throw new AppError('STATS_INVALID', 'kappa needs at least one item rated by both raters');
  const categories = [...new Set([...a, ...b])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const index = new Map(categories.map((c, i) => [c, i]));
  const k = categories.length;
  // Count whole cases and divide once: adding 1/n per case leaves rounding error, so an expected
  // agreement of exactly 1 (kappa undefined) would come out as 0.9999999999999998.
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < n; i++) counts[index.get(a[i]!)!]![index.get(b[i]!)!]! += 1;
  const rowCounts = counts.map((r) => r.reduce((s, v) => s + v, 0));
  const colCounts = categories.map((_, j) => counts.reduce((s, r) => s + r[j]!, 0));
  if (rowCounts.reduce((s, r, i) => s + r * colCounts[i]!, 0) === n * n) {
    // Expected agreement is exactly 1: both raters used one and the same category throughout.
    // Agreement is perfect but kappa is 0/0 (scikit-learn's cohen_kappa_score gives nan).
    throw new AppError('STATS_INVALID', 'kappa is undefined when both raters gave the same single answer to every item');
  }
  const table = counts.map((r) => r.map((v) => v / n));
  const rows = rowCounts.map((v) => v / n);
  const cols = colCounts.map((v) => v / n);
  const po = counts.reduce((s, r, i) => s + r[i]!, 0) / n;
  const pe = rowCounts.reduce((s, r, i) => s + r * colCounts[i]!, 0) / (n * n);
  const kappa = (po - pe) / (1 - pe);
  let sum = 0;
  for (let i = 0; i < k; i++) sum += table[i]![i]! * (1 - (rows[i]! + cols[i]!) * (1 - kappa)) ** 2;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) sum += (1 - kappa) ** 2 * table[i]![j]! * (cols[i]! + rows[j]!) ** 2;
  sum -= (kappa - pe * (1 - kappa)) ** 2;
  const se = Math.sqrt(Math.max(0, sum) / (n * (1 - pe) ** 2));
  let nullSum = pe + pe * pe;
  for (let i = 0; i < k; i++) nullSum -= rows[i]! * cols[i]! * (rows[i]! + cols[i]!);
  const seNull = Math.sqrt(Math.max(0, nullSum) / (n * (1 - pe) ** 2));
  const z = normalQuantile(1 - (1 - level) / 2);
  return { kappa, observedAgreement: po, expectedAgreement: pe, se, seNull, lower: Math.max(-1, kappa - z * se), upper: Math.min(1, kappa + z * se), n };
}

/**
 * Fleiss' kappa. `counts[i][j]` = how many raters put item i in category j; every item must
 * have the same number of ratings.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): { kappa: number; observedAgreement: number; expectedAgreement: number; items: number; raters: number } {
  const items = counts.length;
  if (items === 0) throw new AppError('STATS_INVALID', "Fleiss' kappa needs at least one item");
  const raters = counts[0]!.reduce((s, v) => s + v, 0);
  if (raters < 2) throw new AppError('STATS_INVALID', "Fleiss' kappa needs at least two ratings per item");
  for (const row of counts) {
    if (row.reduce((s, v) => s + v, 0) !== raters) throw new AppError('STATS_INVALID', "every item needs the same number of ratings for Fleiss' kappa");
  }
  const categories = counts[0]!.length;
  const pj = new Array<number>(categories).fill(0);
  let pBar = 0;
  for (const row of counts) {
    let sq = 0;
    row.forEach((v, j) => {
      sq += v * v;
      pj[j]! += v;
    });
    pBar += (sq - raters) / (raters * (raters - 1));
  }
  pBar /= items;
  const total = items * raters;
  if (pj.reduce((s, v) => s + v * v, 0) === total * total) throw new AppError('STATS_INVALID', "Fleiss' kappa is undefined when every rating falls in one category");
  const pe = pj.reduce((s, v) => s + (v / total) ** 2, 0);
  return { kappa: (pBar - pe) / (1 - pe), observedAgreement: pBar, expectedAgreement: pe, items, raters };
}
