import { AppError } from '../../contract/errors.js';
import type { Binary } from './confusionMatrix.js';
import { xoshiro128ss } from './prng.js';

export interface BootstrapCi {
  estimate: number;
  lower: number;
  upper: number;
  level: number;
  replicates: number;
  /** Replicates where the metric could not be computed (e.g. AUROC with one class), skipped. */
  skipped: number;
  seed: number;
}

/**
 * Stratified bootstrap percentile CI: positives and negatives are resampled separately, so
 * every replicate keeps the class sizes (as pROC's stratified bootstrap), and the interval is
 * the percentile interval with R's default (type 7) quantiles. `metric` receives the indices of
 * one resample (with repeats); replicates where it throws or returns a non-finite value are
 * skipped and counted. Seeded (xoshiro128**): the same seed gives the same interval.
 */
export function stratifiedBootstrapCi(
  truth: readonly Binary[],
  metric: (indices: number[]) => number,
  options: { replicates?: number; level?: number; seed?: number } = {},
): BootstrapCi {
  const replicates = options.replicates ?? 2000;
  const level = options.level ?? 0.95;
  const seed = options.seed ?? 1;
  const pos: number[] = [];
  const neg: number[] = [];
  truth.forEach((t, i) => (t === 1 ? pos : neg).push(i));
  const random = xoshiro128ss(seed);
  const values: number[] = [];
  let skipped = 0;
  for (let r = 0; r < replicates; r++) {
    const sample: number[] = [];
    for (let k = 0; k < pos.length; k++) sample.push(pos[random.below(pos.length)]!);
    for (let k = 0; k < neg.length; k++) sample.push(neg[random.below(neg.length)]!);
    try {
      const v = metric(sample);
      if (Number.isFinite(v)) values.push(v);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  if (values.length === 0) throw new AppError('STATS_INVALID', 'no bootstrap replicate could be computed');
  values.sort((a, b) => a - b);
  const quantile = (q: number) => {
    const h = (values.length - 1) * q;
    const lo = Math.floor(h);
    return values[lo]! + (h - lo) * ((values[Math.min(lo + 1, values.length - 1)] ?? values[lo]!) - values[lo]!);
  };
  const all = truth.map((_, i) => i);
  return { estimate: metric(all), lower: quantile((1 - level) / 2), upper: quantile(1 - (1 - level) / 2), level, replicates, skipped, seed };
}
