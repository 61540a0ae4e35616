import { diagnosisShortKey } from '../contract/i18n/diagnosisKeys.js';
import { fusionMethodKey } from '../contract/i18n/fusionKeys.js';
import { measureInfo, type MeasureName } from '../contract/measurements.js';
import { type FusionMethod, type Gate, type LevelMetrics, type MetricInterval, type PointMetrics, type ScreeningModelBody } from '../contract/screening.js';
import type { Language } from '../contract/i18n/languages.js';
import { translatorFor, type Translator } from '../contract/i18n/translator.js';
import type { RocCurve } from './chartData.js';
import { dash, fmt, fmtCi, fmtP } from './reportText.js';

/**
 * What the screening model report says, once for the HTML and the PDF: the context, the
 * banners, the methods paragraph, metric rows and the formatting of measures, in the report's
 * language (the "screeningReport" section of the catalogue; English when none is given). Text
 * here is plain (no markup); the PDF draws it with Helvetica in English and with the bundled
 * Japanese font in Japanese.
 */

export interface ScreeningReportContext {
  id: string;
  sha256: string;
  status: 'trained' | 'accepted' | 'retired';
  model: ScreeningModelBody;
  generatedAt: string;
  /** The app that writes the report (the model's own appVersion is the one that trained it). */
  appVersion: string;
  /** The language the HTML and PDF are written in (`reportLanguage(settings)`); English when absent. The CSV and JSON are the same in every language. */
  language?: Language;
  /** The bundled Japanese font (resources/fonts), needed for a Japanese PDF; null when not found. */
  japaneseFontPath?: string | null;
}

const english = translatorFor('en');

/** The translator of a report's language. */
export const reportTranslator = (context: Pick<ScreeningReportContext, 'language'>): Translator => translatorFor(context.language ?? 'en');

/** An estimate with its 95% interval; the sentence of the language when the bounds are undefined. */
export function ciText(i: MetricInterval | { estimate: number; lower: number | null; upper: number | null } | null | undefined, tr: Translator = english): string {
  if (i && (i.lower === null || i.upper === null)) return tr.t('screeningReport.doc.ciUndefined', { estimate: fmt(i.estimate) });
  return fmtCi(i);
}

export const researchOnlyBanner = (tr: Translator = english) => tr.t('screeningReport.doc.researchOnly');

/** The second banner, or null when the model beat chance. */
export function notShownToBeatChanceBanner(model: ScreeningModelBody, tr: Translator = english): string | null {
  if (model.beatsChance) return null;
  const ba = model.evaluation.patient.balancedAccuracy;
  return tr.t('screeningReport.doc.notShownToBeatChance', { lower: fmt(ba.lower), upper: fmt(ba.upper) });
}

export function statusText(status: ScreeningReportContext['status'], tr: Translator = english): string {
  const t = tr.t;
  switch (status) {
    case 'trained':
      return t('screeningReport.doc.status.trained');
    case 'accepted':
      return t('screeningReport.doc.status.accepted');
    case 'retired':
      return t('screeningReport.doc.status.retired');
  }
}

export const segmentWarning = (tr: Translator = english) => tr.t('screeningReport.doc.segmentWarning');

// ---- measures ----

