/** How the study screens write a rater's figures. */
import type { StudyResults } from '../../../src-main/contract/entities.js';

export type RaterSummary = NonNullable<StudyResults['comparison']>['raters'][number];

export const f3 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3));

/** The AUROC's estimate (kept by the comparison when only its interval is undefined); null when undefined. */
export function aurocEstimate(r: RaterSummary): number | null {
  return r.auroc && Number.isFinite(r.auroc.estimate) ? r.auroc.estimate : null;
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
