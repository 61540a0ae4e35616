import { AppError } from '../../contract/errors.js';
import { fitNewtonCg } from './logisticNewtonCg.js';
import { designMatrix, logisticProblem, lossScale, maxAbs, sigmoid, softplus, startingPoint, type DesignMatrix, type LogisticProblem, type LogisticStart } from './logisticProblem.js';

export { sigmoid, softplus, type DesignMatrix, type LogisticStart };

/**
 * L2-regularised logistic regression with an unpenalised intercept: the minimiser of
 *
 *   F(coef, b) = C * sum_i w_i * logloss(y_i, x_i . coef + b) + 0.5 * ||coef||^2,
 *
 * which is scikit-learn's LogisticRegression(penalty="l2", C=c, fit_intercept=True) objective
 * (sample weights multiply each row's loss, as sklearn's sample_weight and class_weight do).
 * The objective is strictly convex in coef and, with both classes present, in the intercept
 * too, so the minimiser is unique. Two solvers, which agree with each other and with sklearn
 * to rounding (test/unit/domain/learn/logisticParity.test.ts, logisticWide.test.ts):
 *
 * - 'dense' (p <= DENSE_NEWTON_MAX_FEATURES): Newton's method (IRLS); each step solves the
 *   (p+1)x(p+1) Newton system by a Cholesky factorisation and is halved until the objective
 *   does not increase. Quadratic convergence near the minimum, n p^2 / 2 + p^3 / 6 per step;
 *   matches sklearn's newton-cholesky solver to rounding.
 * - 'newton-cg' (wider): the matrix-free truncated Newton of logisticNewtonCg.ts, conjugate
 *   gradients on Hessian-vector products (one pass over X each, 2 n p), with a backtracking
 *   line search, so it never forms the n p^2 Hessian (the 3D-CNN clip features: p = 2048).
 *
 * The threshold is at the measured crossover (test/bench/training.bench.ts, "Dense Newton vs
 * newton-cg": n = 1000 (and 2000) generated standard normal columns, C = 0.001 to 100, Node 20
 * on the 2-core AMD EPYC of the development container at load about 3; ranges over two runs):
 * the two tie at p = 5 to 8 (p = 5: 1.0-1.2 vs 1.1-1.5 ms per fit; dense wins below), and
 * newton-cg is faster from about p = 12 on (p = 16: 3.4-4.4 vs 2.1-2.7 ms; p = 64: 34-39 vs
 * 7-8 ms; p = 256: 660-770 vs 60-86 ms). At n = 1280, p = 2048 one dense Newton step takes
 * 14-16 s (a fit takes 6-10), a whole newton-cg fit at C = 1 about 1.1 s. The threshold
 * sits a little above the crossover, at 16, because conjugate gradients slow on unstandardised
 * columns (the two p = 12 cases of logisticParity.test.ts, with offsets and scales: 52 and 62
 * Hessian-vector products, against 17 on standard normal columns at p = 12) while the dense
 * solver does not, and because below it the time either way is a few ms. At and below the threshold the dense solver is kept
 * exactly as it was, so the segment model (p = 5) gives the same numbers to the bit.
 */
export const DENSE_NEWTON_MAX_FEATURES = 16;

export interface LogisticModel {
  coefficients: readonly number[];
  intercept: number;
}

export interface LogisticFitOptions {
  /** sklearn's C: the inverse of the regularisation strength (larger: weaker). */
  c: number;
  /** Per-row weights (default 1): sklearn's sample_weight, times class weights when wanted. */
  sampleWeight?: readonly number[];
  /**
   * Stop when the largest gradient component is at most tolerance * max(1, C * sum w): the
   * gradient relative to the scale of the loss term, default 1e-12 (rounding of the gradient
   * of n rows is about n * 1e-16 of that scale, so an absolute target could be unreachable).
   */
  tolerance?: number;
  /** Newton steps at most (default 100; a fit here takes about 5-10 dense, 5-15 newton-cg). */
  maxIterations?: number;
  /** Start from these coefficients and intercept instead of zeros (a warm start along a path of C). */
  initial?: LogisticStart;
  /** 'auto' (default): 'dense' when p <= DENSE_NEWTON_MAX_FEATURES, else 'newton-cg'. */
  solver?: 'auto' | 'dense' | 'newton-cg';
}