/** The catalogue keys of each measure's name and description (literal, so the catalogue test sees every one). */
const measureKeys: Record<MeasureName, { name: string; description: string }> = {
  trunkLean: { name: 'measures.name.trunkLean', description: 'screeningReport.doc.measureDescription.trunkLean' },
  headForward: { name: 'measures.name.headForward', description: 'screeningReport.doc.measureDescription.headForward' },
  shoulderHipOffset: { name: 'measures.name.shoulderHipOffset', description: 'screeningReport.doc.measureDescription.shoulderHipOffset' },
  maxHipFlexion: { name: 'measures.name.maxHipFlexion', description: 'screeningReport.doc.measureDescription.maxHipFlexion' },
  hipRange: { name: 'measures.name.hipRange', description: 'screeningReport.doc.measureDescription.hipRange' },
  craniovertebralAngle: { name: 'measures.name.craniovertebralAngle', description: 'screeningReport.doc.measureDescription.craniovertebralAngle' },
  hipFlexionLeft: { name: 'measures.name.hipFlexionLeft', description: 'screeningReport.doc.measureDescription.hipFlexionLeft' },
  hipFlexionRight: { name: 'measures.name.hipFlexionRight', description: 'screeningReport.doc.measureDescription.hipFlexionRight' },
  kneeFlexionLeft: { name: 'measures.name.kneeFlexionLeft', description: 'screeningReport.doc.measureDescription.kneeFlexionLeft' },
  kneeFlexionRight: { name: 'measures.name.kneeFlexionRight', description: 'screeningReport.doc.measureDescription.kneeFlexionRight' },
  kneeRangeLeft: { name: 'measures.name.kneeRangeLeft', description: 'screeningReport.doc.measureDescription.kneeRangeLeft' },
  kneeRangeRight: { name: 'measures.name.kneeRangeRight', description: 'screeningReport.doc.measureDescription.kneeRangeRight' },
};

const isDegrees = (name: MeasureName) => measureInfo[name].unit === 'deg';
export const unitText = (name: MeasureName, tr: Translator = english) => (isDegrees(name) ? tr.t('measures.unit.degrees') : tr.t('measures.unit.trunkLengths'));
const unitSuffix = (name: MeasureName, tr: Translator) => (isDegrees(name) ? tr.t('measures.unit.deg') : tr.t('screeningReport.doc.trunkLengthSuffix'));

/** A measure's value with its unit: degrees with 1 decimal, trunk lengths with 3. */
export function measureValue(name: MeasureName, value: number | null | undefined, tr: Translator = english): string {
  return value === null || value === undefined || !Number.isFinite(value) ? dash : `${value.toFixed(isDegrees(name) ? 1 : 3)}${unitSuffix(name, tr)}`;
}

/** A model parameter in a measure's unit, with more digits than a displayed value (2 for degrees, 4 for trunk lengths). */
export function measureParameter(name: MeasureName, value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? dash : value.toFixed(isDegrees(name) ? 2 : 4);
}

export const measureLabel = (name: MeasureName, tr: Translator = english) => tr.t(measureKeys[name].name);
export const measureDescription = (name: MeasureName, tr: Translator = english) => tr.t(measureKeys[name].description);

/** The measures table: name, unit, what it is. */
export const measureHeaders = (tr: Translator = english) => [tr.t('screeningReport.doc.measureHeaders.measure'), tr.t('screeningReport.doc.measureHeaders.unit'), tr.t('screeningReport.doc.measureHeaders.what')];
export const measureRows = (model: ScreeningModelBody, tr: Translator = english) => {
  const source = model.videoFeatures;
  // a head's inputs are one backbone's pooled clip features, not measures
  if (source) return [[tr.t('screeningReport.doc.head.featuresName', { count: source.featureSize }), dash, tr.t('screeningReport.doc.head.featuresWhat', { backbone: source.bundleName, sha: source.bundleSha256.slice(0, 12) })]];
  return model.features.map((f) => [measureLabel(f, tr), unitText(f, tr), measureDescription(f, tr)]);
};

/** The head's features with the largest coefficients on the standardised scale (a head has thousands; the rest are in the JSON report). */
const headRowsShown = 10;

/** The norm of a measure among the not-ASD training patients: "5.1 ± 2.8° (n = 12)". */
export function normText(model: ScreeningModelBody, name: MeasureName, tr: Translator = english): string {
  const norm = model.norms[name];
  if (!norm) return dash;
  return `${measureValue(name, norm.mean, tr)} ± ${measureValue(name, norm.sd, tr)} (n = ${norm.n})`;
}

