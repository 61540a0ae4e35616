import type { StudyResults } from '../contract/entities.js';
import type { RocCurve } from './chartData.js';

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

/** The ROC curves of the study's raters that have one: models solid, readers dashed, each with the operating point of its calls. */
export function studyRocCurves(results: StudyResults): RocCurve[] {
  return (results.comparison?.raters ?? [])
    .filter((r) => r.roc)
    .map((r) => ({ label: r.rater, fpr: r.roc!.fpr, tpr: r.roc!.tpr, auroc: r.auroc ? r.auroc.estimate : null, dashed: !r.isModel, operatingPoint: { sensitivity: r.sensitivity, specificity: r.specificity } }));
}

export function researchOnly(context: ReportContext): boolean {
  return context.models.some((m) => !m.validated);
}

/** The auto-written methods paragraph: protocol, seeds, derivations, statistical methods with references. */
export function methodsParagraph(context: ReportContext): string {
  const { study, comparison, folds } = context.results;
  const material = study.protocol.material === 'clip' ? `a ${study.protocol.clipSeconds} s clip of each video placed at random (seeded)` : 'each full video';
  const readers = comparison?.raters.filter((r) => !r.isModel).length ?? 0;
  const parts = [
    `${study.kind === 'cross-validation' ? 'Cross-validation' : 'Reader'} study "${study.name}" with ${study.caseCount} cases (${study.positiveCount} ASD, ${study.caseCount - study.positiveCount} non-ASD); ground truth is the patient's diagnosis label (ASD positive; DHS, LCS, HipOA and other conditions negative).`,
    `Readers (${readers}) saw ${material}, blinded to patient identity, label, model output and other readers, in an order randomised per reader (study seed ${study.seed}).`,
    'Each reader gave a call (ASD or non-ASD) and a confidence from 0 to 100; for ROC analysis the confidence was mapped to P(ASD) = 0.5 ± confidence/200 according to the call.',
    'Model scores are stage 2 video scores, P(ASD), the mean of clip probabilities; model calls are the verdicts at the bundle threshold.',
    'Proportions carry Wilson score intervals (Wilson 1927); F1 and balanced accuracy carry percentile intervals from a stratified bootstrap' +
      (comparison ? ` (${comparison.bootstrap.replicates} replicates, seed ${comparison.bootstrap.seed})` : '') +
      '. AUROC confidence intervals and paired AUROC tests follow DeLong et al. (1988); which of two raters is right more often is tested with McNemar’s test (1947; exact binomial and continuity-corrected chi-square) on the cases where one is right and the other wrong, over all cases both rated and within the ASD (sensitivity) and the non-ASD (specificity) cases; agreement of the calls, right or wrong, with Cohen’s kappa (1960) and its large-sample standard error (Fleiss, Cohen & Everitt 1969) and, across readers, Fleiss’ kappa (1971).',
  ];
  if (folds.length > 0) parts.push(`Cases were split into ${folds.length} folds by patient with stratified group k-fold (no patient in two folds; seed ${study.seed}); each fold model is evaluated only on its held-out fold.`);
  parts.push(`Computed by WalkScope ${context.appVersion} on ${context.generatedAt.slice(0, 10)}.`);
  for (const m of context.models) parts.push(`Model ${m.name} ${m.version} (${m.id}, SHA-256 ${m.sha256.slice(0, 16)}…)${m.validated ? '' : ' is NOT VALIDATED: research only'}.`);
  return parts.join(' ');
}