export interface LogisticFit {
  coefficients: number[];
  intercept: number;
  /** Newton steps taken. */
  iterations: number;
  /** Whether the gradient reached the tolerance (false: stopped at maxIterations or where rounding allowed no further decrease). */
  converged?: boolean;
  /** Largest absolute gradient component at the returned point. */
  gradientNorm?: number;
  /** The solver used. */
  solver?: 'dense' | 'newton-cg';
  /** newton-cg: Hessian-vector products (CG iterations) over all Newton steps. */
  hessianProducts?: number;
}

/** P(y = 1) for one row: the sigmoid of intercept + row . coefficients. */
export function logisticProbability(model: LogisticModel, row: readonly number[]): number {
  return sigmoid(linearPredictor(model, row));
}

/** intercept + row . coefficients (the logit). */
export function linearPredictor(model: LogisticModel, row: readonly number[]): number {
  if (row.length !== model.coefficients.length) throw new AppError('STATS_INVALID', `a row has ${row.length} values but the model has ${model.coefficients.length} coefficients`);
  let z = model.intercept;
  for (let j = 0; j < row.length; j++) z += model.coefficients[j]! * row[j]!;
  return z;
}

/** theta = [coef_0..coef_{p-1}, intercept]. */
function objective(problem: LogisticProblem, theta: Float64Array): number {
  const { n, p, x, y, cw } = problem;
  const b = theta[p]!;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let z = b;
    const base = i * p;
    for (let j = 0; j < p; j++) z += x[base + j]! * theta[j]!;
    // -log P(y_i | z) = softplus(z) - y z = softplus(-z) for y = 1
    loss += cw[i]! * (y[i] === 1 ? softplus(-z) : softplus(z));
  }
  let penalty = 0;
  for (let j = 0; j < p; j++) penalty += theta[j]! * theta[j]!;
  return loss + 0.5 * penalty;
}

/** Gradient and Hessian (row-major d x d, d = p + 1) at theta. */
function derivatives(problem: LogisticProblem, theta: Float64Array, gradient: Float64Array, hessian: Float64Array): void {
  const { n, p, x, y, cw } = problem;
  const d = p + 1;
  gradient.fill(0);
  hessian.fill(0);
  const b = theta[p]!;
  for (let i = 0; i < n; i++) {
    const base = i * p;
    let z = b;
    for (let j = 0; j < p; j++) z += x[base + j]! * theta[j]!;
    // P(y=1) and P(y=0) each without cancellation
    let p1: number;
    let p0: number;
    if (z >= 0) {
      const e = Math.exp(-z);
      p1 = 1 / (1 + e);
      p0 = e / (1 + e);
    } else {
      const e = Math.exp(z);
      p1 = e / (1 + e);
      p0 = 1 / (1 + e);
    }
    const residual = cw[i]! * (y[i] === 1 ? -p0 : p1);
    const curvature = cw[i]! * p1 * p0;
    for (let j = 0; j < p; j++) {
      const xj = x[base + j]!;
      gradient[j]! += residual * xj;
      const cx = curvature * xj;
      const rowOffset = j * d;
      for (let k = 0; k <= j; k++) hessian[rowOffset + k]! += cx * x[base + k]!;
      hessian[p * d + j]! += cx;
    }
    gradient[p]! += residual;
    hessian[p * d + p]! += curvature;
  }
  for (let j = 0; j < p; j++) {
    gradient[j]! += theta[j]!;
    hessian[j * d + j]! += 1;
  }
  // mirror the lower triangle
  for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) hessian[k * d + j] = hessian[j * d + k]!;
}

/**
 * Solves A s = g for symmetric positive definite A (row-major d x d) by Cholesky. Returns
 * false when A is not numerically positive definite (the caller adds a ridge and retries).
 */
