import { afterAll, describe, expect, it } from 'vitest';
import { failure } from '../../../helpers/failure.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../../../src-main/contract/errors.js';
import { DENSE_NEWTON_MAX_FEATURES, fitLogisticRegression, fitLogisticRegressionMatrix, logisticProbability, type LogisticFit } from '../../../../src-main/domain/learn/logisticRegression.js';
import { fitStandardiser, standardise } from '../../../../src-main/domain/learn/standardiser.js';
import { balancedWeights } from '../../../../src-main/domain/learn/segmentModel.js';
import { designRows, syntheticLogistic } from '../../../helpers/syntheticLogistic.js';

/** Fixture: tools/stats/make_logistic_wide_fixtures.py (generated random numbers, not clinical data). */
interface Fit {
  c: number;
  coefficients: number[];
  intercept: number;
  probabilities: number[];
  solverAgreement: Record<string, number>;
}
const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../fixtures/stats/sklearn_logistic_wide.json'), 'utf8')) as {
  sklearn: string;
  reference: string;
  worstSolverDisagreement: Record<string, number>;
  datasets: { label: string; x: number[][]; y: (0 | 1)[]; scalerMean: number[]; scalerScale: number[]; fits: Fit[] }[];
};

const worst = new Map<string, number>();
function close(what: string, actual: number, expected: number, tolerance: number) {
  const d = Math.abs(actual - expected);
  worst.set(what, Math.max(worst.get(what) ?? 0, d));
  expect(d, `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

function largestDifference(a: LogisticFit, b: LogisticFit): number {
  let d = Math.abs(a.intercept - b.intercept);
  a.coefficients.forEach((v, j) => (d = Math.max(d, Math.abs(v - b.coefficients[j]!))));
  return d;
}


afterAll(() => {
  console.log(`wide logistic regression against sklearn ${fixture.sklearn} (${fixture.reference}); sklearn's own newton-cg vs the reference: ${fixture.worstSolverDisagreement['newton-cg']}`);
  for (const [what, d] of worst) console.log(`  max |difference| ${what}: ${d.toExponential(2)}`);
});

describe(`the wide solver (newton-cg) agrees with scikit-learn ${fixture.sklearn} (generated data)`, () => {
  const data = fixture.datasets[0]!;
  const design = data.x.map((row) => standardise({ mean: data.scalerMean, scale: data.scalerScale }, row));
  const weights = balancedWeights(data.y);
  it(`${data.label}: StandardScaler mean and scale`, () => {
    const s = fitStandardiser(data.x);
    s.mean.forEach((m, j) => close('scaler mean', m, data.scalerMean[j]!, 1e-12 * Math.max(1, Math.abs(m))));
    s.scale.forEach((v, j) => close('scaler scale', v, data.scalerScale[j]!, 1e-12 * Math.max(1, v)));
  });
  for (const f of data.fits) {
    it(`${data.label}, C=${f.c}: coefficients and intercept within 1e-6, probabilities within 1e-9`, () => {
      const fit = fitLogisticRegression(design, data.y, { c: f.c, sampleWeight: weights });
      expect(fit.solver).toBe('newton-cg');
      expect(fit.converged).toBe(true);
      fit.coefficients.forEach((b, j) => close('coefficient', b, f.coefficients[j]!, 1e-6));
      close('intercept', fit.intercept, f.intercept, 1e-6);
      design.forEach((row, i) => close('probability', logisticProbability(fit, row), f.probabilities[i]!, 1e-9));
    });
  }
});

describe('the dense and the wide solver find the same minimum (generated problems)', () => {
  const cases = [
    { rows: 200, columns: 30, seed: 11, separation: 1.5, weighted: false },
    { rows: 300, columns: 70, seed: 12, separation: 4, weighted: true },
    { rows: 80, columns: 120, seed: 13, separation: 2, weighted: true },
  ];
  for (const { weighted, ...generated } of cases) {
    it(`n=${generated.rows} p=${generated.columns}${weighted ? ' balanced weights' : ''}: within 1e-7 at C = 0.001, 1 and 100 (the gradient tolerance allows a few 1e-8 at C = 100)`, () => {
      const { design, labels } = syntheticLogistic(generated);
      const sampleWeight = weighted ? balancedWeights(labels) : undefined;
      for (const c of [0.001, 1, 100]) {
        const options = { c, ...(sampleWeight ? { sampleWeight } : {}) };
        const dense = fitLogisticRegressionMatrix(design, labels, { ...options, solver: 'dense' });
        const wide = fitLogisticRegressionMatrix(design, labels, { ...options, solver: 'newton-cg' });
        expect(dense.converged && wide.converged).toBe(true);
        expect(wide.hessianProducts).toBeGreaterThan(0);
        worst.set('dense vs newton-cg', Math.max(worst.get('dense vs newton-cg') ?? 0, largestDifference(dense, wide)));
        expect(largestDifference(dense, wide), `C=${c}`).toBeLessThanOrEqual(1e-7);
      }
    });
  }
});

