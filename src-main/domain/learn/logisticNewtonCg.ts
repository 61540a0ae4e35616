import { softplus, maxAbs, type LogisticProblem } from './logisticProblem.js';

/**
 * Matrix-free truncated Newton (Newton-CG) for the L2 logistic regression objective of
 * logisticRegression.ts,
 *
 *   F(coef, b) = sum_i cw_i * logloss(y_i, x_i . coef + b) + 0.5 * ||coef||^2,   cw_i = C * w_i,
 *
 * for wide problems (thousands of columns), where the dense (p+1)x(p+1) Hessian costs n p^2
 * per step. Each Newton step solves H s = g approximately by conjugate gradients on
 * Hessian-vector products,
 *
 *   H v = [v_coef + X^T (D (X v_coef + v_b)),  sum_i D_i (x_i . v_coef + v_b)],   D_i = cw_i p_i (1 - p_i),
 *
 * the intercept being the (p+1)-th coordinate of v (exact, unpenalised). One product is one
 * pass over the row-major design (each row's dot product and its update while the row is in
 * cache). CG is preconditioned by the Hessian's diagonal and stops at a relative residual
 * eta = min(0.5, sqrt(gradient / scale)) (a forcing sequence, so the outer iteration converges
 * superlinearly), or at a tenth of the gradient target (no more exact than the stopping rule
 * needs), or at negative curvature (rounding only: H is positive definite), or after 2 (p + 1)
 * products. The step
 * is backtracked (halved) until the objective satisfies the Armijo condition, up to the
 * rounding of the objective; the line search costs O(n) per trial because X s is accumulated
 * inside CG. The objective therefore never increases beyond its rounding.
 */

export interface NewtonCgSettings {
  /** Stop when the largest gradient component is at most this (absolute). */
  target: number;
  /** max(1, C * sum w): the scale of the gradient, to which the CG forcing term is relative. */
  gradientScale: number;
  maxIterations: number;
  /** Starting theta = [coef..., intercept], length p + 1; overwritten with the result. */
  theta: Float64Array;
}

export interface NewtonCgResult {
  iterations: number;
  converged: boolean;
  gradientNorm: number;
  /** Hessian-vector products (CG iterations) over all Newton steps. */
  hessianProducts: number;
}

/**
 * x_row . v over the first p entries of v, row starting at x[base]. Four partial sums (the
 * loop is memory-bound and V8 does not vectorise; four chains run about 1.6 times faster).
 */
function rowDot(x: Float64Array, base: number, v: Float64Array, p: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (const end = p - (p % 4); j < end; j += 4) {
    const k = base + j;
    s0 += x[k]! * v[j]!;
    s1 += x[k + 1]! * v[j + 1]!;
    s2 += x[k + 2]! * v[j + 2]!;
    s3 += x[k + 3]! * v[j + 3]!;
  }
  let sum = s0 + s1 + (s2 + s3);
  for (; j < p; j++) sum += x[base + j]! * v[j]!;
  return sum;
}

/** out[0..p) += u * x_row, row starting at x[base]. */
function addScaledRow(out: Float64Array, u: number, x: Float64Array, base: number, p: number): void {
  let j = 0;
  for (const end = p - (p % 4); j < end; j += 4) {
    const k = base + j;
    out[j]! += u * x[k]!;
    out[j + 1]! += u * x[k + 1]!;
    out[j + 2]! += u * x[k + 2]!;
    out[j + 3]! += u * x[k + 3]!;
  }
  for (; j < p; j++) out[j]! += u * x[base + j]!;
}

/** The quantities at one point theta, all from one pass over the design. */
interface PointState {
  /** x_i . coef + b */
  z: Float64Array;
  /** D_i = cw_i p_i (1 - p_i) */
  curvature: Float64Array;
  gradient: Float64Array;
  /** Diagonal of H: 1 + sum_i D_i x_ij^2, and sum_i D_i for the intercept. */
  diagonal: Float64Array;
  objective: number;
}

function newPointState(n: number, d: number): PointState {
  return { z: new Float64Array(n), curvature: new Float64Array(n), gradient: new Float64Array(d), diagonal: new Float64Array(d), objective: 0 };
}

