import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { binaryMetrics, confusionMatrix, type Binary } from '../../../../src-main/domain/stats/binaryMetrics.js';
import { auroc, rocCurve } from '../../../../src-main/domain/stats/roc.js';
import { averagePrecision, precisionRecallCurve } from '../../../../src-main/domain/stats/precisionRecall.js';
import { cohensKappa } from '../../../../src-main/domain/stats/kappa.js';
import { placements } from '../../../../src-main/domain/stats/deLong.js';

interface MetricCase {
  truth: Binary[];
  scores: number[];
  calls: Binary[];
  other: Binary[];
  confusion: { tp: number; fp: number; tn: number; fn: number };
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  balancedAccuracy: number;
  rocFpr: number[];
  rocTpr: number[];
  rocThresholds: number[];
  auroc: number;
  prPrecision: number[];
  prRecall: number[];
  prThresholds: number[];
  averagePrecision: number;
  kappa: number;
  kappaStatsmodels: { kappa: number; se: number; seNull: number; lower: number; upper: number };
}

const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../fixtures/stats/sklearn_cases.json'), 'utf8')) as { sklearn: string; metrics: MetricCase[] };

function expectClose(actual: number[], expected: number[], tolerance: number) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tolerance));
}

describe(`metrics agree with scikit-learn ${fixture.sklearn} to 1e-12 (generated cases)`, () => {
  fixture.metrics.forEach((c, index) => {
    it(`case ${index + 1}: n=${c.truth.length}`, () => {
      const m = confusionMatrix(c.truth, c.calls);
      expect(m).toEqual(c.confusion);
      const metrics = binaryMetrics(m);
      for (const key of ['accuracy', 'precision', 'recall', 'f1', 'balancedAccuracy'] as const) {
        expect(Math.abs(metrics[key] - c[key])).toBeLessThanOrEqual(1e-12);
      }
      const roc = rocCurve(c.truth, c.scores);
      expectClose(roc.fpr, c.rocFpr, 1e-12);
      expectClose(roc.tpr, c.rocTpr, 1e-12);
      expectClose(roc.thresholds, c.rocThresholds, 1e-12);
      expect(Math.abs(auroc(c.truth, c.scores) - c.auroc)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(placements(c.truth, c.scores).auc - c.auroc)).toBeLessThanOrEqual(1e-12);
      const pr = precisionRecallCurve(c.truth, c.scores);
      expectClose(pr.precision, c.prPrecision, 1e-12);
      expectClose(pr.recall, c.prRecall, 1e-12);
      expectClose(pr.thresholds, c.prThresholds, 1e-12);
      expect(Math.abs(averagePrecision(c.truth, c.scores) - c.averagePrecision)).toBeLessThanOrEqual(1e-12);
      const k = cohensKappa(c.calls, c.other);
      expect(Math.abs(k.kappa - c.kappa)).toBeLessThanOrEqual(1e-12);
      // standard errors and CI against statsmodels' cohens_kappa (Fleiss, Cohen & Everitt 1969)
      expect(Math.abs(k.se - c.kappaStatsmodels.se)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(k.seNull - c.kappaStatsmodels.seNull)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(k.lower - c.kappaStatsmodels.lower)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(k.upper - c.kappaStatsmodels.upper)).toBeLessThanOrEqual(1e-9);
    });
  });
});
