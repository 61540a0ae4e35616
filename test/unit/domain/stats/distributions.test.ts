import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chiSquareUpper, fCdf, fUpper, studentTCdf, studentTQuantile, studentTUpper, twoSidedTP } from '../../../../src-main/domain/stats/distributions.js';
import { chiSquare1P, normalCdf, normalQuantile } from '../../../../src-main/domain/stats/normal.js';

const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../fixtures/stats/mrmc_fixtures.json'), 'utf8')) as {
  distributions: {
    t: Array<{ t: number; df: number; lower: number; upper: number }>;
    qt: Array<{ p: number; df: number; q: number; rRelativeError: number }>;
    fUpper: Array<{ f: number; df1: number; df2: number; upper: number }>;
    chiSquareUpper: Array<{ x: number; df: number; upper: number }>;
  };
};
const d = fixture.distributions;

/** Probabilities: within 1e-10 absolute, and tail values below 1e-6 within 1e-9 relative. */
function expectClose(actual: number, expected: number, label: string) {
  const tolerance = Math.abs(expected) < 1e-6 ? 1e-9 * Math.abs(expected) : 1e-10;
  expect(Math.abs(actual - expected), `${label}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('Student t, F and chi-square against R (pt, qt, pf, pchisq; tools/stats/make_mrmc_fixtures.R)', () => {
  it(`t CDF and upper tail, ${d.t.length} points, integer and non-integer df`, () => {
    for (const x of d.t) {
      expectClose(studentTCdf(x.t, x.df), x.lower, `pt(${x.t}, ${x.df})`);
      expectClose(studentTUpper(x.t, x.df), x.upper, `pt(${x.t}, ${x.df}, lower = FALSE)`);
    }
  });

  it(`t quantile, ${d.qt.length} points (where R's qt itself misses, it inverts the t CDF)`, () => {
    const approximateInR = d.qt.filter((x) => x.rRelativeError > 1e-12);
    expect(approximateInR.map((x) => `${x.p}, ${x.df}`)).toEqual(['0.999999999, 0.7']);
    for (const x of d.qt) {
      const q = studentTQuantile(x.p, x.df);
      if (x.rRelativeError <= 1e-12) expect(Math.abs(q - x.q), `qt(${x.p}, ${x.df})`).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(x.q)));
      const tail = Math.min(x.p, 1 - x.p);
      const ours = x.p < 0.5 ? studentTCdf(q, x.df) : studentTUpper(q, x.df);
      expect(Math.abs(ours - tail) / tail, `pt(qt(${x.p}, ${x.df}))`).toBeLessThanOrEqual(1e-12);
    }
  });

  it(`F upper tail, ${d.fUpper.length} points`, () => {
    for (const x of d.fUpper) {
      expectClose(fUpper(x.f, x.df1, x.df2), x.upper, `pf(${x.f}, ${x.df1}, ${x.df2}, lower = FALSE)`);
      expectClose(fCdf(x.f, x.df1, x.df2), 1 - x.upper, `pf(${x.f}, ${x.df1}, ${x.df2})`);
    }
  });

  it(`chi-square upper tail, ${d.chiSquareUpper.length} points`, () => {
    for (const x of d.chiSquareUpper) expectClose(chiSquareUpper(x.x, x.df), x.upper, `pchisq(${x.x}, ${x.df}, lower = FALSE)`);
  });

  it('reaches the limits: infinite df is the normal, F(1, df) is t squared, chi-square(1) agrees with chiSquare1P', () => {
    expect(studentTCdf(1.3, Infinity)).toBe(normalCdf(1.3));
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
    expect(fUpper(5.2, 1, 15.26)).toBeCloseTo(twoSidedTP(Math.sqrt(5.2), 15.26), 14);
    expect(fUpper(5.2, 3, Infinity)).toBeCloseTo(chiSquareUpper(15.6, 3), 14);
    for (const x of [0.2, 1, 3.84, 30]) expect(chiSquareUpper(x, 1)).toBeCloseTo(chiSquare1P(x), 14);
    expect(studentTQuantile(0, 4)).toBe(-Infinity);
    expect(studentTQuantile(1, 4)).toBe(Infinity);
    expect(studentTQuantile(0.5, 4)).toBe(0);
    expect(fUpper(0, 2, 3)).toBe(1);
  });

  it('refuses what has no value', () => {
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
    expect(() => studentTCdf(Number.NaN, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(1.2, 3)).toThrow(RangeError);
    expect(() => fUpper(1, 2, -1)).toThrow(RangeError);
  });
});