/** One row per feature of the final model: label, unit, coefficient, standardisation, norm. */
export function finalModelRows(model: ScreeningModelBody, tr: Translator = english): string[][] {
  if (model.videoFeatures) {
    return model.coefficients
      .map((c, j) => ({ c, j }))
      .sort((a, b) => Math.abs(b.c) - Math.abs(a.c))
      .slice(0, headRowsShown)
      .map(({ c, j }) => [tr.t('screeningReport.doc.head.featureRow', { index: j }), dash, signed(c), model.standardisation.mean[j]!.toFixed(4), model.standardisation.scale[j]!.toFixed(4), dash]);
  }
  return model.features.map((name, i) => [
    measureLabel(name, tr),
    unitText(name, tr),
    signed(model.coefficients[i]),
    measureParameter(name, model.standardisation.mean[i]),
    measureParameter(name, model.standardisation.scale[i]),
    normText(model, name, tr),
  ]);
}
export const finalModelHeaders = (tr: Translator = english) => {
  const t = tr.t;
  return [
    t('screeningReport.doc.finalModelHeaders.measure'),
    t('screeningReport.doc.finalModelHeaders.unit'),
    t('screeningReport.doc.finalModelHeaders.coefficient'),
    t('screeningReport.doc.finalModelHeaders.mean'),
    t('screeningReport.doc.finalModelHeaders.sd'),
    t('screeningReport.doc.finalModelHeaders.norm'),
  ];
};

export const signed = (x: number | undefined, digits = 3) => (x === undefined || !Number.isFinite(x) ? dash : `${x >= 0 ? '+' : '-'}${Math.abs(x).toFixed(digits)}`);

// ---- cohort ----

const diagnosisOrder = ['ASD', 'DHS', 'LCS', 'HipOA', 'other', 'control', 'unknown'] as const;
type Diagnosis = (typeof diagnosisOrder)[number];

/** A diagnosis label as the report's language writes it (the codes ASD, DHS, LCS, HipOA stay as they are). */
export function diagnosisText(d: Diagnosis, tr: Translator = english): string {
  return tr.t(diagnosisShortKey[d]);
}

/** "DHS 5, LCS 4, HipOA 2, other 1": the not-ASD patients by diagnosis. */
export function notAsdByDiagnosis(model: ScreeningModelBody, tr: Translator = english): string {
  const parts = diagnosisOrder.filter((d) => d !== 'ASD' && (model.cohort.byDiagnosis[d] ?? 0) > 0).map((d) => `${diagnosisText(d, tr)} ${model.cohort.byDiagnosis[d]}`);
  return parts.length > 0 ? parts.join(tr.t('screeningReport.doc.methods.listSeparator')) : tr.t('screeningReport.doc.cohort.noneByDiagnosis');
}

/** Rows of the cohort table: class, diagnosis, patients. */
export function cohortRows(model: ScreeningModelBody, tr: Translator = english): string[][] {
  const t = tr.t;
  const { cohort } = model;
  const rows: string[][] = [[t('screeningReport.doc.cohort.asdPositive'), diagnosisText('ASD', tr), String(cohort.byDiagnosis.ASD ?? cohort.asd)]];
  for (const d of diagnosisOrder) if (d !== 'ASD' && (cohort.byDiagnosis[d] ?? 0) > 0) rows.push([t('screeningReport.doc.cohort.notAsdNegative'), diagnosisText(d, tr), String(cohort.byDiagnosis[d])]);
  rows.push([t('screeningReport.doc.cohort.total'), t('screeningReport.doc.cohort.totalText', { asd: cohort.asd, notAsd: cohort.notAsd }), String(cohort.patients)]);
  return rows;
}
export const cohortHeaders = (tr: Translator = english) => [tr.t('screeningReport.doc.cohort.headers.class'), tr.t('screeningReport.doc.cohort.headers.diagnosis'), tr.t('screeningReport.doc.cohort.headers.patients')];

// ---- metrics ----

