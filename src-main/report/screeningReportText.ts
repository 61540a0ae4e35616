import { measureInfo, type MeasureName } from '../contract/measurements.js';
import { fusionMethodLabels, type Gate, type LevelMetrics, type MetricInterval, type PointMetrics, type ScreeningModelBody } from '../contract/screening.js';
import type { RocCurve } from './chartData.js';
import { dash, fmt, fmtCi, fmtP } from './reportText.js';

/**
 * What the screening model report says, once for the HTML and the PDF: the context, the
 * banners, the methods paragraph, metric rows and the formatting of measures. Text here is
 * plain (no markup) and uses only characters the PDF's built-in Helvetica can set.
 */

export interface ScreeningReportContext {
  id: string;
  sha256: string;
  status: 'trained' | 'accepted' | 'retired';
  model: ScreeningModelBody;
  generatedAt: string;
  /** The app that writes the report (the model's own appVersion is the one that trained it). */
  appVersion: string;
}

export const researchOnlyBanner = "RESEARCH ONLY — not a clinical device. Trained and evaluated on this site's own patients; its output must not be used for patient care.";

/** The second banner, or null when the model beat chance. */
export function notShownToBeatChanceBanner(model: ScreeningModelBody): string | null {
  if (model.beatsChance) return null;
  const ba = model.evaluation.patient.balancedAccuracy;
  return `NOT SHOWN TO BEAT CHANCE: the patient-level balanced-accuracy 95% CI includes 0.5 (${fmt(ba.lower)}–${fmt(ba.upper)}).`;
}

export const statusText: Record<ScreeningReportContext['status'], string> = {
  trained: 'trained, not accepted: patient verdicts do not use it',
  accepted: 'accepted',
  retired: 'retired: patient verdicts no longer use it',
};

export const segmentWarning =
  'Secondary result. Segments of one patient are not independent (same person, same walk), so these intervals are too narrow and the numbers overstate how well the model screens patients; use the patient-level results above.';

// ---- measures ----

const isDegrees = (name: MeasureName) => measureInfo[name].unit === 'deg';
export const unitText = (name: MeasureName) => (isDegrees(name) ? 'degrees' : 'trunk lengths');
const unitSuffix = (name: MeasureName) => (isDegrees(name) ? '°' : ' TL');

/** A measure's value with its unit: degrees with 1 decimal, trunk lengths with 3. */
export function measureValue(name: MeasureName, value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? dash : `${value.toFixed(isDegrees(name) ? 1 : 3)}${unitSuffix(name)}`;
}

/** A model parameter in a measure's unit, with more digits than a displayed value (2 for degrees, 4 for trunk lengths). */
export function measureParameter(name: MeasureName, value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? dash : value.toFixed(isDegrees(name) ? 2 : 4);
}

export const measureLabel = (name: MeasureName) => measureInfo[name].label;

/** The norm of a measure among the not-ASD training patients: "5.1 ± 2.8° (n = 12)". */
export function normText(model: ScreeningModelBody, name: MeasureName): string {
  const norm = model.norms[name];
  if (!norm) return dash;
  return `${measureValue(name, norm.mean)} ± ${measureValue(name, norm.sd)} (n = ${norm.n})`;
}

/** One row per feature of the final model: label, unit, coefficient, standardisation, norm. */
export function finalModelRows(model: ScreeningModelBody): string[][] {
  return model.features.map((name, i) => [
    measureLabel(name),
    unitText(name),
    signed(model.coefficients[i]),
    measureParameter(name, model.standardisation.mean[i]),
    measureParameter(name, model.standardisation.scale[i]),
    normText(model, name),
  ]);
}
export const finalModelHeaders = ['Measure', 'Unit', 'Coefficient (per SD)', 'Standardisation mean', 'Standardisation SD', 'Norm, not-ASD patients (mean ± SD)'];

export const signed = (x: number | undefined, digits = 3) => (x === undefined || !Number.isFinite(x) ? dash : `${x >= 0 ? '+' : '-'}${Math.abs(x).toFixed(digits)}`);

// ---- cohort ----

const diagnosisOrder = ['ASD', 'DHS', 'LCS', 'HipOA', 'other', 'control', 'unknown'] as const;

