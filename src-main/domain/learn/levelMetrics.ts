import type { LevelMetrics, MetricInterval, PointMetrics } from '../../contract/screening.js';
import { AppError } from '../../contract/errors.js';
import { binaryMetrics, wilsonInterval } from '../stats/binaryMetrics.js';
import { stratifiedBootstrapCi } from '../stats/bootstrap.js';
import { callsAt, confusionMatrix, type Binary } from '../stats/confusionMatrix.js';
import { deLongCi } from '../stats/deLong.js';
import { auroc, rocCurve } from '../stats/roc.js';

/**
 * The metrics of one set of probabilities against the truth (patients or segments), as the
 * contract's LevelMetrics: threshold metrics at `threshold` (probability >= threshold calls
 * ASD), balanced accuracy and F1 with the stratified bootstrap percentile interval, accuracy,
 * sensitivity and specificity with Wilson intervals, the AUROC with DeLong's interval, the
 * Brier score, the ROC curve and a reliability diagram.
 */

function validate(truth: readonly Binary[], probabilities: readonly number[]): void {
  if (truth.length !== probabilities.length) throw new AppError('STATS_INVALID', `${truth.length} truths but ${probabilities.length} probabilities`);
  if (truth.length === 0) throw new AppError('STATS_INVALID', 'there are no predictions to evaluate');
  probabilities.forEach((p, i) => {
    if (!(Number.isFinite(p) && p >= 0 && p <= 1)) throw new AppError('STATS_INVALID', `probability ${i + 1} is ${p}, not a number from 0 to 1`);
  });
}

/** Mean squared difference between probability and truth. */
export function brierScore(truth: readonly Binary[], probabilities: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < truth.length; i++) sum += (probabilities[i]! - truth[i]!) ** 2;
  return sum / truth.length;
}

/** The index of the calibration bin of p: [k/10, (k+1)/10), the last bin closed at 1. */
export function calibrationBin(p: number): number {
  let k = Math.min(9, Math.max(0, Math.floor(p * 10)));
  // p * 10 can round across a boundary; compare with the bin edges as doubles
  if (k > 0 && p < k / 10) k--;
  else if (k < 9 && p >= (k + 1) / 10) k++;
  return k;
}

/** Reliability diagram: 10 equal-width bins, empty bins left out. */
export function calibrationBins(truth: readonly Binary[], probabilities: readonly number[]): LevelMetrics['calibration'] {
  const n = new Array<number>(10).fill(0);
  const predicted = new Array<number>(10).fill(0);
  const observed = new Array<number>(10).fill(0);
  probabilities.forEach((p, i) => {
    const k = calibrationBin(p);
    n[k]! += 1;
    predicted[k]! += p;
    observed[k]! += truth[i]!;
  });
  const bins: LevelMetrics['calibration'] = [];
  for (let k = 0; k < 10; k++) {
    if (n[k] === 0) continue;
    bins.push({ lower: k / 10, upper: (k + 1) / 10, n: n[k]!, meanPredicted: predicted[k]! / n[k]!, observedRate: observed[k]! / n[k]! });
  }
  return bins;
}

/** The confusion matrix of the cases at `indices` (with repeats), as confusionMatrix on the resampled lists. */
function resampledConfusion(truth: readonly Binary[], calls: readonly Binary[], indices: readonly number[]): { tp: number; fp: number; tn: number; fn: number } {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const i of indices) {
    if (truth[i] === 1) {
      if (calls[i] === 1) tp++;
      else fn++;
    } else if (calls[i] === 1) fp++;
    else tn++;
  }
  return { tp, fp, tn, fn };
}

function proportion(successes: number, n: number): MetricInterval {
  const ci = wilsonInterval(successes, n);
  return { estimate: n === 0 ? 0 : successes / n, lower: ci.lower, upper: ci.upper };
}

function classCounts(truth: readonly Binary[]): { positives: number; negatives: number } {
  let positives = 0;
  for (const t of truth) positives += t;
  return { positives, negatives: truth.length - positives };
}

export interface LevelMetricsOptions {
  /** Probability at or above which the call is ASD (default 0.5). */
  threshold?: number;
  /** Bootstrap replicates for the balanced-accuracy and F1 intervals. */
  replicates: number;
  seed: number;
}

export function levelMetrics(truth: readonly Binary[], probabilities: readonly number[], options: LevelMetricsOptions): LevelMetrics {
  validate(truth, probabilities);
  const threshold = options.threshold ?? 0.5;
  const calls = callsAt(probabilities, threshold);
  const confusion = confusionMatrix(truth, calls);
  const { positives, negatives } = classCounts(truth);
  const boot = (metric: 'balancedAccuracy' | 'f1'): MetricInterval => {
    // counts straight from the resampled indices (no arrays per replicate: segments can be thousands)
    const ci = stratifiedBootstrapCi(truth, (idx) => binaryMetrics(resampledConfusion(truth, calls, idx))[metric], {
      replicates: options.replicates,
      seed: options.seed,
    });
    return { estimate: ci.estimate, lower: ci.lower, upper: ci.upper };
  };
  let aurocInterval: MetricInterval | null = null;
  if (positives >= 2 && negatives >= 2) {
    const ci = deLongCi(truth, probabilities);
    aurocInterval = { estimate: ci.auc, lower: ci.lower, upper: ci.upper };
  }
  let roc: LevelMetrics['roc'] = null;
  if (positives > 0 && negatives > 0) {
    const curve = rocCurve(truth, probabilities);
    roc = { fpr: curve.fpr, tpr: curve.tpr };
  }
  return {
    n: truth.length,
    positives,
    threshold,
    confusion,
    balancedAccuracy: boot('balancedAccuracy'),
    accuracy: proportion(confusion.tp + confusion.tn, truth.length),
    sensitivity: proportion(confusion.tp, positives),
    specificity: proportion(confusion.tn, negatives),
    f1: boot('f1'),
    auroc: aurocInterval,
    brier: brierScore(truth, probabilities),
    roc,
    calibration: calibrationBins(truth, probabilities),
  };
}

/** Point metrics of one fold or repeat; the AUROC is null when a class is absent. */
export function pointMetrics(truth: readonly Binary[], probabilities: readonly number[], threshold = 0.5): PointMetrics {
  validate(truth, probabilities);
  const m = binaryMetrics(confusionMatrix(truth, callsAt(probabilities, threshold)));
  const { positives, negatives } = classCounts(truth);
  return {
    balancedAccuracy: m.balancedAccuracy,
    accuracy: m.accuracy,
    sensitivity: m.recall,
    specificity: m.specificity,
    f1: m.f1,
    auroc: positives > 0 && negatives > 0 ? auroc(truth, probabilities) : null,
    brier: brierScore(truth, probabilities),
  };
}

const pointMetricNames = ['balancedAccuracy', 'accuracy', 'sensitivity', 'specificity', 'f1', 'auroc', 'brier'] as const;

/**
 * Mean and sample SD (n - 1; 0 for one row) of each point metric over folds or repeats. The
 * AUROC is summarised over the rows that have one; when none has, the key is left out.
 */
export function summariseMeanSd(rows: readonly PointMetrics[]): Record<string, { mean: number; sd: number; n: number }> {
  const out: Record<string, { mean: number; sd: number; n: number }> = {};
  for (const name of pointMetricNames) {
    const values = rows.map((r) => r[name]).filter((v): v is number => v !== null);
    if (values.length === 0) continue;
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = values.length < 2 ? 0 : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    out[name] = { mean, sd, n: values.length };
  }
  return out;
}