describe('choosing the solver, warm starts and refusals', () => {
  it(`dense up to ${DENSE_NEWTON_MAX_FEATURES} features, newton-cg above; both from rows of numbers as from a matrix`, () => {
    for (const columns of [DENSE_NEWTON_MAX_FEATURES, DENSE_NEWTON_MAX_FEATURES + 1]) {
      const { design, labels } = syntheticLogistic({ rows: 120, columns, seed: columns });
      const fromRows = fitLogisticRegression(designRows(design), labels, { c: 1 });
      const fromMatrix = fitLogisticRegressionMatrix(design, labels, { c: 1 });
      expect(fromRows.solver).toBe(columns <= DENSE_NEWTON_MAX_FEATURES ? 'dense' : 'newton-cg');
      expect(fromRows).toEqual(fromMatrix);
    }
  });
  it('a path over C with warm starts ends where cold starts do, in fewer Hessian-vector products', () => {
    const { design, labels } = syntheticLogistic({ rows: 150, columns: 300, seed: 21, separation: 3 });
    let previous: LogisticFit | undefined;
    let warmProducts = 0;
    let coldProducts = 0;
    for (const c of [0.001, 0.01, 0.1, 1, 10, 100]) {
      const cold = fitLogisticRegressionMatrix(design, labels, { c });
      const warm = fitLogisticRegressionMatrix(design, labels, { c, ...(previous ? { initial: previous } : {}) });
      expect(warm.converged && cold.converged).toBe(true);
      expect(largestDifference(warm, cold)).toBeLessThanOrEqual(1e-8);
      warmProducts += warm.hessianProducts!;
      coldProducts += cold.hessianProducts!;
      previous = warm;
    }
    expect(warmProducts).toBeLessThan(coldProducts);
  });
  it('a warm start at the minimum stops at once; maxIterations stops early and says so', () => {
    const { design, labels } = syntheticLogistic({ rows: 100, columns: 150, seed: 22 });
    const fit = fitLogisticRegressionMatrix(design, labels, { c: 1 });
    const again = fitLogisticRegressionMatrix(design, labels, { c: 1, initial: fit });
    expect(again.iterations).toBe(0);
    expect(again.coefficients).toEqual(fit.coefficients);
    const cut = fitLogisticRegressionMatrix(design, labels, { c: 1, maxIterations: 1 });
    expect(cut.iterations).toBe(1);
    expect(cut.converged).toBe(false);
  });
  it('all weights 0: the loss vanishes and both solvers return coefficients 0 from a warm start elsewhere', () => {
    const { design, labels } = syntheticLogistic({ rows: 40, columns: 30, seed: 24 });
    const initial = { coefficients: new Array<number>(30).fill(0.5), intercept: 0.25 };
    for (const solver of ['dense', 'newton-cg'] as const) {
      const fit = fitLogisticRegressionMatrix(design, labels, { c: 1, sampleWeight: new Array<number>(40).fill(0), initial, solver });
      expect(fit.converged, solver).toBe(true);
      expect(Math.max(...fit.coefficients.map(Math.abs)), solver).toBeLessThanOrEqual(1e-12);
    }
  });
  it('refuses a matrix of the wrong size, a value that is not finite, and a warm start of the wrong length, in a sentence', () => {
    const { design, labels } = syntheticLogistic({ rows: 10, columns: 80, seed: 23 });
    expect(failure(() => fitLogisticRegressionMatrix({ ...design, rows: 11 }, labels, { c: 1 }))).toMatch(/^STATS_INVALID: a 11 x 80 design matrix needs 880 values, but it has 800/);
    const holed = { ...design, values: design.values.slice() };
    holed.values[85] = Number.NaN;
    expect(failure(() => fitLogisticRegressionMatrix(holed, labels, { c: 1 }))).toMatch(/^STATS_INVALID: row 2 has a value that is not a finite number \(NaN\) in column 6/);
    expect(failure(() => fitLogisticRegressionMatrix(design, labels, { c: 1, initial: { coefficients: [1, 2], intercept: 0 } }))).toMatch(/^STATS_INVALID: the warm start has 2 coefficients but the data have 80 columns/);
    expect(failure(() => fitLogisticRegressionMatrix(design, labels, { c: 1, initial: { coefficients: new Array<number>(80).fill(0), intercept: Infinity } }))).toMatch(/^STATS_INVALID: the warm start intercept is not a finite number/);
  });
});