/** "DHS 5, LCS 4, HipOA 2, other 1": the not-ASD patients by diagnosis. */
export function notAsdByDiagnosis(model: ScreeningModelBody): string {
  const parts = diagnosisOrder.filter((d) => d !== 'ASD' && (model.cohort.byDiagnosis[d] ?? 0) > 0).map((d) => `${d} ${model.cohort.byDiagnosis[d]}`);
  return parts.length > 0 ? parts.join(', ') : 'none by diagnosis';
}

/** Rows of the cohort table: class, diagnosis, patients. */
export function cohortRows(model: ScreeningModelBody): string[][] {
  const { cohort } = model;
  const rows: string[][] = [['ASD (positive)', 'ASD', String(cohort.byDiagnosis.ASD ?? cohort.asd)]];
  for (const d of diagnosisOrder) if (d !== 'ASD' && (cohort.byDiagnosis[d] ?? 0) > 0) rows.push(['not ASD (negative)', d, String(cohort.byDiagnosis[d])]);
  rows.push(['Total', `${cohort.asd} ASD, ${cohort.notAsd} not ASD`, String(cohort.patients)]);
  return rows;
}

// ---- metrics ----

/** The headline table's rows: metric, estimate (95% CI), how the interval was made. */
export function levelRows(metrics: LevelMetrics, bootstrapReplicates: number): string[][] {
  const boot = `stratified bootstrap percentile (${bootstrapReplicates} replicates)`;
  return [
    ['Balanced accuracy', fmtCi(metrics.balancedAccuracy), boot],
    ['Accuracy', fmtCi(metrics.accuracy), 'Wilson score'],
    ['Sensitivity', fmtCi(metrics.sensitivity), 'Wilson score'],
    ['Specificity', fmtCi(metrics.specificity), 'Wilson score'],
    ['F1', fmtCi(metrics.f1), boot],
    ['AUROC', metrics.auroc ? fmtCi(metrics.auroc) : `${dash} (a class has fewer than 2 members)`, 'DeLong'],
    ['Brier score (lower is better)', fmt(metrics.brier), 'no interval'],
  ];
}
export const levelHeaders = ['Metric', 'Estimate (95% CI)', 'Interval'];

/** The confusion matrix as rows: truth, called ASD, called not ASD, total. */
export function confusionRows(metrics: LevelMetrics): string[][] {
  const { tp, fp, tn, fn } = metrics.confusion;
  return [
    ['ASD', String(tp), String(fn), String(tp + fn)],
    ['not ASD', String(fp), String(tn), String(fp + tn)],
  ];
}
/** `unit`: Patients or Segments. */
export const confusionHeaders = (threshold: number, unit: string) => [`${unit}: truth (rows), call at ${fmt(threshold, 2)}`, 'Called ASD', 'Called not ASD', 'Total'];

export const pointKeys = ['balancedAccuracy', 'accuracy', 'sensitivity', 'specificity', 'f1', 'auroc', 'brier'] as const satisfies ReadonlyArray<keyof PointMetrics>;
export const pointHeaders = ['Bal. acc.', 'Accuracy', 'Sensitivity', 'Specificity', 'F1', 'AUROC', 'Brier'];

export const pointCells = (m: PointMetrics) => pointKeys.map((k) => fmt(m[k]));

/**
 * The two summary rows under a per-repeat or per-fold table, "mean" and "SD", each starting
 * with `lead` empty cells after the label; a metric with fewer values than rows says how many.
 */
export function summaryRows(summary: Record<string, { mean: number; sd: number; n: number }>, rows: number, lead: number): string[][] {
  const blanks = Array.from({ length: lead }, () => '');
  const mean = pointKeys.map((k) => (summary[k] ? `${fmt(summary[k].mean)}${summary[k].n < rows ? ` (n = ${summary[k].n})` : ''}` : dash));
  const sd = pointKeys.map((k) => (summary[k] ? fmt(summary[k].sd) : dash));
  return [
    ['mean', ...blanks, ...mean],
    ['SD', ...blanks, ...sd],
  ];
}

export function repeatRows(model: ScreeningModelBody): string[][] {
  return model.evaluation.repeats.map((r) => [String(r.repeat + 1), String(r.seed), ...pointCells(r.metrics)]);
}
export const repeatHeaders = ['Repeat', 'Seed', ...pointHeaders];

export function foldRows(model: ScreeningModelBody): string[][] {
  return model.evaluation.folds.map((f) => [
    String(f.repeat + 1),
    String(f.fold + 1),
    `${f.trainPatients} (${f.trainSegments} seg.)`,
    `${f.testPatients} (${f.testPositives} ASD)`,
    fmtC(f.chosenC),
    ...pointCells(f.metrics),
  ]);
}
export const foldHeaders = ['Repeat', 'Fold', 'Training patients', 'Test patients', 'Chosen C', ...pointHeaders];