/** Objective, gradient, curvature weights and the Hessian diagonal at theta in one pass over X. */
function evaluatePoint(problem: LogisticProblem, theta: Float64Array, state: PointState): void {
  const { n, p, x, y, cw } = problem;
  const { z, curvature, gradient, diagonal } = state;
  gradient.fill(0);
  diagonal.fill(0);
  const b = theta[p]!;
  let loss = 0;
  let interceptGradient = 0;
  let interceptCurvature = 0;
  for (let i = 0; i < n; i++) {
    const base = i * p;
    const zi = b + rowDot(x, base, theta, p);
    z[i] = zi;
    // P(y=1) and P(y=0) each without cancellation
    let p1: number;
    let p0: number;
    if (zi >= 0) {
      const e = Math.exp(-zi);
      p1 = 1 / (1 + e);
      p0 = e / (1 + e);
    } else {
      const e = Math.exp(zi);
      p1 = e / (1 + e);
      p0 = 1 / (1 + e);
    }
    const weight = cw[i]!;
    loss += weight * (y[i] === 1 ? softplus(-zi) : softplus(zi));
    const residual = weight * (y[i] === 1 ? -p0 : p1);
    const di = weight * p1 * p0;
    curvature[i] = di;
    interceptGradient += residual;
    interceptCurvature += di;
    if (residual === 0 && di === 0) continue;
    for (let j = 0; j < p; j++) {
      const xij = x[base + j]!;
      gradient[j]! += residual * xij;
      diagonal[j]! += di * xij * xij;
    }
  }
  let penalty = 0;
  for (let j = 0; j < p; j++) {
    const coef = theta[j]!;
    gradient[j]! += coef;
    diagonal[j]! += 1;
    penalty += coef * coef;
  }
  gradient[p] = interceptGradient;
  diagonal[p] = interceptCurvature;
  state.objective = loss + 0.5 * penalty;
}

/**
 * out = H v (length p + 1), and xv_i = x_i . v_coef + v_b (the direction's change of each
 * logit, kept for the line search). One pass over X.
 */
function hessianTimes(problem: LogisticProblem, curvature: Float64Array, v: Float64Array, out: Float64Array, xv: Float64Array): void {
  const { n, p, x } = problem;
  const vb = v[p]!;
  for (let j = 0; j < p; j++) out[j] = v[j]!;
  let interceptOut = 0;
  for (let i = 0; i < n; i++) {
    const base = i * p;
    const t = vb + rowDot(x, base, v, p);
    xv[i] = t;
    const u = curvature[i]! * t;
    interceptOut += u;
    if (u !== 0) addScaledRow(out, u, x, base, p);
  }
  out[p] = interceptOut;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

/** Work vectors of the CG solve, allocated once per fit. */
interface CgWorkspace {
  /** The Newton step s (H s ~ g). */
  step: Float64Array;
  /** X s (with the intercept): accumulated from the X d of each CG direction. */
  stepLogits: Float64Array;
  residual: Float64Array;
  preconditioned: Float64Array;
  direction: Float64Array;
  hessianDirection: Float64Array;
  directionLogits: Float64Array;
}

function newCgWorkspace(n: number, d: number): CgWorkspace {
  return {
    step: new Float64Array(d),
    stepLogits: new Float64Array(n),
    residual: new Float64Array(d),
    preconditioned: new Float64Array(d),
    direction: new Float64Array(d),
    hessianDirection: new Float64Array(d),
    directionLogits: new Float64Array(n),
  };
}

/**
 * out = r / diag(H). The intercept's diagonal sum D_i is 0 when every weight is 0 or every
 * curvature underflows; that coordinate is then left unscaled.
 */
function precondition(diagonal: Float64Array, r: Float64Array, out: Float64Array): void {
  for (let k = 0; k < r.length; k++) {
    const h = diagonal[k]!;
    out[k] = h > 0 ? r[k]! / h : r[k]!;
  }
}

/**
 * Preconditioned CG from s = 0 on H s = g until ||g - H s|| <= max(relativeResidual * ||g||,
 * residualFloor), at most maxSteps products. Returns the number of Hessian-vector products.
 */
function conjugateGradient(problem: LogisticProblem, state: PointState, relativeResidual: number, residualFloor: number, maxSteps: number, work: CgWorkspace): number {
  const { step, stepLogits, residual, preconditioned, direction, hessianDirection, directionLogits } = work;
  const { gradient, diagonal, curvature } = state;
  step.fill(0);
  stepLogits.fill(0);
  residual.set(gradient);
  precondition(diagonal, residual, preconditioned);
  direction.set(preconditioned);
  let rz = dot(residual, preconditioned);
  const goal = Math.max(relativeResidual * Math.sqrt(dot(gradient, gradient)), residualFloor);
  let products = 0;
  while (products < maxSteps) {
    hessianTimes(problem, curvature, direction, hessianDirection, directionLogits);
    products++;
    const curvatureAlong = dot(direction, hessianDirection);
    // H is positive definite; a non-positive curvature is rounding: keep the step so far
    // (or, on the first product, the preconditioned gradient, still a descent direction).
    if (!(curvatureAlong > 0)) {
      if (products === 1) {
        step.set(direction);
        for (let i = 0; i < stepLogits.length; i++) stepLogits[i] = directionLogits[i]!;
      }
      break;
    }
    const alpha = rz / curvatureAlong;
    for (let k = 0; k < step.length; k++) {
      step[k]! += alpha * direction[k]!;
      residual[k]! -= alpha * hessianDirection[k]!;
    }
    for (let i = 0; i < stepLogits.length; i++) stepLogits[i]! += alpha * directionLogits[i]!;
    if (Math.sqrt(dot(residual, residual)) <= goal) break;
    precondition(diagonal, residual, preconditioned);
    const rzNext = dot(residual, preconditioned);
    const beta = rzNext / rz;
    rz = rzNext;
    for (let k = 0; k < direction.length; k++) direction[k] = preconditioned[k]! + beta * direction[k]!;
  }
  return products;
}

/** F(theta - t s), from the logits z - t X s: O(n + p), no pass over X. */
function objectiveAlong(problem: LogisticProblem, theta: Float64Array, state: PointState, work: CgWorkspace, t: number): number {
  const { n, p, y, cw } = problem;
  const { z } = state;
  const { step, stepLogits } = work;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const zi = z[i]! - t * stepLogits[i]!;
    loss += cw[i]! * (y[i] === 1 ? softplus(-zi) : softplus(zi));
  }
  let penalty = 0;
  for (let j = 0; j < p; j++) {
    const coef = theta[j]! - t * step[j]!;
    penalty += coef * coef;
  }
  return loss + 0.5 * penalty;
}