/** The headline table's rows: metric, estimate (95% CI), how the interval was made. */
export function levelRows(metrics: LevelMetrics, bootstrapReplicates: number, tr: Translator = english): string[][] {
  const t = tr.t;
  const boot = t('screeningReport.doc.level.bootstrap', { replicates: bootstrapReplicates });
  const wilson = t('screeningReport.doc.level.wilson');
  return [
    [t('screeningReport.metric.balancedAccuracy'), ciText(metrics.balancedAccuracy, tr), boot],
    [t('screeningReport.metric.accuracy'), ciText(metrics.accuracy, tr), wilson],
    [t('screeningReport.metric.sensitivity'), ciText(metrics.sensitivity, tr), wilson],
    [t('screeningReport.metric.specificity'), ciText(metrics.specificity, tr), wilson],
    [t('screeningReport.metric.f1'), ciText(metrics.f1, tr), boot],
    [t('screeningReport.metric.auroc'), metrics.auroc ? ciText(metrics.auroc, tr) : t('screeningReport.doc.level.aurocMissing', { dash }), t('screeningReport.doc.level.deLong')],
    [t('screeningReport.doc.level.brierLowerBetter'), fmt(metrics.brier), t('screeningReport.doc.level.noInterval')],
  ];
}
export const levelHeaders = (tr: Translator = english) => [tr.t('screeningReport.doc.level.metric'), tr.t('screeningReport.doc.level.estimate'), tr.t('screeningReport.doc.level.interval')];

/** The confusion matrix as rows: truth, called ASD, called not ASD, total. */
export function confusionRows(metrics: LevelMetrics, tr: Translator = english): string[][] {
  const { tp, fp, tn, fn } = metrics.confusion;
  return [
    [tr.t('screeningReport.doc.confusion.asd'), String(tp), String(fn), String(tp + fn)],
    [tr.t('screeningReport.doc.confusion.notAsd'), String(fp), String(tn), String(fp + tn)],
  ];
}
/** The confusion matrix's header, of patients or of segments. */
export const confusionHeaders = (threshold: number, unit: 'patients' | 'segments', tr: Translator = english) => {
  const t = tr.t;
  const unitWord = unit === 'patients' ? t('screeningReport.doc.confusion.patients') : t('screeningReport.doc.confusion.segments');
  return [t('screeningReport.doc.confusion.truth', { unit: unitWord, threshold: fmt(threshold, 2) }), t('screeningReport.doc.confusion.calledAsd'), t('screeningReport.doc.confusion.calledNotAsd'), t('screeningReport.doc.confusion.total')];
};

export const pointKeys = ['balancedAccuracy', 'accuracy', 'sensitivity', 'specificity', 'f1', 'auroc', 'brier'] as const satisfies ReadonlyArray<keyof PointMetrics>;
export const pointHeaders = (tr: Translator = english) => {
  const t = tr.t;
  return [
    t('screeningReport.metric.balancedAccuracyShort'),
    t('screeningReport.metric.accuracy'),
    t('screeningReport.metric.sensitivity'),
    t('screeningReport.metric.specificity'),
    t('screeningReport.metric.f1'),
    t('screeningReport.metric.auroc'),
    t('screeningReport.metric.brier'),
  ];
};

export const pointCells = (m: PointMetrics) => pointKeys.map((k) => fmt(m[k]));

/**
 * The two summary rows under a per-repeat or per-fold table, "mean" and "SD", each starting
 * with `lead` empty cells after the label; a metric with fewer values than rows says how many.
 */
export function summaryRows(summary: Record<string, { mean: number; sd: number; n: number }>, rows: number, lead: number, tr: Translator = english): string[][] {
  const t = tr.t;
  const blanks = Array.from({ length: lead }, () => '');
  const mean = pointKeys.map((k) => (summary[k] ? (summary[k].n < rows ? t('screeningReport.doc.summary.n', { value: fmt(summary[k].mean), n: summary[k].n }) : fmt(summary[k].mean)) : dash));
  const sd = pointKeys.map((k) => (summary[k] ? fmt(summary[k].sd) : dash));
  return [
    [t('screeningReport.doc.summary.mean'), ...blanks, ...mean],
    [t('screeningReport.doc.summary.sd'), ...blanks, ...sd],
  ];
}

export function repeatRows(model: ScreeningModelBody): string[][] {
  return model.evaluation.repeats.map((r) => [String(r.repeat + 1), String(r.seed), ...pointCells(r.metrics)]);
}
export const repeatHeaders = (tr: Translator = english) => [tr.t('screeningReport.doc.repeat'), tr.t('screeningReport.doc.seed'), ...pointHeaders(tr)];