/** An interval with the estimate on one line and the interval under it, for narrow table cells. */
export const stackedCi = (i: MetricInterval | null) => (i ? `${fmt(i.estimate)}\n(${fmt(i.lower)}–${fmt(i.upper)})` : dash);

/** C as written in the grid: 0.001, 0.1, 10. */
export const fmtC = (c: number) => String(Number(c.toPrecision(6)));

/** The patient-level ROC curve with the operating point at the threshold, or none when there is no curve. */
export function patientRocCurves(model: ScreeningModelBody): RocCurve[] {
  const m = model.evaluation.patient;
  if (!m.roc) return [];
  return [{ label: `Patients (n = ${m.n})`, fpr: m.roc.fpr, tpr: m.roc.tpr, auroc: m.auroc ? m.auroc.estimate : null, operatingPoint: { sensitivity: m.sensitivity, specificity: m.specificity } }];
}

// ---- fusion ----

export function fusionSourceText(fusion: NonNullable<ScreeningModelBody['fusion']>): string {
  return fusion.source.kind === 'study'
    ? `cross-validation study ${fusion.source.id}, one CNN bundle per fold (${fusion.bundles.map((b) => b.id).join(', ')}), so every CNN score is out of fold`
    : `CNN bundle ${fusion.source.id} for every patient (the user stated it was not trained on these patients)`;
}

/** `ci` formats an interval; the PDF sets the interval under the estimate. */
export function fusionMethodRows(fusion: NonNullable<ScreeningModelBody['fusion']>, ci: (i: MetricInterval | null) => string = fmtCi): string[][] {
  return fusion.methods.map(({ method, metrics }) => [fusionMethodLabels[method], ci(metrics.balancedAccuracy), ci(metrics.sensitivity), ci(metrics.specificity), ci(metrics.f1), ci(metrics.auroc), fmt(metrics.brier)]);
}
export const fusionMethodHeaders = ['Method (patient level)', 'Balanced accuracy', 'Sensitivity', 'Specificity', 'F1', 'AUROC (DeLong)', 'Brier'];

export function fusionComparisonRows(fusion: NonNullable<ScreeningModelBody['fusion']>): string[][] {
  return fusion.comparisons.map((c) => [
    `${fusionMethodLabels[c.a]} vs ${fusionMethodLabels[c.b]}`,
    `${c.aRightBWrong} / ${c.aWrongBRight}`,
    fmtP(c.mcNemarExactP),
    c.deLong ? signed(c.deLong.difference) : dash,
    c.deLong ? fmt(c.deLong.z, 2) : dash,
    c.deLong ? fmtP(c.deLong.p) : dash,
  ]);
}
export const fusionComparisonHeaders = ['Comparison (A vs B)', 'A right, B wrong / A wrong, B right', 'McNemar exact p', 'AUROC A - B', 'DeLong z', 'DeLong p'];

export const gateCells = (g: Gate) => [fmt(g.q, 2), fmt(g.threshold), fmt(g.wLo, 2), fmt(g.wHi, 2)];
export function fusionFoldRows(fusion: NonNullable<ScreeningModelBody['fusion']>): string[][] {
  return [...fusion.perFold.map((f) => [String(f.fold + 1), fmt(f.globalWeight, 2), ...gateCells(f.gate)]), ['Final (all patients)', dash, ...gateCells(fusion.finalGate)]];
}
export const fusionFoldHeaders = ['Fold', 'Global weight of measures', 'Gate quantile q', 'Outlyingness threshold', 'Measures weight below', 'Measures weight at or above'];

// ---- methods ----

const listText = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** The seeds the repeats used: "2023" or "2023 to 2032". */
function seedsText(model: ScreeningModelBody): string {
  const seeds = model.evaluation.repeats.map((r) => r.seed);
  const first = seeds.length > 0 ? Math.min(...seeds) : model.protocol.seed;
  const last = seeds.length > 0 ? Math.max(...seeds) : model.protocol.seed + model.protocol.repeats - 1;
  return first === last ? `seed ${first}` : `seeds ${first} to ${last}`;
}

