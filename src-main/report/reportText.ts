import type { StudyResults } from '../contract/entities.js';
import { palette, type RocCurve } from './chartData.js';

/** Shared wording and number formatting of the study report (HTML and PDF say the same). */
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

/** Agreement of a pair's calls: "0.412 (0.180 to 0.644)", or a dash when undefined (the notes say why). */
export const fmtAgreement = (p: Pair) => (p.agreement ? `${fmt(p.agreement.kappa)} (${fmt(p.agreement.lower)} to ${fmt(p.agreement.upper)})` : dash);

/** The rows of the within-class McNemar table: per pair, sensitivity and specificity of A and B, the discordant cases and p. */
export function withinClassRows(pairs: readonly Pair[]): string[][] {
  const cells = (m: Pair['sensitivity']) => (m ? [String(m.cases), `${fmt(m.aCorrect / m.cases)} vs ${fmt(m.bCorrect / m.cases)}`, `${m.aRightBWrong} vs ${m.aWrongBRight}`, fmtP(m.pExact)] : ['0', dash, dash, dash]);
  return pairs.map((p) => [`${p.a} vs ${p.b}`, ...cells(p.sensitivity), ...cells(p.specificity)]);
}
export const withinClassHeaders = ['Comparison (A vs B)', 'ASD cases', 'Sensitivity A vs B', 'Right only A vs B', 'McNemar p (exact)', 'Non-ASD cases', 'Specificity A vs B', 'Right only A vs B', 'McNemar p (exact)'];

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

/** One ROC chart per reading modality: that modality's readers and the model, the model first (drawn under them), dashed and grey; each reader keeps one colour in every chart. */
export function studyRocCharts(results: StudyResults): Array<{ modality: string; title: string; curves: RocCurve[] }> {
  const raters = (results.comparison?.raters ?? []).filter((r) => r.roc);
  const readers = [...new Set((results.comparison?.raters ?? []).filter((r) => !r.isModel).map((r) => raterParts(results, r).reader))];
  const curve = (r: Rater): RocCurve => {
    const { reader } = raterParts(results, r);
    return {
      label: r.isModel ? `${r.rater} (model)` : reader,
      fpr: r.roc!.fpr,
      tpr: r.roc!.tpr,
      auroc: r.auroc ? r.auroc.estimate : null,
      dashed: r.isModel,
      colour: r.isModel ? modelColour : palette[readers.indexOf(reader) % palette.length]!,
      operatingPoint: { sensitivity: r.sensitivity, specificity: r.specificity },
    };
  };
  const models = raters.filter((r) => r.isModel).map(curve);
  return results.design.modalities.map((modality) => ({
    modality,
    title: `${modality[0]!.toUpperCase()}${modality.slice(1)} reading, per patient${models.length > 0 ? ', with the model (grey, dashed)' : ''}`,
    curves: [...models, ...raters.filter((r) => !r.isModel && raterParts(results, r).modality === modality).map(curve)],
  }));
}

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

/** The design section as label and text rows. */
export function designRows(results: StudyResults): string[][] {
  const d = results.design;
  const noun = materialNoun(results);
  const sessions = d.modalities.map((m, i) => `session ${i + 1} ${m}`).join(', then ');
  return [
    ['Readers', `${d.readers.length}: ${d.readers.join(', ')}`],
    ['Cases', `${d.cases} ${noun}s from ${d.patients} patients (${results.study.positivePatientCount} with ASD); the patient is the unit of the primary analysis`],
    ['Training cases', `${d.trainingCases} (read first in each session to learn the task, excluded from every analysis)`],
    ['Truth', d.truthSource],
    ['Modalities and sessions', d.modalities.length > 1 ? `${sessions}; washout of at least ${d.washoutDays} days between a reader's sessions` : `one session, ${d.modalities[0]}`],
    ['Material', d.material],
    ['Blinding', 'readers saw no identity, label, other reader or (unaided) model output'],
    ['Median reading time', d.readingSeconds.map((r) => `${r.modality} ${r.median === null ? dash : `${fmt(r.median, 1)} s`} per ${noun} (${r.readings} readings)`).join('; ')],
  ];
}

/** The randomisation: each reader's seed per session. */
export function seedRows(results: StudyResults): { headers: string[]; rows: string[][] } {
  const d = results.design;
  const headers = ['Reader', ...d.modalities.map((m, i) => `Session ${i + 1} (${m}) seed`)];
  const rows = d.readers.map((reader) => [reader, ...d.modalities.map((_, i) => {
    const seed = d.orders.find((o) => o.readerCode === reader && o.session === i + 1)?.seed;
    return seed === undefined || seed === null ? dash : String(seed);
  })]);
  return { headers, rows };
}

/** Per rater: reader, modality, n, sensitivity, specificity and AUROC with their intervals. */
export function raterRows(results: StudyResults, comparison: NonNullable<StudyResults['comparison']>): string[][] {
  return comparison.raters.map((r) => {
    const { reader, modality } = raterParts(results, r);
    return [reader, modality, String(r.cases), fmtCi(r.sensitivity), fmtCi(r.specificity), fmtCi(r.auroc)];
  });
}
export const raterHeaders = (unit: string) => ['Rater', 'Modality', unit, 'Sensitivity (95% CI)', 'Specificity (95% CI)', 'AUROC (DeLong 95% CI)'];