export function foldRows(model: ScreeningModelBody, tr: Translator = english): string[][] {
  const t = tr.t;
  return model.evaluation.folds.map((f) => [
    String(f.repeat + 1),
    String(f.fold + 1),
    t('screeningReport.doc.trainCell', { patients: f.trainPatients, segments: f.trainSegments }),
    t('screeningReport.doc.testCell', { patients: f.testPatients, positives: f.testPositives }),
    fmtC(f.chosenC),
    ...pointCells(f.metrics),
  ]);
}
export const foldHeaders = (tr: Translator = english) => {
  const t = tr.t;
  return [t('screeningReport.doc.repeat'), t('screeningReport.doc.fold'), t('screeningReport.doc.trainingPatients'), t('screeningReport.doc.testPatients'), t('screeningReport.doc.chosenC'), ...pointHeaders(tr)];
};

/** An interval with the estimate on one line and the interval under it, for narrow table cells. */
export const stackedCi = (i: MetricInterval | null) => (i ? `${fmt(i.estimate)}\n(${fmt(i.lower)}–${fmt(i.upper)})` : dash);

/** C as written in the grid: 0.001, 0.1, 10. */
export const fmtC = (c: number) => String(Number(c.toPrecision(6)));

/** The patient-level ROC curve with the operating point at the threshold, or none when there is no curve. */
export function patientRocCurves(model: ScreeningModelBody, tr: Translator = english): RocCurve[] {
  const m = model.evaluation.patient;
  if (!m.roc) return [];
  return [{ label: tr.t('screeningReport.doc.rocLabel', { n: m.n }), fpr: m.roc.fpr, tpr: m.roc.tpr, auroc: m.auroc ? m.auroc.estimate : null, operatingPoint: { sensitivity: m.sensitivity, specificity: m.specificity } }];
}

// ---- fusion ----

/** A fusion method's name in the report's language. */
export function fusionMethodText(method: FusionMethod, tr: Translator = english): string {
  return tr.t(fusionMethodKey[method]);
}

export function fusionSourceText(fusion: NonNullable<ScreeningModelBody['fusion']>, tr: Translator = english): string {
  const { source } = fusion;
  if (source.kind === 'study') return tr.t('screeningReport.doc.fusion.sourceStudy', { id: source.id, bundles: fusion.bundles.map((b) => b.id).join(', ') });
  if (source.kind === 'head') return tr.t('screeningReport.doc.fusion.sourceHead', { id: source.id, bundle: fusion.bundles[0]?.id ?? '' });
  return tr.t('screeningReport.doc.fusion.sourceBundle', { id: source.id });
}

/** `ci` formats an interval; the PDF sets the interval under the estimate. */
export function fusionMethodRows(fusion: NonNullable<ScreeningModelBody['fusion']>, ci: (i: MetricInterval | null) => string = fmtCi, tr: Translator = english): string[][] {
  return fusion.methods.map(({ method, metrics }) => [fusionMethodText(method, tr), ci(metrics.balancedAccuracy), ci(metrics.sensitivity), ci(metrics.specificity), ci(metrics.f1), ci(metrics.auroc), fmt(metrics.brier)]);
}
export const fusionMethodHeaders = (tr: Translator = english) => {
  const t = tr.t;
  return [
    t('screeningReport.doc.fusion.methodHeaders.method'),
    t('screeningReport.metric.balancedAccuracy'),
    t('screeningReport.metric.sensitivity'),
    t('screeningReport.metric.specificity'),
    t('screeningReport.metric.f1'),
    t('screeningReport.doc.fusion.methodHeaders.auroc'),
    t('screeningReport.metric.brier'),
  ];
};

