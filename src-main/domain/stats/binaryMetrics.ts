import type { ConfusionMatrix } from './confusionMatrix.js';

// The confusion matrix lives in its own module; re-exported here for existing callers.
export { callsAt, confusionMatrix, type Binary, type ConfusionMatrix } from './confusionMatrix.js';

/**
 * The threshold metrics of a confusion matrix. Where a ratio has an empty denominator it is
 * reported as 0, as sklearn does with zero_division=0, and `undefinedMetrics` names it, so
 * no value is ever NaN.
 */
export interface BinaryMetrics {
  n: number;
  accuracy: number;
  /** Positive predictive value, TP / (TP + FP). */
  precision: number;
  /** Sensitivity, TP / (TP + FN). */
  recall: number;
  /** TN / (TN + FP). */
  specificity: number;
  /** Negative predictive value, TN / (TN + FN). */
  npv: number;
  f1: number;
  /**
   * Mean of sensitivity and specificity. As sklearn's balanced_accuracy_score, a class absent
   * from the truth is left out of the mean (so with negatives only it equals the specificity).
   */
  balancedAccuracy: number;
  /** Metrics whose denominator was empty (reported as 0). */
  undefinedMetrics: string[];
}

export function binaryMetrics(m: ConfusionMatrix): BinaryMetrics {
  const undefinedMetrics: string[] = [];
  const ratio = (num: number, den: number, name: string): number => {
    if (den === 0) {
      undefinedMetrics.push(name);
      return 0;
    }
    return num / den;
  };
  const n = m.tp + m.fp + m.tn + m.fn;
  const accuracy = ratio(m.tp + m.tn, n, 'accuracy');
  const precision = ratio(m.tp, m.tp + m.fp, 'precision');
  const recall = ratio(m.tp, m.tp + m.fn, 'recall');
  const specificity = ratio(m.tn, m.tn + m.fp, 'specificity');
  const npv = ratio(m.tn, m.tn + m.fn, 'npv');
  const f1 = ratio(2 * m.tp, 2 * m.tp + m.fp + m.fn, 'f1');
  const hasPositives = m.tp + m.fn > 0;
  const hasNegatives = m.tn + m.fp > 0;
  let balancedAccuracy = 0;
  if (hasPositives && hasNegatives) balancedAccuracy = (recall + specificity) / 2;
  else if (hasPositives) balancedAccuracy = recall;
  else if (hasNegatives) balancedAccuracy = specificity;
  else undefinedMetrics.push('balancedAccuracy');
  return { n, accuracy, precision, recall, specificity, npv, f1, balancedAccuracy, undefinedMetrics };
}

/** Wilson score interval for a proportion (Wilson 1927); 0..1 when there is nothing to count. */
export function wilsonInterval(successes: number, n: number, z = 1.959963984540054): { lower: number; upper: number } {
  if (n === 0) return { lower: 0, upper: 1 };
  const p = successes / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}
