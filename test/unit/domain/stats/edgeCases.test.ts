import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src-main/contract/errors.js';
import { binaryMetrics, wilsonInterval } from '../../../../src-main/domain/stats/binaryMetrics.js';
import { confusionMatrix, type Binary } from '../../../../src-main/domain/stats/confusionMatrix.js';
import { auroc, rocCurve } from '../../../../src-main/domain/stats/roc.js';
import { youdenThreshold } from '../../../../src-main/domain/stats/youden.js';
import { deLongCi, deLongPairedTest } from '../../../../src-main/domain/stats/deLong.js';
import { averagePrecision } from '../../../../src-main/domain/stats/precisionRecall.js';
import { stratifiedBootstrapCi } from '../../../../src-main/domain/stats/bootstrap.js';
import { xoshiro128ss, xoshiro128ssFromState } from '../../../../src-main/domain/stats/prng.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? `${error.code}: ${error.detail}` : `not an AppError: ${String(error)}`;
  }
  return undefined;
};

describe('one class only', () => {
  it('AUROC, ROC, Youden and DeLong are refused with STATS_INVALID and a sentence', () => {
    expect(code(() => auroc([1, 1, 1], [0.1, 0.2, 0.3]))).toMatch(/^STATS_INVALID: ROC analysis needs both classes, but only positive/);
    expect(code(() => rocCurve([0, 0], [0.1, 0.2]))).toMatch(/^STATS_INVALID: .*only negative/);
    expect(code(() => youdenThreshold([0, 0], [0.1, 0.2]))).toMatch(/^STATS_INVALID/);
    expect(code(() => deLongCi([0, 0], [0.1, 0.2]))).toMatch(/^STATS_INVALID: the AUROC needs both/);
    expect(code(() => averagePrecision([0, 0], [0.1, 0.2]))).toMatch(/^STATS_INVALID: .*at least one positive/);
  });
  it('balanced accuracy leaves the absent class out, as sklearn does', () => {
    const m = binaryMetrics(confusionMatrix([0, 0, 0, 0], [0, 1, 0, 0]));
    expect(m.balancedAccuracy).toBe(0.75);
    expect(m.undefinedMetrics).toEqual(['recall']);
  });
});

