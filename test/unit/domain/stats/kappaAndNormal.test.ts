import { describe, expect, it } from 'vitest';
import { cohensKappa, fleissKappa } from '../../../../src-main/domain/stats/kappa.js';
import { chiSquare1P, normalCdf, normalQuantile, twoSidedNormalP } from '../../../../src-main/domain/stats/normal.js';
import { stratifiedBootstrapCi } from '../../../../src-main/domain/stats/bootstrap.js';
import { auroc, youdenThreshold } from '../../../../src-main/domain/stats/roc.js';
import { binaryMetrics, wilsonInterval } from '../../../../src-main/domain/stats/binaryMetrics.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../fixtures/stats/sklearn_cases.json'), 'utf8')) as { fleiss: { kappa: number } };

describe('normal distribution', () => {
  it('matches R to machine precision', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14); // qnorm(0.975)
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12); // qnorm(1e-10)
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 15);
    expect(twoSidedNormalP(5)).toBeCloseTo(5.733031437583878e-7, 20); // 2*pnorm(-5)
    expect(chiSquare1P(3.841458820694124)).toBeCloseTo(0.05, 14); // qchisq(0.95, 1)
  });
});

describe("Cohen's kappa with its standard error", () => {
  // statsmodels.stats.inter_rater.cohens_kappa([[15, 10], [5, 20]]):
  // kappa 0.4, std_kappa 0.12699606293110033, std_kappa0 0.13856406460551018, CI 0.151092290476661 .. 0.6489077095233389
  it('on a worked 2x2 table', () => {
    const a: number[] = [];
    const b: number[] = [];
    const add = (x: number, y: number, n: number) => {
      for (let i = 0; i < n; i++) {
        a.push(x);
        b.push(y);
      }
    };
    add(0, 0, 15);
    add(0, 1, 10);
    add(1, 0, 5);
    add(1, 1, 20);
    const k = cohensKappa(a, b);
    expect(k.kappa).toBeCloseTo(0.4, 14);
    expect(k.observedAgreement).toBeCloseTo(0.7, 14);
    expect(k.expectedAgreement).toBeCloseTo(0.5, 14);
    expect(k.se).toBeCloseTo(0.12699606293110033, 14);
    expect(k.seNull).toBeCloseTo(0.13856406460551018, 14);
    expect(k.lower).toBeCloseTo(0.151092290476661, 12);
    expect(k.upper).toBeCloseTo(0.6489077095233389, 12);
  });

  it('is refused, not NaN, when both raters always gave the same single answer', () => {
    expect(() => cohensKappa([1, 1, 1], [1, 1, 1])).toThrow(/undefined/);
  });
});

describe("Fleiss' kappa", () => {
  it("reproduces the classic worked example (10 subjects, 14 raters, 5 categories): 0.210", () => {
    const counts = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const f = fleissKappa(counts);
    expect(f.observedAgreement).toBeCloseTo(0.378021978, 8);
    expect(f.expectedAgreement).toBeCloseTo(4170 / 19600, 14); // (20² + 28² + 39² + 21² + 32²) / 140²
    expect(f.kappa).toBeCloseTo(fixture.fleiss.kappa, 12); // statsmodels fleiss_kappa
    expect(f.kappa.toFixed(3)).toBe('0.210');
  });
  it('refuses items with different numbers of ratings', () => {
    expect(() => fleissKappa([[1, 1], [2, 1]])).toThrow(/same number/);
  });
});

describe('edge cases never produce NaN', () => {
  it('AUROC of a single class is refused with a sentence', () => {
    expect(() => auroc([1, 1, 1], [0.1, 0.2, 0.3])).toThrow(/both classes/);
  });
  it('all scores tied gives AUROC 0.5', () => {
    expect(auroc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])).toBe(0.5);
  });
  it('metrics with empty denominators are 0 and named', () => {
    const m = binaryMetrics({ tp: 0, fp: 0, tn: 5, fn: 0 });
    expect(m.precision).toBe(0);
    expect(m.undefinedMetrics).toEqual(['precision', 'recall', 'f1']);
    expect(Object.values(m).some((v) => typeof v === 'number' && Number.isNaN(v))).toBe(false);
  });
  it('Wilson interval stays inside 0..1', () => {
    expect(wilsonInterval(0, 10).lower).toBe(0);
    expect(wilsonInterval(10, 10).upper).toBeCloseTo(1, 12);
  });
  it('Youden threshold and a seeded stratified bootstrap are reproducible', () => {
    const truth = [0, 0, 0, 0, 1, 1, 1, 1, 0, 1] as const;
    const scores = [0.1, 0.2, 0.35, 0.4, 0.38, 0.6, 0.8, 0.9, 0.55, 0.45];
    // J = 0.6 at both 0.45 and 0.38: the higher threshold is reported
    expect(youdenThreshold([...truth], scores)).toMatchObject({ threshold: 0.45, sensitivity: 0.8, specificity: 0.8 });
    const metric = (idx: number[]) => auroc(idx.map((i) => truth[i]!), idx.map((i) => scores[i]!));
    const a = stratifiedBootstrapCi([...truth], metric, { seed: 11, replicates: 500 });
    const b = stratifiedBootstrapCi([...truth], metric, { seed: 11, replicates: 500 });
    expect(a).toEqual(b);
    expect(a.lower).toBeLessThanOrEqual(a.estimate);
    expect(a.upper).toBeGreaterThanOrEqual(a.estimate);
  });
});
