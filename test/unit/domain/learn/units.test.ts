import { describe, expect, it } from 'vitest';
import { failure } from '../../../helpers/failure.js';
import { AppError } from '../../../../src-main/contract/errors.js';
import { fitLogisticRegression, logisticProbability, sigmoid, softplus } from '../../../../src-main/domain/learn/logisticRegression.js';
import { fitStandardiser, standardise } from '../../../../src-main/domain/learn/standardiser.js';
import { balancedWeights } from '../../../../src-main/domain/learn/segmentModel.js';
import { assertPatientDisjoint, deriveSeed, patientFolds } from '../../../../src-main/domain/learn/splits.js';
import { brierScore, calibrationBin, levelMetrics, pointMetrics, summariseMeanSd } from '../../../../src-main/domain/learn/levelMetrics.js';
import { wilsonInterval } from '../../../../src-main/domain/stats/binaryMetrics.js';
import { meanLogLoss } from '../../../../src-main/domain/learn/logLoss.js';
import type { Binary } from '../../../../src-main/domain/stats/confusionMatrix.js';


describe('logistic regression refuses what it cannot fit, in a sentence', () => {
  it('no rows, one class, ragged rows, non-finite values, bad C or weights', () => {
    expect(failure(() => fitLogisticRegression([], [], { c: 1 }))).toMatch(/^STATS_INVALID: .*at least one row/);
    expect(failure(() => fitLogisticRegression([[1], [2]], [1, 1], { c: 1 }))).toMatch(/^STATS_INVALID: .*needs both classes, but every row is positive/);
    expect(failure(() => fitLogisticRegression([[1, 2], [2]], [0, 1], { c: 1 }))).toMatch(/^STATS_INVALID: every row needs the same number of values, but row 1 has 2 and row 2 has 1/);
    expect(failure(() => fitLogisticRegression([[1], [Number.NaN]], [0, 1], { c: 1 }))).toMatch(/^STATS_INVALID: row 2 has a value that is not a finite number/);
    expect(failure(() => fitLogisticRegression([[1], [Infinity]], [0, 1], { c: 1 }))).toMatch(/^STATS_INVALID: row 2/);
    expect(failure(() => fitLogisticRegression([[1], [2]], [0, 1], { c: 0 }))).toMatch(/^STATS_INVALID: the regularisation C must be a positive number/);
    expect(failure(() => fitLogisticRegression([[1], [2]], [0, 1], { c: 1, sampleWeight: [1] }))).toMatch(/^STATS_INVALID: there are 2 rows but 1 sample weights/);
    expect(failure(() => fitLogisticRegression([[1], [2]], [0, 1], { c: 1, sampleWeight: [1, -1] }))).toMatch(/^STATS_INVALID: sample weight 2 is -1/);
  });
  it('stable at extreme logits: no overflow, no 0 * Infinity', () => {
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(-40)).toBeCloseTo(Math.exp(-40), 30);
    expect(softplus(800)).toBe(800);
    expect(softplus(-800)).toBe(0);
    expect(softplus(0)).toBe(Math.LN2);
    expect(logisticProbability({ coefficients: [2], intercept: -1 }, [0.5])).toBe(0.5);
  });
  it('separable data with a weak penalty still converges (the penalty keeps the minimum finite)', () => {
    const fit = fitLogisticRegression([[0], [1], [2], [3]], [0, 0, 1, 1], { c: 1e6 });
    expect(fit.converged).toBe(true);
    expect(Number.isFinite(fit.coefficients[0]!)).toBe(true);
    expect(fit.coefficients[0]!).toBeGreaterThan(10);
  });
  it('symmetric data: the intercept balances the slope exactly (x = 0,1 vs 2,3 gives the midpoint 1.5)', () => {
    const fit = fitLogisticRegression([[0], [1], [2], [3]], [0, 0, 1, 1], { c: 1 });
    expect(fit.intercept / fit.coefficients[0]!).toBeCloseTo(-1.5, 12);
  });
});