describe('ties', () => {
  it('all scores tied: AUROC 0.5, a two-point ROC, DeLong variance 0 and the CI is the point', () => {
    const truth: Binary[] = [0, 1, 0, 1, 1];
    const scores = [0.3, 0.3, 0.3, 0.3, 0.3];
    expect(auroc(truth, scores)).toBe(0.5);
    expect(rocCurve(truth, scores)).toEqual({ fpr: [0, 1], tpr: [0, 1], thresholds: [1.3, 0.3] });
    expect(deLongCi(truth, scores)).toMatchObject({ auc: 0.5, variance: 0, lower: 0.5, upper: 0.5 });
  });
  it('two raters with all scores tied: the paired test is z = 0, p = 1 (as pROC)', () => {
    const truth: Binary[] = [0, 1, 0, 1];
    expect(deLongPairedTest(truth, [1, 1, 1, 1], [7, 7, 7, 7])).toMatchObject({ difference: 0, se: 0, z: 0, p: 1 });
  });
  it('zero variance with different AUCs (perfect vs constant) has no finite z: refused with the reason', () => {
    const truth: Binary[] = [0, 0, 1, 1];
    expect(code(() => deLongPairedTest(truth, [0.1, 0.2, 0.8, 0.9], [0.5, 0.5, 0.5, 0.5]))).toMatch(/^STATS_INVALID: the AUROCs differ .* zero variance/);
  });
  it('DeLong needs two cases of each class (its variances divide by n - 1)', () => {
    expect(code(() => deLongCi([0, 0, 0, 1], [0.1, 0.2, 0.3, 0.9]))).toMatch(/^STATS_INVALID: DeLong's variance needs at least 2 positive and 2 negative cases \(there are 1 and 3\)/);
  });
  it('Youden compares J exactly: J = 0.6 at 0.6, 0.45 and 0.38, the highest threshold is reported', () => {
    // in floating point 0.8 - 0.2 > 0.6 - 0, which made an earlier version pick 0.45 by rounding noise
    const truth: Binary[] = [0, 0, 0, 0, 1, 1, 1, 1, 0, 1];
    const scores = [0.1, 0.2, 0.35, 0.4, 0.38, 0.6, 0.8, 0.9, 0.55, 0.45];
    expect(youdenThreshold(truth, scores)).toMatchObject({ threshold: 0.6, sensitivity: 0.6, specificity: 1, j: 0.6 });
  });
});

describe('inputs that are not numbers or not 0/1 are refused', () => {
  it('names the case', () => {
    expect(code(() => auroc([0, 1], [0.1, Number.NaN]))).toMatch(/score 2 is not a number/);
    expect(code(() => confusionMatrix([0, 2 as Binary], [0, 1]))).toMatch(/case 2 has truth 2/);
    expect(code(() => rocCurve([0, 1, 1], [0.1, 0.2]))).toMatch(/3 truths but 2 scores/);
  });
  it('metrics with empty denominators are 0 and named, never NaN', () => {
    const m = binaryMetrics({ tp: 0, fp: 0, tn: 5, fn: 0 });
    expect(m.precision).toBe(0);
    expect(m.undefinedMetrics).toEqual(['precision', 'recall', 'f1']);
    expect(JSON.stringify(binaryMetrics({ tp: 0, fp: 0, tn: 0, fn: 0 }))).not.toMatch(/NaN|null/);
  });
  it('Wilson interval stays inside 0..1 and is 0..1 for no cases', () => {
    expect(wilsonInterval(0, 10).lower).toBe(0);
    expect(wilsonInterval(10, 10).upper).toBeCloseTo(1, 12);
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
  });
});

describe('seeded resampling', () => {
  it('xoshiro128** equals the reference C implementation from state (1, 2, 3, 4)', () => {
    const r = xoshiro128ssFromState([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => r.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });
  it('below(n) is uniform enough: 60 000 draws of 0..5 within 3% of 10 000 each', () => {
    const r = xoshiro128ss(7);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.below(6)]! += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(300);
  });
  it('the stratified bootstrap is reproducible from its seed, keeps class sizes, and brackets the estimate', () => {
    const truth: Binary[] = [0, 0, 0, 0, 1, 1, 1, 1, 0, 1];
    const scores = [0.1, 0.2, 0.35, 0.4, 0.38, 0.6, 0.8, 0.9, 0.55, 0.45];
    const metric = (idx: number[]) => {
      expect(idx.filter((i) => truth[i] === 1).length).toBe(5);
      return auroc(idx.map((i) => truth[i]!), idx.map((i) => scores[i]!));
    };
    const a = stratifiedBootstrapCi(truth, metric, { seed: 11, replicates: 300 });
    expect(stratifiedBootstrapCi(truth, metric, { seed: 11, replicates: 300 })).toEqual(a);
    expect(stratifiedBootstrapCi(truth, metric, { seed: 12, replicates: 300 })).not.toEqual(a);
    expect(a.estimate).toBe(auroc(truth, scores));
    expect(a.lower).toBeLessThanOrEqual(a.estimate);
    expect(a.upper).toBeGreaterThanOrEqual(a.estimate);
    expect(a.skipped).toBe(0);
  });
  it('counts replicates where the metric cannot be computed, and refuses when none can', () => {
    let calls = 0;
    const ci = stratifiedBootstrapCi([0, 1, 0, 1], () => (++calls % 2 === 0 ? Number.NaN : 0.5), { replicates: 10, seed: 1 });
    expect(ci.skipped).toBe(5);
    expect(code(() => stratifiedBootstrapCi([0, 1], () => Number.NaN, { replicates: 5 }))).toMatch(/no bootstrap replicate/);
  });
});
