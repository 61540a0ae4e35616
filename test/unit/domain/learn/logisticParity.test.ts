import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fitLogisticRegression, logisticProbability } from '../../../../src-main/domain/learn/logisticRegression.js';
import { fitStandardiser, standardise } from '../../../../src-main/domain/learn/standardiser.js';
import { balancedWeights, fitSegmentModel, segmentProbabilities } from '../../../../src-main/domain/learn/segmentModel.js';
import type { CohortPatient } from '../../../../src-main/contract/screening.js';

/** Fixtures: tools/stats/make_logistic_fixtures.py (generated random numbers, not clinical data). */
interface Fit {
  c: number;
  coefficients: number[];
  intercept: number;
  iterations: number;
  probabilities: number[];
  solverAgreement: Record<string, number>;
}
interface Dataset {
  label: string;
  x: number[][];
  y: (0 | 1)[];
  sampleWeight: number[] | null;
  classWeight: 'balanced' | null;
  standardise: boolean;
  scalerMean?: number[];
  scalerScale?: number[];
  patients?: { code: string; label: 0 | 1; rows: number[] }[];
  fits: Fit[];
}
const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../fixtures/stats/sklearn_logistic.json'), 'utf8')) as {
  sklearn: string;
  reference: string;
  worstSolverDisagreement: Record<string, number>;
  datasets: Dataset[];
};

const worst = new Map<string, number>();
const hessianProducts = new Map<string, number>();
function close(what: string, actual: number, expected: number, tolerance: number) {
  const d = Math.abs(actual - expected);
  worst.set(what, Math.max(worst.get(what) ?? 0, d));
  expect(d, `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

afterAll(() => {
  console.log(`logistic regression against sklearn ${fixture.sklearn} (${fixture.reference}); sklearn's newton-cg vs the reference: ${fixture.worstSolverDisagreement['newton-cg']}`);
  for (const [what, d] of worst) console.log(`  max |difference| ${what}: ${d.toExponential(2)}`);
  console.log(`  newton-cg Hessian-vector products: ${[...hessianProducts].map(([fit, k]) => `${fit}: ${k}`).join('; ')}`);
});

describe(`logistic regression agrees with scikit-learn ${fixture.sklearn} (generated data)`, () => {
  for (const data of fixture.datasets) {
    describe(data.label, () => {
      const design = data.standardise ? data.x.map((row) => standardise({ mean: data.scalerMean!, scale: data.scalerScale! }, row)) : data.x;
      if (data.standardise) {
        it('StandardScaler mean and scale', () => {
          const s = fitStandardiser(data.x);
          s.mean.forEach((m, j) => close('scaler mean', m, data.scalerMean![j]!, 1e-12 * Math.max(1, Math.abs(m))));
          s.scale.forEach((v, j) => close('scaler scale', v, data.scalerScale![j]!, 1e-12 * Math.max(1, v)));
        });
      }
      const weights = data.classWeight === 'balanced' ? balancedWeights(data.y) : (data.sampleWeight ?? undefined);
      for (const f of data.fits) {
        it(`C=${f.c}: coefficients within 1e-6, probabilities within 1e-9`, () => {
          const fit = fitLogisticRegression(design, data.y, { c: f.c, ...(weights ? { sampleWeight: weights } : {}) });
          expect(fit.converged).toBe(true);
          fit.coefficients.forEach((b, j) => close('coefficient', b, f.coefficients[j]!, 1e-6));
          close('intercept', fit.intercept, f.intercept, 1e-6);
          design.forEach((row, i) => close('probability', logisticProbability(fit, row), f.probabilities[i]!, 1e-9));
        });
        it(`C=${f.c}: the wide solver (newton-cg) too, within 1e-6`, () => {
          const fit = fitLogisticRegression(design, data.y, { c: f.c, solver: 'newton-cg', ...(weights ? { sampleWeight: weights } : {}) });
          expect(fit.converged).toBe(true);
          hessianProducts.set(`${data.label} C=${f.c}`, fit.hessianProducts!);
          fit.coefficients.forEach((b, j) => close('newton-cg coefficient', b, f.coefficients[j]!, 1e-6));
          close('newton-cg intercept', fit.intercept, f.intercept, 1e-6);
          design.forEach((row, i) => close('newton-cg probability', logisticProbability(fit, row), f.probabilities[i]!, 1e-9));
        });
      }
      if (data.patients) {
        it('the segment model end to end (standardise, balanced weights over segments) equals the sklearn pipeline', () => {
          const patients: CohortPatient[] = data.patients!.map((p) => ({ code: p.code, diagnosis: p.label === 1 ? 'ASD' : 'LCS', label: p.label, videos: 1, segments: p.rows.map((r) => data.x[r]!) }));
          for (const f of data.fits) {
            const model = fitSegmentModel(patients, { c: f.c, classWeight: 'balanced' });
            expect(model.standardisation.scale.at(-1)).toBe(1); // the constant column keeps scale 1
            model.coefficients.forEach((b, j) => close('segment model coefficient', b, f.coefficients[j]!, 1e-6));
            close('segment model intercept', model.intercept, f.intercept, 1e-6);
            patients.forEach((p, k) => segmentProbabilities(model, p.segments).forEach((q, s) => close('segment model probability', q, f.probabilities[data.patients![k]!.rows[s]!]!, 1e-9)));
          }
        });
      }
    });
  }
});
