/** Number formatting and study facts the reports share; their sentences are in the catalogues (studyReportText.ts, screeningReportText.ts). */
import type { StudyResults } from '../contract/entities.js';

/** What a study report is made from. */
export interface ReportContext {
  results: StudyResults;
  appVersion: string;
  generatedAt: string;
  /** Models whose output appears in the report, with their validation state. */
  models: Array<{ id: string; name: string; version: string; sha256: string; validated: boolean }>;
}

export const dash = '—';
export const fmt = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? dash : x.toFixed(digits));
export const fmtP = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3));
/** An estimate with its interval; "CI undefined" when the bounds are null (e.g. DeLong's variance with one case of a class). */
export const fmtCi = (i: { estimate: number; lower: number | null; upper: number | null } | null | undefined) =>
  !i ? dash : i.lower === null || i.upper === null ? `${fmt(i.estimate)} (CI undefined)` : `${fmt(i.estimate)} (${fmt(i.lower)}–${fmt(i.upper)})`;

type Pair = NonNullable<StudyResults['comparison']>['pairs'][number];

type Rater = NonNullable<StudyResults['comparison']>['raters'][number];

/** What readers saw, as a noun: "clip" or "video" (from the protocol, never assumed). */
export const materialNoun = (results: StudyResults) => (results.study.protocol.material === 'clip' ? 'clip' : 'video');

/** A rater's reader and modality: "dr-a (aided)" is dr-a reading aided; a model's modality is "model". */
export function raterParts(results: StudyResults, rater: Pick<Rater, 'rater' | 'isModel'>): { reader: string; modality: string } {
  if (rater.isModel) return { reader: rater.rater, modality: 'model' };
  const m = /^(.*) \((unaided|aided)\)$/.exec(rater.rater);
  return m ? { reader: m[1]!, modality: m[2]! } : { reader: rater.rater, modality: results.design.modalities[0] ?? 'unaided' };
}

/** A readable time with its zone, "2 December 2026 at 09:00 UTC" (the zone of the machine that wrote the report unless given). */
export function readableTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short', ...(timeZone ? { timeZone } : {}) }).format(date);
}

export const modelColour = '#4d4d4d';

/**
 * The pairs a coordinator reads: the same reader aided against unaided, a reader against the
 * model, and two readers in the same modality. Two readers in different modalities are left
 * out (their difference mixes reader and modality).
 */
export function mainPairs(results: StudyResults, pairs: readonly Pair[]): Array<{ group: string; pair: Pair }> {
  const raters = new Map((results.comparison?.raters ?? []).map((r) => [r.rater, r]));
  const parts = (name: string) => raterParts(results, raters.get(name) ?? { rater: name, isModel: name.startsWith('model') });
  const out: Array<{ group: string; pair: Pair; order: number }> = [];
  for (const pair of pairs) {
    const a = parts(pair.a);
    const b = parts(pair.b);
    if (a.modality === 'model' || b.modality === 'model') out.push({ group: 'Reader against the model', pair, order: 1 });
    else if (a.reader === b.reader) out.push({ group: 'Aided against unaided (same reader)', pair, order: 0 });
    else if (a.modality === b.modality) out.push({ group: `Reader against reader (${a.modality})`, pair, order: 2 });
  }
  return out.sort((x, y) => x.order - y.order).map(({ group, pair }) => ({ group, pair }));
}

export function researchOnly(context: ReportContext): boolean {
  return context.models.some((m) => !m.validated);
}

