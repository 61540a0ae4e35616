import type { Binary } from './confusionMatrix.js';

/**
 * True and false positives when every case scoring at or above each distinct score is called
 * positive, from the highest score down (sklearn's _binary_clf_curve). Tied scores form one
 * step. The basis of the ROC and precision-recall curves.
 */
export function thresholdCounts(truth: readonly Binary[], scores: readonly number[]): { tps: number[]; fps: number[]; thresholds: number[] } {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const tps: number[] = [];
  const fps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (truth[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(scores[i]!);
    }
  }
  return { tps, fps, thresholds };
}
