import type { Binary } from '../stats/confusionMatrix.js';
import type { Gate } from '../../contract/screening.js';
import { AppError } from '../../contract/errors.js';
import { clearlyLess, meanLogLoss } from './logLoss.js';

/**
 * Evidence-gated fusion of the measurement model with a 3D CNN. The idea: the measures speak
 * clearly for a patient who is far from the not-ASD norms, and little for one who looks
 * typical; there the CNN may see what the measures miss. So the fused probability is
 * w pMeasures + (1 - w) pCnn, with w = wHi when the patient's outlyingness (mean |z| against
 * the not-ASD norms) is at or above a threshold and wLo below it. The threshold is a quantile
 * of the training patients' outlyingness; q, wLo and wHi are chosen on training patients only.
 */

/** The candidate quantiles of the threshold and the candidate weights of the measurement model. */
export const gateQuantiles = [0.25, 0.5, 0.75] as const;
export const fusionWeights = [0, 0.25, 0.5, 0.75, 1] as const;

export interface FusionRow {
  label: Binary;
  pMeasures: number;
  pCnn: number;
  outlyingness: number;
}

/**
 * Mean |z| of a patient's measure means against the norms. Measures whose norm SD is 0 or not
 * a finite number (fewer than 2 not-ASD patients, or a constant measure) carry no scale and are
 * left out; with none left the outlyingness is 0.
 */
export function outlyingness(featuresMean: readonly number[], norms: readonly { mean: number; sd: number }[]): number {
  if (featuresMean.length !== norms.length) throw new AppError('STATS_INVALID', `${featuresMean.length} measures but ${norms.length} norms`);
  let sum = 0;
  let used = 0;
  featuresMean.forEach((v, j) => {
    const norm = norms[j]!;
    if (!(norm.sd > 0 && Number.isFinite(norm.sd))) return;
    sum += Math.abs((v - norm.mean) / norm.sd);
    used++;
  });
  return used === 0 ? 0 : sum / used;
}

/** The weight of the measurement model for a patient of this outlyingness. */
export function measurementWeight(outlying: number, gate: Gate): number {
  return outlying >= gate.threshold ? gate.wHi : gate.wLo;
}

export function fuse(pMeasures: number, pCnn: number, outlying: number, gate: Gate): number {
  const w = measurementWeight(outlying, gate);
  return w * pMeasures + (1 - w) * pCnn;
}

/** The q-quantile with R's default (type 7): linear between order statistics at h = (n - 1) q. */
export function quantileType7(values: readonly number[], q: number): number {
  if (values.length === 0) throw new AppError('STATS_INVALID', 'a quantile of no values is undefined');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`a quantile level is in 0..1, not ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function requireRows(rows: readonly FusionRow[]): void {
  if (rows.length === 0) throw new AppError('STATS_INVALID', 'choosing fusion weights needs at least one training patient');
}

/**
 * The gate with the lowest mean patient log loss on `rows` over the grid q x wLo x wHi
 * (3 x 5 x 5, in that nesting order: q slowest, wHi fastest). Ties (losses within 1e-12
 * relative) keep the earlier grid point: the lower quantile, then the smaller wLo, then the
 * smaller wHi. So a best gate with wLo = wHi (one weight for everyone, where q does not
 * matter) is reported with q = 0.25.
 */
export function chooseGate(rows: readonly FusionRow[]): Gate {
  requireRows(rows);
  const labels = rows.map((r) => r.label);
  const outlying = rows.map((r) => r.outlyingness);
  const fused = new Float64Array(rows.length);
  let best: Gate | null = null;
  let bestLoss = Infinity;
  for (const q of gateQuantiles) {
    const threshold = quantileType7(outlying, q);
    for (const wLo of fusionWeights) {
      for (const wHi of fusionWeights) {
        const gate = { q, wLo, wHi, threshold };
        rows.forEach((r, i) => (fused[i] = fuse(r.pMeasures, r.pCnn, r.outlyingness, gate)));
        const loss = meanLogLoss(labels, fused);
        if (best === null || clearlyLess(loss, bestLoss)) {
          best = gate;
          bestLoss = loss;
        }
      }
    }
  }
  return best!;
}

/** The single weight w of the measurement model (same for every patient) with the lowest mean patient log loss; ties keep the smaller w. */
export function chooseGlobalWeight(rows: readonly FusionRow[]): number {
  requireRows(rows);
  const labels = rows.map((r) => r.label);
  let best: number | null = null;
  let bestLoss = Infinity;
  for (const w of fusionWeights) {
    const loss = meanLogLoss(labels, rows.map((r) => w * r.pMeasures + (1 - w) * r.pCnn));
    if (best === null || clearlyLess(loss, bestLoss)) {
      best = w;
      bestLoss = loss;
    }
  }
  return best!;
}
