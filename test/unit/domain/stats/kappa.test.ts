import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cohensKappa, fleissKappa } from '../../../../src-main/domain/stats/kappa.js';

const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../fixtures/stats/sklearn_cases.json'), 'utf8')) as { fleiss: { table: number[][]; kappa: number } };

/** Two raters' labels from a 2x2 table [[a00, a01], [a10, a11]] (rows: rater A, columns: rater B). */
function fromTable(table: number[][]): { a: number[]; b: number[] } {
  const a: number[] = [];
  const b: number[] = [];
  table.forEach((row, i) =>
    row.forEach((count, j) => {
      for (let k = 0; k < count; k++) {
        a.push(i);
        b.push(j);
      }
    }),
  );
  return { a, b };
}

describe("Cohen's kappa with its standard error", () => {
  it('on a 2x2 table, against statsmodels cohens_kappa([[15, 10], [5, 20]])', () => {
    // kappa 0.4, std_kappa 0.12699606293110033, std_kappa0 0.13856406460551018, CI 0.151092290476661 .. 0.6489077095233389
    const { a, b } = fromTable([
      [15, 10],
      [5, 20],
    ]);
    const k = cohensKappa(a, b);
    expect(k.kappa).toBeCloseTo(0.4, 14);
    expect(k.observedAgreement).toBeCloseTo(0.7, 14);
    expect(k.expectedAgreement).toBeCloseTo(0.5, 14);
    expect(k.se).toBeCloseTo(0.12699606293110033, 14);
    expect(k.seNull).toBeCloseTo(0.13856406460551018, 14);
    expect(k.lower).toBeCloseTo(0.151092290476661, 12);
    expect(k.upper).toBeCloseTo(0.6489077095233389, 12);
  });

  it('by hand on a 3-category table (po = 0.6, pe = 0.34, kappa = 0.26/0.66)', () => {
    // A: 20 x cat0, 15 x cat1, 15 x cat2 ... rows sum to 20,15,15 and columns to 15,20,15 of 50
    const { a, b } = fromTable([
      [12, 5, 3],
      [2, 10, 3],
      [1, 5, 9],
    ]);
    const k = cohensKappa(a, b);
    const po = (12 + 10 + 9) / 50;
    const pe = (20 * 15 + 15 * 20 + 15 * 15) / 2500;
    expect(k.observedAgreement).toBeCloseTo(po, 15);
    expect(k.expectedAgreement).toBeCloseTo(pe, 15);
    expect(k.kappa).toBeCloseTo((po - pe) / (1 - pe), 14);
  });

  it('is refused, not NaN, when both raters always gave the same single answer', () => {
    expect(() => cohensKappa([1, 1, 1], [1, 1, 1])).toThrow(/undefined/);
    expect(() => cohensKappa([], [])).toThrow(/at least one item/);
    expect(() => cohensKappa([0, 1], [0])).toThrow(/same items/);
  });

  it('is refused at every n when both raters gave one call to every case (sklearn: nan), not 0.5 from rounding', () => {
    // Adding 1/n per case once made pe 0.9999999999999998 at n = 10 and reported kappa 0.5 (CI 0.4999999967 to 0.5000000033 at n = 40).
    for (const n of [1, 3, 10, 40, 49, 100, 1000]) {
      expect(() => cohensKappa(new Array<number>(n).fill(1), new Array<number>(n).fill(1)), `n = ${n}`).toThrow(/undefined when both raters gave the same single answer/);
      expect(() => cohensKappa(new Array<number>(n).fill(0), new Array<number>(n).fill(0)), `n = ${n}`).toThrow(/undefined/);
    }
  });

  it('perfect agreement over both categories is exactly 1, and proportions are exact counts over n', () => {
    const labels = Array.from({ length: 10 }, (_, i) => i % 3);
    const k = cohensKappa(labels, labels);
    expect(k.kappa).toBe(1);
    expect(k.observedAgreement).toBe(1);
    expect(k.expectedAgreement).toBe((4 * 4 + 3 * 3 + 3 * 3) / 100);
  });

  it('one rater constant: kappa 0 with standard error 0, no NaN', () => {
    const k = cohensKappa([0, 0, 0, 0], [0, 1, 0, 1]);
    expect(k.kappa).toBe(0);
    expect(Number.isNaN(k.se)).toBe(false);
  });
});

describe("Fleiss' kappa", () => {
  const counts = fixture.fleiss.table;
  it('reproduces the worked example (10 subjects, 14 raters, 5 categories) by hand: kappa = 0.210', () => {
    const items = counts.length;
    const raters = 14;
    // P_i = (sum_j n_ij^2 - n) / (n (n - 1)); P-bar is their mean
    const pBar = counts.reduce((s, row) => s + (row.reduce((t, v) => t + v * v, 0) - raters) / (raters * (raters - 1)), 0) / items;
    // p_j = column total / (N n): 20, 28, 39, 21, 32 of 140
    const columnTotals = [0, 1, 2, 3, 4].map((j) => counts.reduce((s, row) => s + row[j]!, 0));
    expect(columnTotals).toEqual([20, 28, 39, 21, 32]);
    const pe = columnTotals.reduce((s, t) => s + (t / 140) ** 2, 0);
    const f = fleissKappa(counts);
    expect(pBar).toBeCloseTo(0.378021978, 8);
    expect(f.observedAgreement).toBeCloseTo(pBar, 15);
    expect(f.expectedAgreement).toBeCloseTo(4170 / 19600, 15);
    expect(f.expectedAgreement).toBeCloseTo(pe, 15);
    expect(f.kappa).toBeCloseTo((pBar - pe) / (1 - pe), 15);
    expect(f.kappa.toFixed(3)).toBe('0.210');
    expect(Math.abs(f.kappa - fixture.fleiss.kappa)).toBeLessThanOrEqual(1e-12); // statsmodels fleiss_kappa
  });
  it('equals Cohen-like agreement: two raters who always agree give 1', () => {
    expect(fleissKappa([[2, 0], [0, 2], [2, 0]]).kappa).toBe(1);
  });
  it('refuses items with different numbers of ratings, and a single category throughout', () => {
    expect(() => fleissKappa([[1, 1], [2, 1]])).toThrow(/same number/);
    expect(() => fleissKappa([[3, 0], [3, 0]])).toThrow(/undefined/);
    expect(() => fleissKappa([])).toThrow(/at least one item/);
  });
});