export function fusionComparisonRows(fusion: NonNullable<ScreeningModelBody['fusion']>, tr: Translator = english): string[][] {
  return fusion.comparisons.map((c) => [
    tr.t('screeningReport.versus', { a: fusionMethodText(c.a, tr), b: fusionMethodText(c.b, tr) }),
    `${c.aRightBWrong} / ${c.aWrongBRight}`,
    fmtP(c.mcNemarExactP),
    c.deLong ? signed(c.deLong.difference) : dash,
    c.deLong ? fmt(c.deLong.z, 2) : dash,
    c.deLong ? fmtP(c.deLong.p) : dash,
  ]);
}
export const fusionComparisonHeaders = (tr: Translator = english) => {
  const t = tr.t;
  return [
    t('screeningReport.doc.fusion.comparisonHeaders.comparison'),
    t('screeningReport.doc.fusion.comparisonHeaders.discordant'),
    t('screeningReport.doc.fusion.comparisonHeaders.mcNemar'),
    t('screeningReport.doc.fusion.comparisonHeaders.difference'),
    t('screeningReport.doc.fusion.comparisonHeaders.z'),
    t('screeningReport.doc.fusion.comparisonHeaders.p'),
  ];
};

export const gateCells = (g: Gate) => [fmt(g.q, 2), fmt(g.threshold), fmt(g.wLo, 2), fmt(g.wHi, 2)];
export function fusionFoldRows(fusion: NonNullable<ScreeningModelBody['fusion']>, tr: Translator = english): string[][] {
  return [...fusion.perFold.map((f) => [String(f.fold + 1), fmt(f.globalWeight, 2), ...gateCells(f.gate)]), [tr.t('screeningReport.doc.fusion.finalAllPatients'), dash, ...gateCells(fusion.finalGate)]];
}
export const fusionFoldHeaders = (tr: Translator = english) => {
  const t = tr.t;
  return [
    t('screeningReport.doc.fusion.foldHeaders.fold'),
    t('screeningReport.doc.fusion.foldHeaders.global'),
    t('screeningReport.doc.fusion.foldHeaders.q'),
    t('screeningReport.doc.fusion.foldHeaders.threshold'),
    t('screeningReport.doc.fusion.foldHeaders.below'),
    t('screeningReport.doc.fusion.foldHeaders.atOrAbove'),
  ];
};

/** "Source: ... Compared on N patients with both scores over k folds." */
export const fusionIntroText = (fusion: NonNullable<ScreeningModelBody['fusion']>, tr: Translator = english, patients: string = String(fusion.patients)) =>
  tr.t('screeningReport.doc.fusion.intro', { source: fusionSourceText(fusion, tr), patients, folds: fusion.folds });

/** Who had no CNN score, or that every patient had one. */
export const fusionWithoutCnnText = (fusion: NonNullable<ScreeningModelBody['fusion']>, tr: Translator = english) =>
  fusion.withoutCnn.length > 0 ? tr.t('screeningReport.doc.fusion.withoutCnn', { count: fusion.withoutCnn.length, codes: fusion.withoutCnn.join(', ') }) : tr.t('screeningReport.doc.fusion.everyHasCnn');

// ---- methods ----

/** What goes between two sentences: a space in English, nothing in Japanese. */
export const sentenceGap = (tr: Translator = english) => (tr.language === 'ja' ? '' : ' ');

