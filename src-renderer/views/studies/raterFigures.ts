/** How the study screens write a rater's figures. */
import type { StudyResults } from '../../../src-main/contract/entities.js';

export type RaterSummary = NonNullable<StudyResults['comparison']>['raters'][number];

export const f3 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3));

/** Area under a ROC curve by the trapezoid rule (the curve's tied scores are already diagonal steps, so this is the Mann-Whitney AUROC). */
export function curveArea(roc: { fpr: readonly number[]; tpr: readonly number[] }): number | null {
  if (roc.fpr.length < 2 || roc.fpr.length !== roc.tpr.length) return null;
  let area = 0;
  for (let i = 1; i < roc.fpr.length; i++) area += (roc.fpr[i]! - roc.fpr[i - 1]!) * (roc.tpr[i]! + roc.tpr[i - 1]!) / 2;
  return area;
}

/** The AUROC's estimate, from the summary or (when only its interval failed) from the curve; null when undefined. */
export function aurocEstimate(r: RaterSummary): number | null {
  if (r.auroc && Number.isFinite(r.auroc.estimate)) return r.auroc.estimate;
  return r.roc ? curveArea(r.roc) : null;
}

/**
 * "0.875 (0.700–0.950)"; an estimate whose interval is undefined (DeLong failed, or bounds that
 * are not numbers) is still shown: "0.875 (CI undefined)"; no estimate at all: "—".
 */
export function aurocText(r: RaterSummary): string {
  const estimate = aurocEstimate(r);
  if (estimate === null) return '—';
  const lower = r.auroc?.lower;
  const upper = r.auroc?.upper;
  if (typeof lower === 'number' && typeof upper === 'number' && Number.isFinite(lower) && Number.isFinite(upper)) return `${f3(estimate)} (${f3(lower)}–${f3(upper)})`;
  return `${f3(estimate)} (CI undefined)`;
}
