import { normalQuantile, normalUpper } from './normal.js';

/**
 * Student t, F and chi-square distributions for any positive (also non-integer) degrees of
 * freedom, as needed for Hillis' approximate degrees of freedom (e.g. 15.26). Absolute error
 * below 1e-12 against R's pt, qt, pf and pchisq for df from 0.7 to 5000 (the log-gamma of large
 * arguments limits it; tools/stats/make_mrmc_fixtures.R has the grid).
 *
 * - t and F through the regularized incomplete beta I_x(a, b), evaluated by its continued
 *   fraction (modified Lentz), on whichever of x and 1 - x converges fast; both are passed in
 *   so that neither is formed as 1 - the other.
 * - chi-square through the regularized incomplete gamma (series below x < a + 1, continued
 *   fraction above).
 * - t quantile by Newton steps on the CDF inside a bracket that bisection keeps valid.
 * Infinite degrees of freedom give the limits (normal, chi-square / df).
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Gamma(x) for x > 0 (Lanczos, g = 7; relative error about 1e-15). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, not ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const logBeta = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);

const TINY = 1e-300;
const EPS = 4e-16; // two ulps of 1: a step closer to 1 than that changes nothing

/** The continued fraction of I_x(a, b) (Numerical Recipes' betacf), modified Lentz. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < TINY ? TINY : d);
  let f = d;
  const step = (coefficient: number) => {
    d = 1 + coefficient * d;
    d = 1 / (Math.abs(d) < TINY ? TINY : d);
    c = 1 + coefficient / c;
    c = Math.abs(c) < TINY ? TINY : c;
    const delta = c * d;
    f *= delta;
    return delta;
  };
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    step((m * (b - m) * x) / ((a + m2 - 1) * (a + m2)));
    const delta = step((-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)));
    if (Math.abs(delta - 1) < EPS) break;
  }
  return f;
}

/**
 * The regularized incomplete beta I_x(a, b) = P(X <= x) for X ~ Beta(a, b); `y` is 1 - x,
 * given separately when the caller knows it more precisely than 1 - x.
 */
export function regularizedBeta(x: number, a: number, b: number, y = 1 - x): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`regularizedBeta needs a, b > 0 (a ${a}, b ${b})`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`regularizedBeta needs 0 <= x <= 1, not ${x}`);
  if (x === 0) return 0;
  if (y === 0) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log(y) - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

/** The regularized upper incomplete gamma Q(a, x) = P(G > x) for G ~ Gamma(a, 1). */
export function regularizedGammaUpper(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`regularizedGammaUpper needs a > 0, not ${a}`);
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  const front = Math.exp(a * Math.log(x) - x - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * EPS; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - front * sum;
  }
  // Legendre's continued fraction, modified Lentz
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let f = d;
  for (let n = 1; n <= 10_000; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    d = 1 / (Math.abs(d) < TINY ? TINY : d);
    c = b + an / c;
    c = Math.abs(c) < TINY ? TINY : c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return front * f;
}

function requireDf(df: number, name = 'degrees of freedom'): void {
  if (!(df > 0)) throw new RangeError(`the ${name} must be positive, not ${df}`);
}

/** P(T > t) for t >= 0: I_{df/(df+t^2)}(df/2, 1/2) / 2. */
function tUpperNonNegative(t: number, df: number): number {
  if (df === Infinity) return normalUpper(t);
  if (t === Infinity) return 0;
  const t2 = t * t;
  return 0.5 * regularizedBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
}

/** P(T <= t) for Student's t with `df` degrees of freedom (df > 0, may be non-integer or Infinity). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t)) throw new RangeError('studentTCdf of NaN');
  requireDf(df);
  return t >= 0 ? 1 - tUpperNonNegative(t, df) : tUpperNonNegative(-t, df);
}

/** P(T > t), precise in the upper tail. */
export function studentTUpper(t: number, df: number): number {
  if (Number.isNaN(t)) throw new RangeError('studentTUpper of NaN');
  requireDf(df);
  return t >= 0 ? tUpperNonNegative(t, df) : 1 - tUpperNonNegative(-t, df);
}

/** Two-sided p-value of a t statistic, 2 P(T > |t|). */
export function twoSidedTP(t: number, df: number): number {
  if (Number.isNaN(t)) throw new RangeError('twoSidedTP of NaN');
  requireDf(df);
  return Math.min(1, 2 * tUpperNonNegative(Math.abs(t), df));
}

function tDensity(t: number, df: number): number {
  return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * The Student t quantile: the t with P(T <= t) = p. Upper-half probabilities use the
 * symmetry t(p) = -t(1 - p), exact for p >= 1/2.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability ${p} is outside 0..1`);
  requireDf(df);
  if (df === Infinity) return normalQuantile(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p > 0.5) return -lowerTQuantile(1 - p, df);
  return lowerTQuantile(p, df);
}

/** The quantile for 0 < p < 1/2 (negative): safeguarded Newton on the lower tail. */
function lowerTQuantile(p: number, df: number): number {
  const lowerTail = (t: number) => tUpperNonNegative(-t, df); // P(T <= t) for t <= 0
  let hi = 0; // lowerTail(hi) > p
  let lo = Math.min(-1, normalQuantile(p));
  while (lowerTail(lo) > p) {
    hi = lo;
    lo *= 2;
    if (!Number.isFinite(lo)) return -Infinity;
  }
  let t = lo;
  for (let i = 0; i < 200; i++) {
    const excess = lowerTail(t) - p;
    if (excess === 0) return t;
    if (excess > 0) hi = t;
    else lo = t;
    const density = tDensity(t, df);
    let next = density > 0 ? t - excess / density : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-15 * Math.abs(t) || hi - lo <= 1e-15 * Math.abs(lo)) return next;
    t = next;
  }
  return t;
}

/** P(X > x) for X ~ chi-square with `df` degrees of freedom. */
export function chiSquareUpper(x: number, df: number): number {
  if (Number.isNaN(x)) throw new RangeError('chiSquareUpper of NaN');
  requireDf(df);
  return regularizedGammaUpper(df / 2, x / 2);
}

/**
 * P(F > f) for F with (df1, df2) degrees of freedom (both positive, non-integer allowed;
 * df2 = Infinity gives the chi-square limit P(chi2_df1 > df1 f)).
 */
export function fUpper(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f)) throw new RangeError('fUpper of NaN');
  requireDf(df1, 'numerator degrees of freedom');
  requireDf(df2, 'denominator degrees of freedom');
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  if (df2 === Infinity) return chiSquareUpper(df1 * f, df1);
  const denominator = df2 + df1 * f;
  return regularizedBeta(df2 / denominator, df2 / 2, df1 / 2, (df1 * f) / denominator);
}

/** P(F <= f). */
export function fCdf(f: number, df1: number, df2: number): number {
  return 1 - fUpper(f, df1, df2);
}
