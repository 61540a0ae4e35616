/**
 * Confusion matrix and the threshold metrics derived from it. Truth and predictions are 0/1
 * with 1 = positive (ASD). Where a ratio has an empty denominator it is 0, as sklearn
 * reports it by default (zero_division="warn" -> 0), and `undefinedMetrics` names it.
 */
export interface ConfusionMatrix {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export type Binary = 0 | 1;

export function confusionMatrix(truth: readonly Binary[], predicted: readonly Binary[]): ConfusionMatrix {
  if (truth.length !== predicted.length) throw new RangeError(`truth has ${truth.length} cases but predictions have ${predicted.length}`);
  const m = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (t === 1 && p === 1) m.tp++;
    else if (t === 0 && p === 1) m.fp++;
    else if (t === 0 && p === 0) m.tn++;
    else m.fn++;
  }
  return m;
}

export interface BinaryMetrics {
  n: number;
  accuracy: number;
  precision: number;
  recall: number;
  specificity: number;
  npv: number;
  f1: number;
  balancedAccuracy: number;
  /** Metrics whose denominator was empty (reported as 0). */
  undefinedMetrics: string[];
}

const ratio = (num: number, den: number, name: string, undefinedMetrics: string[]): number => {
  if (den === 0) {
    undefinedMetrics.push(name);
    return 0;
  }
  return num / den;
};

export function binaryMetrics(m: ConfusionMatrix): BinaryMetrics {
  const undefinedMetrics: string[] = [];
  const n = m.tp + m.fp + m.tn + m.fn;
  const precision = ratio(m.tp, m.tp + m.fp, 'precision', undefinedMetrics);
  const recall = ratio(m.tp, m.tp + m.fn, 'recall', undefinedMetrics);
  const specificity = ratio(m.tn, m.tn + m.fp, 'specificity', undefinedMetrics);
  const npv = ratio(m.tn, m.tn + m.fn, 'npv', undefinedMetrics);
  const f1 = ratio(2 * m.tp, 2 * m.tp + m.fp + m.fn, 'f1', undefinedMetrics);
  return {
    n,
    accuracy: ratio(m.tp + m.tn, n, 'accuracy', undefinedMetrics),
    precision,
    recall,
    specificity,
    npv,
    f1,
    balancedAccuracy: (recall + specificity) / 2,
    undefinedMetrics,
  };
}

/** Calls at a threshold: score >= threshold is positive (as the verdicts use). */
export function callsAt(scores: readonly number[], threshold: number): Binary[] {
  return scores.map((s) => (s >= threshold ? 1 : 0));
}

/** Wilson score interval for a proportion (Wilson 1927). */
export function wilsonInterval(successes: number, n: number, z = 1.959963984540054): { lower: number; upper: number } {
  if (n === 0) return { lower: 0, upper: 1 };
  const p = successes / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}