/**
 * Backtracking on theta - t s: the first t = 1, 1/2, 1/4, ... whose objective satisfies
 * F <= F0 - 1e-4 t g.s (Armijo), where a rise within the rounding of F itself counts as no rise
 * (near the minimum the true decrease is below that rounding). Updates theta; returns false
 * when no t qualifies (rounding allows no further decrease).
 */
function lineSearch(problem: LogisticProblem, theta: Float64Array, state: PointState, work: CgWorkspace): boolean {
  const { step } = work;
  const slope = dot(state.gradient, step);
  const slack = 1e-14 * Math.max(1, Math.abs(state.objective));
  let t = 1;
  for (let halving = 0; halving < 60; halving++) {
    const value = objectiveAlong(problem, theta, state, work, t);
    if (value <= state.objective - 1e-4 * t * Math.max(0, slope) + slack) {
      for (let k = 0; k < theta.length; k++) theta[k]! -= t * step[k]!;
      return true;
    }
    t /= 2;
  }
  return false;
}

/** The fit (see the module comment); theta is updated in place. */
export function fitNewtonCg(problem: LogisticProblem, settings: NewtonCgSettings): NewtonCgResult {
  const { n, p } = problem;
  const d = p + 1;
  const { theta, target, gradientScale, maxIterations } = settings;
  const state = newPointState(n, d);
  const work = newCgWorkspace(n, d);
  let iterations = 0;
  let hessianProducts = 0;
  let converged = false;
  let gradientNorm = Infinity;
  for (;;) {
    evaluatePoint(problem, theta, state);
    gradientNorm = maxAbs(state.gradient);
    if (gradientNorm <= target) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;
    const relativeResidual = Math.min(0.5, Math.sqrt(gradientNorm / gradientScale));
    // No need to solve more exactly than the stopping rule asks: a residual of a tenth of the
    // target (in the 2-norm, which bounds every component) leaves the next gradient below it
    // up to the second-order term.
    hessianProducts += conjugateGradient(problem, state, relativeResidual, 0.1 * target, 2 * d, work);
    iterations++;
    if (!lineSearch(problem, theta, state, work)) break;
  }
  return { iterations, converged, gradientNorm, hessianProducts };
}