export function choleskySolve(a: Float64Array, g: Float64Array, d: number, out: Float64Array): boolean {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let diag = a[j * d + j]!;
    for (let k = 0; k < j; k++) diag -= l[j * d + k]! * l[j * d + k]!;
    if (!(diag > 0) || !Number.isFinite(diag)) return false;
    const ljj = Math.sqrt(diag);
    l[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      l[i * d + j] = s / ljj;
    }
  }
  // L u = g, then L' s = u
  for (let i = 0; i < d; i++) {
    let s = g[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * out[k]!;
    out[i] = s / l[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = out[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * out[k]!;
    out[i] = s / l[i * d + i]!;
  }
  return true;
}

interface SolverSettings {
  /** theta = [coef..., intercept] at the start; overwritten with the result. */
  theta: Float64Array;
  /** Stop when the largest gradient component is at most this. */
  target: number;
  /** max(1, C * sum w). */
  gradientScale: number;
  maxIterations: number;
}

/** The dense Newton solver (see the module comment); theta is updated in place. */
function fitDenseNewton(problem: LogisticProblem, settings: SolverSettings): { iterations: number; converged: boolean; gradientNorm: number } {
  const { p } = problem;
  const d = p + 1;
  const { theta, target, gradientScale, maxIterations } = settings;
  const trial = new Float64Array(d);
  const gradient = new Float64Array(d);
  const hessian = new Float64Array(d * d);
  const step = new Float64Array(d);
  let value = objective(problem, theta);
  let iterations = 0;
  let converged = false;
  let gradientNorm = Infinity;
  for (;;) {
    derivatives(problem, theta, gradient, hessian);
    gradientNorm = maxAbs(gradient);
    if (gradientNorm <= target) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;
    // The Hessian is positive definite in exact arithmetic (the ridge on coef, and the curvature
    // of the intercept with both classes); should rounding say otherwise, add a growing ridge.
    let ridge = 0;
    while (!choleskySolve(hessian, gradient, d, step)) {
      const next = ridge === 0 ? 1e-12 * gradientScale : ridge * 10;
      for (let j = 0; j < d; j++) hessian[j * d + j]! += next - ridge;
      ridge = next;
      if (!Number.isFinite(ridge)) throw new AppError('STATS_INVALID', 'the logistic regression could not be solved (its Newton system is singular)');
    }
    // Step halving on the objective. A step whose objective rises by no more than the rounding
    // of the objective itself is taken: near the minimum the true decrease is below that rounding.
    const slack = 1e-14 * Math.max(1, Math.abs(value));
    let t = 1;
    let accepted = false;
    for (let halving = 0; halving < 60; halving++) {
      for (let j = 0; j < d; j++) trial[j] = theta[j]! - t * step[j]!;
      const trialValue = objective(problem, trial);
      if (trialValue <= value + slack) {
        theta.set(trial);
        value = trialValue;
        accepted = true;
        break;
      }
      t /= 2;
    }
    iterations++;
    if (!accepted) break; // rounding allows no further decrease: this is the minimum to working precision
  }
  return { iterations, converged, gradientNorm };
}

/**
 * Fits the model (see the module comment) on a row-major design matrix, used as given (not
 * copied). Throws STATS_INVALID with a sentence for no rows, one class, a matrix whose size
 * does not match, values or weights that are not finite numbers, C not positive, and a warm
 * start of the wrong length.
 */
export function fitLogisticRegressionMatrix(design: DesignMatrix, y: readonly (0 | 1)[], options: LogisticFitOptions): LogisticFit {
  const problem = logisticProblem(design, y, options.c, options.sampleWeight);
  const { p } = problem;
  const gradientScale = Math.max(1, lossScale(problem));
  const settings: SolverSettings = {
    theta: startingPoint(p, options.initial),
    target: (options.tolerance ?? 1e-12) * gradientScale,
    gradientScale,
    maxIterations: options.maxIterations ?? 100,
  };
  const requested = options.solver ?? 'auto';
  const solver = requested === 'auto' ? (p <= DENSE_NEWTON_MAX_FEATURES ? 'dense' : 'newton-cg') : requested;
  const { theta } = settings;
  if (solver === 'dense') {
    const result = fitDenseNewton(problem, settings);
    return { coefficients: Array.from(theta.subarray(0, p)), intercept: theta[p]!, ...result, solver };
  }
  const result = fitNewtonCg(problem, settings);
  return { coefficients: Array.from(theta.subarray(0, p)), intercept: theta[p]!, ...result, solver };
}

/**
 * Fits the model (see the module comment) on rows of numbers. Throws STATS_INVALID with a
 * sentence for no rows, one class, rows of unequal length, values or weights that are not
 * finite numbers, C not positive, and a warm start of the wrong length.
 */
export function fitLogisticRegression(x: readonly (readonly number[])[], y: readonly (0 | 1)[], options: LogisticFitOptions): LogisticFit {
  return fitLogisticRegressionMatrix(designMatrix(x), y, options);
}