function listText(items: readonly string[], tr: Translator): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(tr.t('screeningReport.doc.methods.listSeparator'))}${tr.t('screeningReport.doc.methods.listLast')}${items[items.length - 1]}`;
}

/** The seeds the repeats used: "2023" or "2023 to 2032". */
function seedsText(model: ScreeningModelBody, tr: Translator): string {
  const seeds = model.evaluation.repeats.map((r) => r.seed);
  const first = seeds.length > 0 ? Math.min(...seeds) : model.protocol.seed;
  const last = seeds.length > 0 ? Math.max(...seeds) : model.protocol.seed + model.protocol.repeats - 1;
  return first === last ? tr.t('screeningReport.doc.methods.seed', { seed: first }) : tr.t('screeningReport.doc.methods.seeds', { first, last });
}

/** The methods paragraph a reviewer can cite: data, model, protocol, statistics, fusion, software. */
export function screeningMethodsParagraph(context: ScreeningReportContext, tr: Translator = reportTranslator(context)): string {
  const t = tr.t;
  const m = context.model;
  const { protocol, cohort } = m;
  const features = m.features.map((f) => t('screeningReport.doc.methods.featureWithUnit', { measure: measureLabel(f, tr).toLowerCase(), unit: unitText(f, tr) }));
  const source = m.videoFeatures;
  const parts = [
    source
      ? t('screeningReport.doc.head.model', { name: m.name, count: source.featureSize, backbone: source.bundleName, sha: source.bundleSha256 })
      : t('screeningReport.doc.methods.model', { name: m.name, count: m.features.length, features: listText(features, tr) }),
    t('screeningReport.doc.methods.cohort', { patients: cohort.patients, segments: cohort.segments, asd: cohort.asd, notAsd: cohort.notAsd, byDiagnosis: notAsdByDiagnosis(m, tr), count: cohort.excluded }),
    source ? t('screeningReport.doc.head.standardised') : t('screeningReport.doc.methods.standardised'),
    t('screeningReport.doc.methods.crossValidation', { folds: protocol.folds, count: protocol.repeats, seeds: seedsText(m, tr), splits: m.evaluation.leakage.checkedSplits }),
    t('screeningReport.doc.methods.chooseC', {
      grid: `{${protocol.cGrid.map(fmtC).join(', ')}}`,
      inner: protocol.innerFolds,
      weighting: protocol.classWeight === 'balanced' ? t('screeningReport.doc.methods.balanced') : t('screeningReport.doc.methods.unweighted'),
    }),
    t('screeningReport.doc.methods.pooled', { threshold: fmt(m.threshold, 2) }),
    t('screeningReport.doc.methods.statistics', { replicates: protocol.bootstrapReplicates }),
    t('screeningReport.doc.methods.segments'),
    t('screeningReport.doc.methods.finalModel', { c: fmtC(m.c) }),
  ];
  if (m.fusion) {
    const f = m.fusion;
    parts.push(t('screeningReport.doc.methods.fusion', { source: fusionSourceText(f, tr), patients: f.patients, without: f.withoutCnn.length > 0 ? t('screeningReport.doc.methods.fusionWithout', { count: f.withoutCnn.length }) : '' }));
  }
  parts.push(t('screeningReport.doc.methods.software', { version: m.appVersion, date: m.createdAt.slice(0, 10), seconds: m.trainingSeconds.toFixed(0), appVersion: context.appVersion }));
  return parts.join(sentenceGap(tr));
}

/** The leakage check in one line (under a heading that says so). */
export function leakageLine(model: ScreeningModelBody, tr: Translator = english): string {
  const l = model.evaluation.leakage;
  return tr.t('screeningReport.doc.leakage', { splits: l.checkedSplits, both: l.patientsOnBothSides });
}

/** The summary a reader sees first: the headline numbers in one paragraph. */
export function glanceText(model: ScreeningModelBody, tr: Translator = english): string {
  const p = model.evaluation.patient;
  return tr.t('screeningReport.doc.glance', {
    n: p.n,
    positives: p.positives,
    balancedAccuracy: ciText(p.balancedAccuracy, tr),
    auroc: ciText(p.auroc, tr),
    sensitivity: ciText(p.sensitivity, tr),
    specificity: ciText(p.specificity, tr),
    threshold: fmt(p.threshold, 2),
  });
}

/** The header line under the title: model, status, when trained, patients, measures. */
export const metaText = (context: ScreeningReportContext, tr: Translator = reportTranslator(context)) =>
  context.model.videoFeatures
    ? tr.t('screeningReport.doc.head.meta', { id: context.id, status: statusText(context.status, tr), trained: context.model.createdAt, patients: context.model.cohort.patients, count: context.model.videoFeatures.featureSize, backbone: context.model.videoFeatures.bundleName })
    : tr.t('screeningReport.doc.meta', { id: context.id, status: statusText(context.status, tr), trained: context.model.createdAt, patients: context.model.cohort.patients, measures: context.model.features.length });

/** The footer: the model and its SHA-256, then the app and the time of writing (as an ISO timestamp in every language: provenance). */
export const footerText = (context: ScreeningReportContext, tr: Translator = reportTranslator(context)) => [
  tr.t('screeningReport.doc.footerModel', { id: context.id, sha: context.sha256 }),
  tr.t('screeningReport.doc.footerApp', { version: context.appVersion, time: context.generatedAt }),
];
