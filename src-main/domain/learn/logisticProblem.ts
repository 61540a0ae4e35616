import { AppError } from '../../contract/errors.js';

/**
 * The data of one L2 logistic regression fit, checked and stored once as typed arrays for the
 * solvers in logisticRegression.ts (dense Newton) and logisticNewtonCg.ts (matrix-free
 * truncated Newton). Every refusal is AppError('STATS_INVALID', sentence).
 */

/** A row-major n x p design matrix: row i is values[i * columns .. (i + 1) * columns). */
export interface DesignMatrix {
  rows: number;
  columns: number;
  values: Float64Array;
}

export interface LogisticProblem {
  n: number;
  p: number;
  /** Row-major n x p. */
  x: Float64Array;
  y: Uint8Array;
  /** C * w_i. */
  cw: Float64Array;
}

/** A starting point: p coefficients and an intercept (a warm start, e.g. the fit at the previous C). */
export interface LogisticStart {
  coefficients: readonly number[];
  intercept: number;
}

/** log(1 + exp(z)) without overflow, and without losing the small values for very negative z. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** 1 / (1 + exp(-z)) without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Copies rows (arrays of numbers) into a row-major matrix, refusing ragged rows and values that are not finite. */
export function designMatrix(x: readonly (readonly number[])[]): DesignMatrix {
  const n = x.length;
  if (n === 0) throw new AppError('STATS_INVALID', 'a logistic regression needs at least one row of data, but there are none');
  const p = x[0]!.length;
  const values = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const row = x[i]!;
    if (row.length !== p) throw new AppError('STATS_INVALID', `every row needs the same number of values, but row 1 has ${p} and row ${i + 1} has ${row.length}`);
    for (let j = 0; j < p; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v)) throw new AppError('STATS_INVALID', `row ${i + 1} has a value that is not a finite number (${v}) in column ${j + 1}`);
      values[i * p + j] = v;
    }
  }
  return { rows: n, columns: p, values };
}

function checkDesign(design: DesignMatrix): void {
  const { rows: n, columns: p, values } = design;
  if (n === 0) throw new AppError('STATS_INVALID', 'a logistic regression needs at least one row of data, but there are none');
  if (!(Number.isInteger(n) && Number.isInteger(p) && p >= 0)) throw new AppError('STATS_INVALID', `a design matrix needs whole numbers of rows and columns, not ${n} x ${p}`);
  if (values.length !== n * p) throw new AppError('STATS_INVALID', `a ${n} x ${p} design matrix needs ${n * p} values, but it has ${values.length}`);
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k]!)) throw new AppError('STATS_INVALID', `row ${Math.floor(k / p) + 1} has a value that is not a finite number (${values[k]}) in column ${(k % p) + 1}`);
  }
}

function checkLabels(y: readonly (0 | 1)[], n: number): Uint8Array {
  if (y.length !== n) throw new AppError('STATS_INVALID', `there are ${n} rows but ${y.length} labels`);
  const labels = new Uint8Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const label = y[i];
    if (label !== 0 && label !== 1) throw new AppError('STATS_INVALID', `label ${i + 1} is ${String(label)}, not 0 or 1`);
    labels[i] = label;
    positives += label;
  }
  if (positives === 0 || positives === n) throw new AppError('STATS_INVALID', `a logistic regression needs both classes, but every row is ${positives === 0 ? 'negative (not ASD)' : 'positive (ASD)'}`);
  return labels;
}

function weightedC(c: number, sampleWeight: readonly number[] | undefined, n: number): Float64Array {
  if (!(Number.isFinite(c) && c > 0)) throw new AppError('STATS_INVALID', `the regularisation C must be a positive number, not ${c}`);
  if (sampleWeight && sampleWeight.length !== n) throw new AppError('STATS_INVALID', `there are ${n} rows but ${sampleWeight.length} sample weights`);
  const cw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = sampleWeight ? sampleWeight[i]! : 1;
    if (!(Number.isFinite(w) && w >= 0)) throw new AppError('STATS_INVALID', `sample weight ${i + 1} is ${w}; weights must be finite and not negative`);
    cw[i] = c * w;
  }
  return cw;
}

/** The checked problem; the matrix is used as given (not copied), so it must not change during the fit. */
export function logisticProblem(design: DesignMatrix, y: readonly (0 | 1)[], c: number, sampleWeight?: readonly number[]): LogisticProblem {
  checkDesign(design);
  const labels = checkLabels(y, design.rows);
  const cw = weightedC(c, sampleWeight, design.rows);
  return { n: design.rows, p: design.columns, x: design.values, y: labels, cw };
}

/** C * sum w: the scale of the loss term, to which the gradient tolerance is relative. */
export function lossScale(problem: LogisticProblem): number {
  let sum = 0;
  for (const v of problem.cw) sum += v;
  return sum;
}

/** theta = [coef_0..coef_{p-1}, intercept] at the start: zeros, or the warm start after checking it. */
export function startingPoint(p: number, start: LogisticStart | undefined): Float64Array {
  const theta = new Float64Array(p + 1);
  if (!start) return theta;
  if (start.coefficients.length !== p) throw new AppError('STATS_INVALID', `the warm start has ${start.coefficients.length} coefficients but the data have ${p} columns`);
  for (let j = 0; j < p; j++) {
    const v = start.coefficients[j]!;
    if (!Number.isFinite(v)) throw new AppError('STATS_INVALID', `warm start coefficient ${j + 1} is not a finite number (${v})`);
    theta[j] = v;
  }
  if (!Number.isFinite(start.intercept)) throw new AppError('STATS_INVALID', `the warm start intercept is not a finite number (${start.intercept})`);
  theta[p] = start.intercept;
  return theta;
}

/** Largest absolute component. */
export function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return m;
}