describe('standardiser (sklearn StandardScaler)', () => {
  it('population SD, and scale 1 for a constant column', () => {
    const s = fitStandardiser([[1, 5], [3, 5], [5, 5], [7, 5]]);
    expect(s.mean).toEqual([4, 5]);
    expect(s.scale).toEqual([Math.sqrt(5), 1]);
    expect(standardise(s, [4, 9])).toEqual([0, 4]);
  });
  it('balanced class weights: n / (2 * n_class)', () => {
    expect(balancedWeights([1, 0, 0, 0])).toEqual([2, 2 / 3, 2 / 3, 2 / 3]);
    expect(balancedWeights([1, 1, 0, 0])).toEqual([1, 1, 1, 1]);
  });
});

describe('patient-disjoint splits', () => {
  it('assertPatientDisjoint throws a programming error naming the patients and the split', () => {
    expect(() => assertPatientDisjoint(['A', 'B', 'C'], ['D'], 'repeat 1, fold 1')).not.toThrow();
    expect(failure(() => assertPatientDisjoint(['A', 'B', 'C'], ['C', 'D', 'A'], 'repeat 2, fold 3, inner fold 1'))).toBe(
      'Error: patient leakage at repeat 2, fold 3, inner fold 1: 2 patient(s) on both sides of the split (C, A)',
    );
  });
  it('patientFolds: every patient in exactly one test fold, classes spread, seeded', () => {
    const patients = Array.from({ length: 23 }, (_, i) => ({ code: `SYN-${i}`, label: (i % 3 === 0 ? 1 : 0) as 0 | 1 }));
    const folds = patientFolds(patients, 5, 7);
    expect(folds).toHaveLength(5);
    const tested = folds.flatMap((f) => f.test).sort();
    expect(tested).toEqual(patients.map((p) => p.code).sort());
    for (const f of folds) {
      expect(f.train.length + f.test.length).toBe(23);
      expect(() => assertPatientDisjoint(f.train, f.test, 'test')).not.toThrow();
      const positives = f.test.filter((c) => patients.find((p) => p.code === c)!.label === 1).length;
      expect(positives).toBeGreaterThanOrEqual(1); // 8 positives over 5 folds: 1 or 2 each
      expect(positives).toBeLessThanOrEqual(2);
    }
    expect(patientFolds(patients, 5, 7)).toEqual(folds);
    expect(patientFolds(patients, 5, 8)).not.toEqual(folds);
  });
  it('too few patients for the folds is STATS_INVALID, in words', () => {
    expect(failure(() => patientFolds([{ code: 'A', label: 1 }, { code: 'B', label: 0 }], 3, 1, 'repeat 1'))).toMatch(/^STATS_INVALID: repeat 1: 3 folds need/);
  });
  it('deriveSeed: deterministic, in 0..2^32-1, different for different parts', () => {
    expect(deriveSeed(2023, 0, 0)).toBe(deriveSeed(2023, 0, 0));
    const seeds = new Set<number>();
    for (let r = 0; r < 20; r++) for (let f = -1; f < 10; f++) seeds.add(deriveSeed(2023, r, f));
    expect(seeds.size).toBe(220);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });
});

