import { AppError } from '../../contract/errors.js';

/**
 * The binomial distribution and the exact binomial test as R's binom.test computes it.
 * Probabilities come from a log-space recurrence over k with compensated summation, so they
 * keep about 1e-14 relative precision for n up to many thousands.
 */

/** P(X = k) for k = 0..n, X ~ Binomial(n, p). */
export function binomialPmfs(n: number, p: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new AppError('STATS_INVALID', `a binomial count must be a whole number of 0 or more, not ${n}`);
  if (!(p >= 0 && p <= 1)) throw new AppError('STATS_INVALID', `a binomial probability must be in 0..1, not ${p}`);
  if (p === 0 || p === 1) return Array.from({ length: n + 1 }, (_, k) => ((p === 0 ? k === 0 : k === n) ? 1 : 0));
  const logRatio = Math.log(p) - Math.log1p(-p);
  const out = new Array<number>(n + 1);
  // log P(X = k) = n log(1 - p) + sum_{i < k} [log(n - i) - log(i + 1) + log(p / (1 - p))], summed with Kahan's compensation
  let sum = n * Math.log1p(-p);
  let carry = 0;
  out[0] = Math.exp(sum);
  for (let k = 0; k < n; k++) {
    const term = Math.log(n - k) - Math.log(k + 1) + logRatio - carry;
    const next = sum + term;
    carry = next - sum - term;
    sum = next;
    out[k + 1] = Math.exp(sum);
  }
  return out;
}

/**
 * Two-sided exact binomial test of H0: P(success) = p (R's binom.test): the probability of
 * every outcome no more likely than the one observed (with R's relative tolerance 1e-7).
 */
export function binomialTestTwoSided(successes: number, n: number, p = 0.5): number {
  if (!Number.isInteger(successes) || successes < 0 || successes > n) throw new AppError('STATS_INVALID', `${successes} successes out of ${n} is not a binomial outcome`);
  if (n === 0) return 1;
  const pmf = binomialPmfs(n, p);
  const observed = pmf[successes]! * (1 + 1e-7);
  const mean = n * p;
  if (successes === mean) return 1;
  // the observed tail counts whole; beyond the mean, the outcomes at most as likely as the observed one
  let total = 0;
  if (successes < mean) {
    for (let k = 0; k <= successes; k++) total += pmf[k]!;
    for (let k = Math.ceil(mean); k <= n; k++) if (pmf[k]! <= observed) total += pmf[k]!;
  } else {
    for (let k = successes; k <= n; k++) total += pmf[k]!;
    for (let k = 0; k <= Math.floor(mean); k++) if (pmf[k]! <= observed) total += pmf[k]!;
  }
  return Math.min(1, total);
}
