/**
 * From clip outputs to a verdict. The reference model's raw sigmoid is P(non-ASD) (class
 * folders sort "ASD" before "ASD_not", so ASD_not = 1); WalkScope converts every output to
 * P(ASD) once, here, and names it so.
 */
export type Aggregation = 'mean' | 'median' | 'max';

export interface OutputSpec {
  kind: 'logit' | 'probability';
  /** The class the raw output measures, e.g. "ASD_not" for the reference models. */
  positiveClass: string;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** P(ASD) from one raw model output. */
export function probabilityOfAsd(raw: number, output: OutputSpec): number {
  const p = output.kind === 'logit' ? sigmoid(raw) : raw;
  return output.positiveClass === 'ASD' ? p : 1 - p;
}

export function aggregate(values: readonly number[], how: Aggregation): number {
  if (values.length === 0) throw new RangeError('no clip scores to aggregate');
  if (how === 'max') return Math.max(...values);
  if (how === 'mean') return values.reduce((s, v) => s + v, 0) / values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The verdict at the manifest threshold: P(ASD) >= threshold is ASD. */
export function verdictOf(probabilityAsd: number, threshold: number): 'ASD' | 'non-ASD' {
  return probabilityAsd >= threshold ? 'ASD' : 'non-ASD';
}
