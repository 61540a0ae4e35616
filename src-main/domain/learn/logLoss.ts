import type { Binary } from '../stats/confusionMatrix.js';

/** Probabilities are clipped to [eps, 1 - eps] before the logarithm, as sklearn 1.2's log_loss (eps 1e-15), so a confident miss costs a large but finite loss. */
export const logLossEps = 1e-15;

/** Mean log loss of probabilities against the truth: -mean(y log p + (1 - y) log(1 - p)). */
export function meanLogLoss(truth: readonly Binary[], probabilities: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < truth.length; i++) {
    const p = Math.min(1 - logLossEps, Math.max(logLossEps, probabilities[i]!));
    sum -= truth[i] === 1 ? Math.log(p) : Math.log1p(-p);
  }
  return sum / truth.length;
}

/** a is better than b by more than rounding: losses within 1e-12 (relative) count as tied. */
export function clearlyLess(a: number, b: number): boolean {
  if (!Number.isFinite(b)) return a < b;
  return a < b - 1e-12 * Math.max(1, Math.abs(b));
}
