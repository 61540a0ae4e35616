/**
 * SYNTHETIC logistic regression problems (seeded random numbers, not patients): standard
 * normal columns (as standardised features are) and labels drawn from a linear signal, for the
 * wide-solver tests and the training benchmark.
 */
import { mulberry32 } from '../../src-main/domain/studies/seededOrder.js';
import type { DesignMatrix } from '../../src-main/domain/learn/logisticRegression.js';

export interface SyntheticLogisticOptions {
  rows: number;
  columns: number;
  seed: number;
  /** Standard deviation of the true logit (larger: nearer separable); default 1.5. */
  separation?: number;
  /** Share of positives aimed at; default 0.4. */
  positiveRate?: number;
}

export interface SyntheticLogistic {
  design: DesignMatrix;
  labels: (0 | 1)[];
}

/** A standard normal draw (Box-Muller) from a uniform generator. */
function normalDraw(uniform: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export function syntheticLogistic(options: SyntheticLogisticOptions): SyntheticLogistic {
  const { rows: n, columns: p, seed } = options;
  const separation = options.separation ?? 1.5;
  const positiveRate = options.positiveRate ?? 0.4;
  const uniform = mulberry32(seed);
  const beta = Array.from({ length: p }, () => normalDraw(uniform) / Math.sqrt(p));
  const offset = Math.log(positiveRate / (1 - positiveRate));
  const values = new Float64Array(n * p);
  const labels: (0 | 1)[] = [];
  for (let i = 0; i < n; i++) {
    let logit = offset;
    for (let j = 0; j < p; j++) {
      const v = normalDraw(uniform);
      values[i * p + j] = v;
      logit += separation * beta[j]! * v;
    }
    labels.push(uniform() < 1 / (1 + Math.exp(-logit)) ? 1 : 0);
  }
  if (!labels.includes(0)) labels[0] = 0;
  if (!labels.includes(1)) labels[0] = 1;
  return { design: { rows: n, columns: p, values }, labels };
}

/** The design as rows of numbers (for fitLogisticRegression). */
export function designRows(design: DesignMatrix): number[][] {
  const { rows, columns, values } = design;
  return Array.from({ length: rows }, (_, i) => Array.from(values.subarray(i * columns, (i + 1) * columns)));
}
