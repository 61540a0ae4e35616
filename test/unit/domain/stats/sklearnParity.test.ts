import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { binaryMetrics } from '../../../../src-main/domain/stats/binaryMetrics.js';
import { confusionMatrix, type Binary } from '../../../../src-main/domain/stats/confusionMatrix.js';
import { auroc, rocCurve, trapezoidArea } from '../../../../src-main/domain/stats/roc.js';
import { averagePrecision, precisionRecallCurve } from '../../../../src-main/domain/stats/precisionRecall.js';
import { cohensKappa } from '../../../../src-main/domain/stats/kappa.js';
import { placements } from '../../../../src-main/domain/stats/deLong.js';

interface MetricCase {
  label: string;
  truth: Binary[];
  scores: number[];
  calls: Binary[];
  other: Binary[];
  confusion: { tp: number; fp: number; tn: number; fn: number };
  accuracy: number;
  precision: number;
  recall: number;
  specificity: number;
  npv: number;
  f1: number;
  balancedAccuracy: number;
  rocFpr: number[];
  rocTpr: number[];
  rocThresholds: number[];
  rocDroppedFpr: number[];
  rocDroppedTpr: number[];
  rocDroppedThresholds: number[];
  auroc: number;
  prPrecision: number[];
  prRecall: number[];
  prThresholds: number[];
  averagePrecision: number;
  kappa: number;
  kappaStatsmodels: { kappa: number; se: number | null; seNull: number | null; lower: number | null; upper: number | null };
}

const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../fixtures/stats/sklearn_cases.json'), 'utf8')) as {
  sklearn: string;
  metrics: MetricCase[];
  kappaUndefined: Array<{ n: number; call: 0 | 1; sklearnIsNan: boolean }>;
};

/** The largest absolute difference seen per quantity, printed at the end (the report quotes it). */
const worst = new Map<string, number>();
function close(what: string, actual: number, expected: number, tolerance: number) {
  const d = Math.abs(actual - expected);
  worst.set(what, Math.max(worst.get(what) ?? 0, d));
  expect(d, `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}
function closeAll(what: string, actual: readonly number[], expected: readonly number[], tolerance: number) {
  expect(actual.length, `${what} length`).toBe(expected.length);
  actual.forEach((v, i) => close(what, v, expected[i]!, tolerance));
}

describe(`metrics agree with scikit-learn ${fixture.sklearn} to 1e-12 (generated cases)`, () => {
  fixture.metrics.forEach((c) => {
    it(c.label, () => {
      const m = confusionMatrix(c.truth, c.calls);
      expect(m).toEqual(c.confusion);
      const metrics = binaryMetrics(m);
      for (const key of ['accuracy', 'precision', 'recall', 'specificity', 'npv', 'f1', 'balancedAccuracy'] as const) close(key, metrics[key], c[key], 1e-12);

      const roc = rocCurve(c.truth, c.scores);
      closeAll('roc fpr', roc.fpr, c.rocFpr, 1e-12);
      closeAll('roc tpr', roc.tpr, c.rocTpr, 1e-12);
      closeAll('roc thresholds', roc.thresholds, c.rocThresholds, 1e-12);
      const dropped = rocCurve(c.truth, c.scores, { dropIntermediate: true });
      closeAll('roc fpr (drop_intermediate)', dropped.fpr, c.rocDroppedFpr, 1e-12);
      closeAll('roc tpr (drop_intermediate)', dropped.tpr, c.rocDroppedTpr, 1e-12);
      closeAll('roc thresholds (drop_intermediate)', dropped.thresholds, c.rocDroppedThresholds, 1e-12);

      close('auroc (Mann-Whitney)', auroc(c.truth, c.scores), c.auroc, 1e-12);
      close('auroc (trapezoid)', trapezoidArea(roc), c.auroc, 1e-12);
      close('auroc (DeLong placements)', placements(c.truth, c.scores).auc, c.auroc, 1e-12);

      const pr = precisionRecallCurve(c.truth, c.scores);
      closeAll('pr precision', pr.precision, c.prPrecision, 1e-12);
      closeAll('pr recall', pr.recall, c.prRecall, 1e-12);
      closeAll('pr thresholds', pr.thresholds, c.prThresholds, 1e-12);
      close('average precision', averagePrecision(c.truth, c.scores), c.averagePrecision, 1e-12);

      const k = cohensKappa(c.calls, c.other);
      close('kappa', k.kappa, c.kappa, 1e-12);
      // standard errors and CI against statsmodels' cohens_kappa (Fleiss, Cohen & Everitt 1969)
      const sm = c.kappaStatsmodels;
      if (sm.se === null) {
        // statsmodels: sqrt of a variance rounded slightly below 0 (one rater constant) -> NaN; ours is 0
        expect(k.se).toBe(0);
      } else {
        close('kappa se', k.se, sm.se, 1e-12);
        // statsmodels' Wald interval, truncated to kappa's range [-1, 1] as ours is
        close('kappa CI', k.lower, Math.max(-1, sm.lower!), 1e-12);
        close('kappa CI', k.upper, Math.min(1, sm.upper!), 1e-12);
      }
      // the null SE is sqrt(rounding noise) when one rater is constant (statsmodels 7.9e-9): compare loosely there
      close('kappa se under H0', k.seNull, sm.seNull!, sm.se === null ? 1e-7 : 1e-12);
    });
  });

  it("kappa is undefined (refused, never a number) exactly where sklearn's cohen_kappa_score is nan: one identical call throughout", () => {
    expect(fixture.kappaUndefined.length).toBeGreaterThan(0);
    for (const u of fixture.kappaUndefined) {
      expect(u.sklearnIsNan).toBe(true);
      const calls = new Array<0 | 1>(u.n).fill(u.call);
      expect(() => cohensKappa(calls, calls), `n = ${u.n}, call ${u.call}`).toThrow(/kappa is undefined/);
    }
  });

  it('(largest differences seen)', () => {
    console.log(`sklearn parity, largest |difference|: ${[...worst].map(([k, v]) => `${k} ${v.toExponential(1)}`).join('; ')}`);
    expect(worst.size).toBeGreaterThan(0);
  });
});