describe('level metrics (exact on a hand example)', () => {
  const truth: Binary[] = [1, 1, 1, 0, 0, 0, 0];
  const p = [0.95, 0.5, 0.3, 0.5, 0.1, 0.05, 0.7];
  it('confusion at 0.5 (>= calls ASD), Wilson intervals, bootstrap estimates, AUROC, Brier, calibration', () => {
    const m = levelMetrics(truth, p, { replicates: 200, seed: 1 });
    expect(m.confusion).toEqual({ tp: 2, fp: 2, tn: 2, fn: 1 });
    expect(m.n).toBe(7);
    expect(m.positives).toBe(3);
    expect(m.threshold).toBe(0.5);
    expect(m.sensitivity).toEqual({ estimate: 2 / 3, ...wilsonInterval(2, 3) });
    expect(m.specificity).toEqual({ estimate: 0.5, ...wilsonInterval(2, 4) });
    expect(m.accuracy).toEqual({ estimate: 4 / 7, ...wilsonInterval(4, 7) });
    expect(m.balancedAccuracy.estimate).toBe((2 / 3 + 0.5) / 2);
    expect(m.f1.estimate).toBe(4 / 7);
    expect(m.balancedAccuracy.lower).toBeLessThanOrEqual(m.balancedAccuracy.estimate);
    expect(m.auroc!.estimate).toBe(8.5 / 12);
    expect(m.brier).toBe(brierScore(truth, p));
    expect(m.brier).toBeCloseTo(1.495 / 7, 15);
    expect(m.roc!.fpr[0]).toBe(0);
    expect(m.roc!.tpr.at(-1)).toBe(1);
    expect(m.calibration).toEqual([
      { lower: 0, upper: 0.1, n: 1, meanPredicted: 0.05, observedRate: 0 },
      { lower: 0.1, upper: 0.2, n: 1, meanPredicted: 0.1, observedRate: 0 },
      { lower: 0.3, upper: 0.4, n: 1, meanPredicted: 0.3, observedRate: 1 },
      { lower: 0.5, upper: 0.6, n: 2, meanPredicted: 0.5, observedRate: 0.5 },
      { lower: 0.7, upper: 0.8, n: 1, meanPredicted: 0.7, observedRate: 0 },
      { lower: 0.9, upper: 1, n: 1, meanPredicted: 0.95, observedRate: 1 },
    ]);
  });
  it('calibration bins at their edges: [k/10, (k+1)/10), 1 in the last bin', () => {
    expect([0, 0.09999999999999999, 0.1, 0.29999999999999993, 0.3, 0.6, 0.7, 0.9999, 1].map(calibrationBin)).toEqual([0, 0, 1, 2, 3, 6, 7, 9, 9]);
  });
  it('AUROC null with fewer than 2 of a class; point metrics null only with one class', () => {
    expect(levelMetrics([1, 0, 0], [0.9, 0.2, 0.1], { replicates: 200, seed: 1 }).auroc).toBeNull();
    expect(pointMetrics([1, 0, 0], [0.9, 0.2, 0.1]).auroc).toBe(1);
    expect(pointMetrics([0, 0], [0.9, 0.2]).auroc).toBeNull();
    expect(levelMetrics([0, 0], [0.9, 0.2], { replicates: 200, seed: 1 }).roc).toBeNull();
  });
  it('pointMetrics and summariseMeanSd (sample SD, 0 for one row, AUROC over the rows that have it)', () => {
    const m = pointMetrics(truth, p);
    expect(m).toMatchObject({ balancedAccuracy: (2 / 3 + 0.5) / 2, accuracy: 4 / 7, sensitivity: 2 / 3, specificity: 0.5, f1: 4 / 7, auroc: 8.5 / 12 });
    const rows = [0.25, 0.5, 0.75].map((v, i) => ({ ...m, balancedAccuracy: v, auroc: i === 2 ? null : v }));
    const s = summariseMeanSd(rows);
    expect(s.balancedAccuracy).toEqual({ mean: 0.5, sd: 0.25, n: 3 });
    expect(s.auroc).toEqual({ mean: 0.375, sd: Math.sqrt(0.03125), n: 2 });
    expect(summariseMeanSd([m]).brier).toEqual({ mean: m.brier, sd: 0, n: 1 });
    expect(summariseMeanSd([{ ...m, auroc: null }]).auroc).toBeUndefined();
  });
  it('log loss clips at 1e-15 (a confident miss is large but finite)', () => {
    expect(meanLogLoss([1, 0], [0.5, 0.5])).toBe(Math.LN2);
    expect(meanLogLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 10);
  });
});