/** The other measures per rater: accuracy, precision, F1, balanced accuracy. */
export function otherMeasureRows(results: StudyResults, comparison: NonNullable<StudyResults['comparison']>): string[][] {
  return comparison.raters.map((r) => {
    const { reader, modality } = raterParts(results, r);
    return [reader, modality, fmtCi(r.accuracy), fmtCi(r.precision), fmtCi(r.f1), fmtCi(r.balancedAccuracy)];
  });
}
export const otherMeasureHeaders = ['Rater', 'Modality', 'Accuracy', 'Precision', 'F1', 'Balanced accuracy'];

/** The main pairs: McNemar on correctness (all, within ASD, within non-ASD) and agreement. */
export function pairRows(rows: ReadonlyArray<{ group: string; pair: Pair }>): string[][] {
  const within = (m: Pair['sensitivity']) => (m ? `${m.aRightBWrong} vs ${m.aWrongBRight}, p ${fmtP(m.pExact)}` : dash);
  return rows.map(({ pair: p }) => [`${p.a} vs ${p.b}`, String(p.commonCases), `${p.correctness.aRightBWrong} vs ${p.correctness.aWrongBRight}, p ${fmtP(p.correctness.pExact)}`, within(p.sensitivity), within(p.specificity), fmtAgreement(p)]);
}
export const pairHeaders = ['Comparison (A vs B)', 'N', 'Right only A vs B, McNemar p (all)', 'Within ASD', 'Within non-ASD', 'Agreement (Cohen’s kappa, 95% CI)'];

export function researchOnly(context: ReportContext): boolean {
  return context.models.some((m) => !m.validated);
}

/** The auto-written methods paragraph: protocol, seeds, derivations, statistical methods with references. */
export function methodsParagraph(context: ReportContext): string {
  const { study, comparison, folds, design, caseLevel } = context.results;
  const noun = materialNoun(context.results);
  const readers = design.readers.length;
  const sessions =
    design.modalities.length > 1
      ? `in ${design.modalities.length} sessions, unaided first and then aided (with the model's output and the posture measures beside the ${noun}), at least ${design.washoutDays} days apart`
      : 'in one unaided session';
  const parts = [
    `${study.kind === 'cross-validation' ? 'Cross-validation' : 'Reader'} study "${study.name}" with ${design.cases} ${noun}s of ${design.patients} patients (${study.positivePatientCount} with ASD); ground truth is ${design.truthSource}.`,
    `Readers (${readers}) saw ${design.material}, blinded to patient identity, label, other readers and (unaided) model output, ${sessions}, in an order randomised per reader and session (seeds in the design section; study seed ${study.seed}); ${design.trainingCases} training cases were read first and left out.`,
    'Each reader gave a call (ASD or non-ASD) and a confidence from 0 to 100; for ROC analysis the confidence was mapped to P(ASD) = 0.5 ± confidence/200 according to the call.',
    `The unit of the primary analysis is the patient: a rater's scores are averaged over the patient's ${noun}s and the call is the majority call${caseLevel ? `; the per-${noun} analysis is secondary` : ''}.`,
    'Model scores are stage 2 video scores, P(ASD), the mean of clip probabilities; model calls are the verdicts at the bundle threshold.',
    'Reader-averaged AUROCs are compared with the Obuchowski-Rockette method (1995) with jackknife covariances and Hillis’ (2007) denominator degrees of freedom, readers and cases random (primary), with fixed readers and with fixed cases as sensitivity analyses; the model, which has no reader variance, enters as a modality of its own.',
    'Proportions carry Wilson score intervals (Wilson 1927); F1 and balanced accuracy carry percentile intervals from a stratified bootstrap' +
      (comparison ? ` (${comparison.bootstrap.replicates} replicates, seed ${comparison.bootstrap.seed})` : '') +
      '. Single AUROC confidence intervals and paired AUROC tests follow DeLong et al. (1988); which of two raters is right more often is tested with McNemar’s test (1947; exact binomial and continuity-corrected chi-square) on the cases where one is right and the other wrong, over all cases both rated and within the ASD (sensitivity) and the non-ASD (specificity) cases; agreement of the calls, right or wrong, with Cohen’s kappa (1960) and its large-sample standard error (Fleiss, Cohen & Everitt 1969) and, across readers, Fleiss’ kappa (1971).',
  ];
  if (folds.length > 0) parts.push(`Cases were split into ${folds.length} folds by patient with stratified group k-fold (no patient in two folds; seed ${study.seed}); each fold model is evaluated only on its held-out fold.`);
  parts.push(`Computed by WalkScope ${context.appVersion} on ${readableTime(context.generatedAt)}.`);
  for (const m of context.models) parts.push(`Model ${m.name} ${m.version} (${m.id}, SHA-256 ${m.sha256.slice(0, 16)}…)${m.validated ? '' : ' is NOT VALIDATED: research only'}.`);
  return parts.join(' ');
}
