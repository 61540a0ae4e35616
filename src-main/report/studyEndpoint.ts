import type { StudyResults } from '../contract/entities.js';
import type { MrmcDifference, MrmcResult } from '../contract/mrmc.js';
import type { Language } from '../contract/i18n/languages.js';
import { dash, fmt, fmtP } from './reportText.js';
import { studyWords, type StudyWords } from './studyReportText.js';

/**
 * The study's primary endpoint, said the same way in the HTML, the PDF and on the command line.
 * An aided study: the reader-averaged AUROC of aided minus unaided reading, OR-MRMC with random
 * readers and random cases (Hillis ddf). An unaided study with a model: the model minus the
 * readers' reader-averaged AUROC, the same analysis. Otherwise it is not computed, and the
 * MRMC notes say why. The unit (patients) is always named.
 */
export interface PrimaryEndpoint {
  kind: 'aided-vs-unaided' | 'model-vs-readers' | 'none';
  /** What is compared, in words: "reader-averaged AUROC, aided minus unaided". */
  what: string;
  /** "patients, N = 16 (8 ASD, 8 non-ASD)". */
  unit: string;
  /** The analysis behind it; null when not computed. */
  mrmc: MrmcResult | null;
  /** mrmc.randomReadersRandomCases.differences[0]; null when not computed. */
  difference: MrmcDifference | null;
  /** The headline, one sentence. */
  statement: string;
  /** Each compared modality's reader-averaged AUROC with its interval, one sentence (empty when not computed). */
  modalities: string;
  /** Why it was not computed (the MRMC notes); empty when it was. */
  reasons: string[];
}

/** A modality's name as the report writes it. */
export const modalityName = (m: string, language: Language = 'en') => studyWords(language).modalityName(m);

const wordsOf = (language: Language | StudyWords): StudyWords => (typeof language === 'string' ? studyWords(language) : language);

/** "0.123 (95% CI 0.012 to 0.234)": an estimate and its interval, kept on one line by the layouts. */
export const estimateWithCi = (estimate: number, lower: number | null, upper: number | null, level = 0.95, language: Language | StudyWords = 'en') => {
  const { t } = wordsOf(language);
  return lower === null || upper === null
    ? t('studyReport.mrmc.estimateNoCi', { estimate: fmt(estimate) })
    : t('studyReport.mrmc.estimate', { estimate: fmt(estimate), level: Math.round(level * 100), lower: fmt(lower), upper: fmt(upper) });
};

export const dfText = (df: number | null, language: Language | StudyWords = 'en') => (df === null ? wordsOf(language).t('studyReport.mrmc.normal') : Number.isInteger(df) ? String(df) : df.toFixed(2));
export const pText = (p: number | null) => (p === null ? dash : fmtP(p));

/** "AUROC(aided) minus AUROC(unaided)". */
export const differenceName = (d: Pick<MrmcDifference, 'modalityA' | 'modalityB'>, language: Language | StudyWords = 'en') => {
  const w = wordsOf(language);
  return w.t('studyReport.mrmc.difference', { a: w.modalityName(d.modalityA), b: w.modalityName(d.modalityB) });
};

function unitText(w: StudyWords, results: StudyResults, mrmc: MrmcResult | null): string {
  const n = mrmc?.cases ?? results.mrmc.units;
  const [asd, nonAsd] = mrmc ? [mrmc.positives, mrmc.negatives] : [results.study.positivePatientCount, n - results.study.positivePatientCount];
  return w.t('studyReport.primary.unit', { n, asd, nonAsd });
}

function modalitySentence(w: StudyWords, mrmc: MrmcResult, modalities: readonly string[]): string {
  return mrmc.singleModality
    .filter((m) => modalities.includes(m.modality))
    .map((m) => {
      const ci = m.randomReadersRandomCases;
      const name = m.modality === 'model' ? w.t('studyReport.primary.modalityModel') : w.t('studyReport.primary.modalityReaders', { modality: w.capitalModality(m.modality) });
      return w.t('studyReport.primary.modalityAuroc', { name, estimate: estimateWithCi(m.auc, ci?.lower ?? null, ci?.upper ?? null, mrmc.level, w) });
    })
    .join(w.t('studyReport.listSeparator'));
}