/** The methods paragraph a reviewer can cite: data, model, protocol, statistics, fusion, software. */
export function screeningMethodsParagraph(context: ScreeningReportContext): string {
  const m = context.model;
  const { protocol, cohort } = m;
  const features = m.features.map((f) => `${measureLabel(f).toLowerCase()} (${unitText(f)})`);
  const parts = [
    `The screening model "${m.name}" is an L2-regularised logistic regression on ${m.features.length} posture measure${m.features.length === 1 ? '' : 's'} of 1 s sagittal walking segments: ${listText(features)}.`,
    `It was trained on ${cohort.patients} patients with ${cohort.segments} segments: ${cohort.asd} with ASD (positive) and ${cohort.notAsd} without (negative: ${notAsdByDiagnosis(m)}); ${cohort.excluded} patient${cohort.excluded === 1 ? ' was' : 's were'} left out for want of a diagnosis label or of measured sagittal segments.`,
    "Segment measures were standardised with the training patients' mean and population SD; a patient's probability of ASD is the mean of their segments' probabilities.",
    `Performance was estimated by stratified group k-fold cross-validation grouped by patient (${protocol.folds} folds, repeated ${protocol.repeats} time${protocol.repeats === 1 ? '' : 's'} with new splits; ${seedsText(m)}), so no patient had segments on both the training and the test side of any split; this was checked on all ${m.evaluation.leakage.checkedSplits} splits, outer and inner.`,
    `Within each outer training part, the inverse regularisation strength C was chosen from {${protocol.cGrid.map(fmtC).join(', ')}} by an inner ${protocol.innerFolds}-fold cross-validation, also grouped by patient; ${protocol.classWeight === 'balanced' ? 'both classes weighed the same in the loss (balanced class weights)' : 'every segment weighed the same in the loss (no class weighting)'}.`,
    `Each patient's out-of-fold probabilities, one per repeat from a model that never saw the patient, were averaged and called ASD at or above ${fmt(m.threshold, 2)}.`,
    `Headline metrics are at the patient level: accuracy, sensitivity and specificity with Wilson score intervals (Wilson 1927); balanced accuracy and F1 with stratified bootstrap percentile intervals (${protocol.bootstrapReplicates} replicates); AUROC with DeLong intervals (DeLong, DeLong & Clarke-Pearson 1988); and the Brier score, with a reliability diagram in bins of 0.1. All intervals are 95%.`,
    'Segment-level metrics are secondary: segments of one patient are not independent.',
    `The final model was refitted on all patients with C = ${fmtC(m.c)}, chosen by the same inner cross-validation on all patients.`,
  ];
  if (m.fusion) {
    const f = m.fusion;
    parts.push(
      `The measurement model was compared with, and fused with, a 3D CNN (${fusionSourceText(f)}) on the ${f.patients} patients with both scores${f.withoutCnn.length > 0 ? ` (${f.withoutCnn.length} without a CNN score left out)` : ''}; fusion weights and gate parameters were chosen on each fold's training patients only. Methods were compared pairwise on the same patients with McNemar's exact test on per-patient correctness (McNemar 1947) and DeLong's paired test of AUROC.`,
    );
  }
  parts.push(`Trained with WalkScope ${m.appVersion} on ${m.createdAt.slice(0, 10)} in ${m.trainingSeconds.toFixed(0)} s; report written by WalkScope ${context.appVersion}.`);
  return parts.join(' ');
}

/** The leakage check in one line (under a heading that says so). */
export function leakageLine(model: ScreeningModelBody): string {
  const l = model.evaluation.leakage;
  return `${l.checkedSplits} patient splits checked (outer and inner folds of every repeat); ${l.patientsOnBothSides} patients on both sides of any split.`;
}

/** The summary a reader sees first: the headline numbers in one paragraph. */
export function glanceText(model: ScreeningModelBody): string {
  const p = model.evaluation.patient;
  return `Out-of-fold, on ${p.n} patients (${p.positives} ASD): balanced accuracy ${fmtCi(p.balancedAccuracy)}, AUROC ${fmtCi(p.auroc)}, sensitivity ${fmtCi(p.sensitivity)}, specificity ${fmtCi(p.specificity)} at threshold ${fmt(p.threshold, 2)}.`;
}

/** The footer: the model and its SHA-256, then the app and the time of writing. */
export const footerText = (context: ScreeningReportContext) => [`Model ${context.id} · SHA-256 ${context.sha256}`, `WalkScope ${context.appVersion} · generated ${context.generatedAt}`];
