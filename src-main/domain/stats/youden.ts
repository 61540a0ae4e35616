import type { Binary } from './confusionMatrix.js';
import { rocClassCounts } from './roc.js';
import { thresholdCounts } from './thresholdCounts.js';

export interface YoudenPoint {
  /** Call positive when score >= threshold. */
  threshold: number;
  /** Youden's J = sensitivity + specificity - 1 (Youden 1950). */
  j: number;
  sensitivity: number;
  specificity: number;
}

/**
 * The threshold maximising Youden's J over the distinct scores. J is compared in whole numbers
 * (tp * negatives - fp * positives), so equal J values are equal, not rounding noise; where
 * several thresholds reach the same J the highest one is reported (the most specific).
 * Throws STATS_INVALID with one class.
 */
export function youdenThreshold(truth: readonly Binary[], scores: readonly number[]): YoudenPoint {
  const { positives, negatives } = rocClassCounts(truth, scores);
  const { tps, fps, thresholds } = thresholdCounts(truth, scores);
  let best = 0;
  for (let i = 1; i < tps.length; i++) {
    if (tps[i]! * negatives - fps[i]! * positives > tps[best]! * negatives - fps[best]! * positives) best = i;
  }
  const sensitivity = tps[best]! / positives;
  const specificity = (negatives - fps[best]!) / negatives;
  const j = (tps[best]! * negatives - fps[best]! * positives) / (positives * negatives);
  return { threshold: thresholds[best]!, j, sensitivity, specificity };
}