/** The primary endpoint in the report language (English unless given). */
export function primaryEndpoint(results: StudyResults, language: Language = 'en'): PrimaryEndpoint {
  const w = studyWords(language);
  const { t } = w;
  const aided = results.design.modalities.includes('aided');
  const mrmc = aided ? results.mrmc.readerModalities : results.mrmc.versusModel;
  const kind: PrimaryEndpoint['kind'] = aided ? 'aided-vs-unaided' : results.mrmc.model ? 'model-vs-readers' : 'none';
  const what = aided ? t('studyReport.primary.whatAided') : kind === 'model-vs-readers' ? t('studyReport.primary.whatModel') : t('studyReport.primary.whatNone');
  const unit = unitText(w, results, mrmc);
  const rrrc = mrmc?.randomReadersRandomCases ?? null;
  const difference = rrrc?.differences[0] ?? null;
  if (kind === 'none' || !mrmc || !rrrc || !difference) {
    const reasons = results.mrmc.notes.length > 0 ? results.mrmc.notes : mrmc ? mrmc.notes : [t('studyReport.primary.noComparison')];
    const needs = aided ? t('studyReport.primary.needsAided') : kind === 'model-vs-readers' ? t('studyReport.primary.needsModel') : t('studyReport.primary.needsNeither');
    return { kind, what, unit, mrmc: null, difference: null, statement: t('studyReport.primary.notComputed', { needs, unit, reasons: reasons.join(w.join) }), modalities: '', reasons };
  }
  const statement = t('studyReport.primary.statement', {
    what,
    estimate: estimateWithCi(difference.difference, difference.lower, difference.upper, mrmc.level, w),
    p: pText(difference.p),
    ddf: dfText(rrrc.ddf, w),
    readers: mrmc.readers.length,
    unit,
  });
  const modalities = modalitySentence(w, mrmc, [difference.modalityA, difference.modalityB]);
  return { kind, what, unit, mrmc, difference, statement, modalities, reasons: [] };
}

/** A row of a table of MRMC differences: which analysis, what is compared, the difference with its CI, df and p. */
export interface DifferenceRow {
  analysis: string;
  comparison: string;
  estimate: string;
  df: string;
  p: string;
}

const row = (w: StudyWords, analysis: string, d: MrmcDifference, level: number): DifferenceRow => ({
  analysis,
  comparison: differenceName(d, w),
  estimate: estimateWithCi(d.difference, d.lower, d.upper, level, w),
  df: dfText(d.df, w),
  p: pText(d.p),
});

/** The analysis (random readers and cases, `primary` when it is the study's primary endpoint) and its sensitivity analyses (fixed readers; fixed cases), every difference. */
export function analysisRows(mrmc: MrmcResult, primary: boolean, language: Language | StudyWords = 'en'): DifferenceRow[] {
  const w = wordsOf(language);
  const randomRandom = primary ? w.t('studyReport.mrmc.randomRandomPrimary') : w.t('studyReport.mrmc.randomRandom');
  return [
    ...(mrmc.randomReadersRandomCases?.differences.map((d) => row(w, randomRandom, d, mrmc.level)) ?? []),
    ...(mrmc.fixedReadersRandomCases?.differences.map((d) => row(w, w.t('studyReport.mrmc.fixedReaders'), d, mrmc.level)) ?? []),
    ...(mrmc.randomReadersFixedCases?.differences.map((d) => row(w, w.t('studyReport.mrmc.fixedCases'), d, mrmc.level)) ?? []),
  ];
}

/** Each reader's own difference (cases random, normal test). */
export function perReaderRows(mrmc: MrmcResult, language: Language | StudyWords = 'en'): DifferenceRow[] {
  const w = wordsOf(language);
  return mrmc.singleReader.flatMap((s) => s.differences.map((d) => row(w, s.reader, d, mrmc.level)));
}

/** Each modality's reader-averaged AUROC with its random-readers random-cases interval. */
export function modalityRows(mrmc: MrmcResult, language: Language | StudyWords = 'en'): string[][] {
  const w = wordsOf(language);
  return mrmc.singleModality.map((m) => [
    w.modalityName(m.modality),
    estimateWithCi(m.auc, m.randomReadersRandomCases?.lower ?? null, m.randomReadersRandomCases?.upper ?? null, mrmc.level, w),
    m.randomReadersRandomCases ? dfText(m.randomReadersRandomCases.df, w) : dash,
  ]);
}
/** Said under an AUROC table whose t intervals pass 1 (or 0). */
export const intervalBeyondRange = (mrmc: MrmcResult, language: Language | StudyWords = 'en') =>
  mrmc.singleModality.some((m) => m.randomReadersRandomCases && (m.randomReadersRandomCases.upper > 1 || m.randomReadersRandomCases.lower < 0)) ? wordsOf(language).t('studyReport.mrmc.beyondRange') : '';
export const modalityHeaders = (language: Language | StudyWords = 'en') => {
  const { t } = wordsOf(language);
  return [t('studyReport.mrmc.colModality'), t('studyReport.mrmc.colModalityAuroc'), t('studyReport.mrmc.colDf')];
};
export const differenceHeaders = (language: Language | StudyWords = 'en') => {
  const { t } = wordsOf(language);
  return [t('studyReport.mrmc.colAnalysis'), t('studyReport.mrmc.colDifference'), t('studyReport.mrmc.colEstimate'), t('studyReport.mrmc.colDf'), t('studyReport.mrmc.colP')];
};
export const differenceCells = (r: DifferenceRow) => [r.analysis, r.comparison, r.estimate, r.df, r.p];
