import type { StudyResults } from '../contract/entities.js';
import type { MrmcDifference, MrmcResult } from '../contract/mrmc.js';
import { dash, fmt, fmtP } from './reportText.js';

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
export const modalityName = (m: string) => (m === 'model' ? 'the model' : m);

/** "0.123 (95% CI 0.012 to 0.234)": an estimate and its interval, kept on one line by the layouts. */
export const estimateWithCi = (estimate: number, lower: number | null, upper: number | null, level = 0.95) =>
  lower === null || upper === null ? `${fmt(estimate)} (CI undefined)` : `${fmt(estimate)} (${Math.round(level * 100)}% CI ${fmt(lower)} to ${fmt(upper)})`;

export const dfText = (df: number | null) => (df === null ? 'normal' : Number.isInteger(df) ? String(df) : df.toFixed(2));
export const pText = (p: number | null) => (p === null ? dash : fmtP(p));

/** "AUROC(aided) minus AUROC(unaided)". */
export const differenceName = (d: Pick<MrmcDifference, 'modalityA' | 'modalityB'>) => `${modalityName(d.modalityA)} minus ${modalityName(d.modalityB)}`;

function unitText(results: StudyResults, mrmc: MrmcResult | null): string {
  const n = mrmc?.cases ?? results.mrmc.units;
  const classes = mrmc ? ` (${mrmc.positives} ASD, ${mrmc.negatives} non-ASD)` : ` (${results.study.positivePatientCount} ASD, ${n - results.study.positivePatientCount} non-ASD)`;
  return `patients, N = ${n}${classes}`;
}

function modalitySentence(mrmc: MrmcResult, modalities: readonly string[]): string {
  return mrmc.singleModality
    .filter((m) => modalities.includes(m.modality))
    .map((m) => {
      const ci = m.randomReadersRandomCases;
      const name = m.modality === 'model' ? 'Model' : `${m.modality[0]!.toUpperCase()}${m.modality.slice(1)} (reader-averaged)`;
      return `${name}: AUROC ${estimateWithCi(m.auc, ci?.lower ?? null, ci?.upper ?? null, mrmc.level)}`;
    })
    .join('; ');
}

export function primaryEndpoint(results: StudyResults): PrimaryEndpoint {
  const aided = results.design.modalities.includes('aided');
  const mrmc = aided ? results.mrmc.readerModalities : results.mrmc.versusModel;
  const kind: PrimaryEndpoint['kind'] = aided ? 'aided-vs-unaided' : results.mrmc.model ? 'model-vs-readers' : 'none';
  const what = aided ? 'reader-averaged AUROC, aided minus unaided' : kind === 'model-vs-readers' ? "AUROC of the model minus the readers' reader-averaged AUROC" : 'no primary endpoint';
  const unit = unitText(results, mrmc);
  const rrrc = mrmc?.randomReadersRandomCases ?? null;
  const difference = rrrc?.differences[0] ?? null;
  if (kind === 'none' || !mrmc || !rrrc || !difference) {
    const reasons = results.mrmc.notes.length > 0 ? results.mrmc.notes : mrmc ? mrmc.notes : ['the study has neither an aided session nor a model to compare the readers with'];
    const needs = aided ? 'aided minus unaided reader-averaged AUROC' : kind === 'model-vs-readers' ? 'the model against the readers' : 'neither aided against unaided reading nor the model against the readers';
    return { kind, what, unit, mrmc: null, difference: null, statement: `Primary endpoint not computed (${needs}; unit: ${unit}): ${reasons.join(' ')}`, modalities: '', reasons };
  }
  const readers = mrmc.readers.length;
  const statement =
    `Primary endpoint, ${what}: ${estimateWithCi(difference.difference, difference.lower, difference.upper, mrmc.level)}, p = ${pText(difference.p)}; ` +
    `OR-MRMC, random readers and random cases (Hillis ddf ${dfText(rrrc.ddf)}), ${readers} readers; unit: ${unit}.`;
  const modalities = modalitySentence(mrmc, [difference.modalityA, difference.modalityB]);
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

const row = (analysis: string, d: MrmcDifference, level: number): DifferenceRow => ({
  analysis,
  comparison: differenceName(d),
  estimate: estimateWithCi(d.difference, d.lower, d.upper, level),
  df: dfText(d.df),
  p: pText(d.p),
});

/** The analysis (random readers and cases, `primary` when it is the study's primary endpoint) and its sensitivity analyses (fixed readers; fixed cases), every difference. */
export function analysisRows(mrmc: MrmcResult, primary: boolean): DifferenceRow[] {
  return [
    ...(mrmc.randomReadersRandomCases?.differences.map((d) => row(`Random readers, random cases${primary ? ' (primary)' : ''}`, d, mrmc.level)) ?? []),
    ...(mrmc.fixedReadersRandomCases?.differences.map((d) => row('Fixed readers, random cases', d, mrmc.level)) ?? []),
    ...(mrmc.randomReadersFixedCases?.differences.map((d) => row('Random readers, fixed cases', d, mrmc.level)) ?? []),
  ];
}

/** Each reader's own difference (cases random, normal test). */
export function perReaderRows(mrmc: MrmcResult): DifferenceRow[] {
  return mrmc.singleReader.flatMap((s) => s.differences.map((d) => row(s.reader, d, mrmc.level)));
}

/** Each modality's reader-averaged AUROC with its random-readers random-cases interval. */
export function modalityRows(mrmc: MrmcResult): string[][] {
  return mrmc.singleModality.map((m) => [modalityName(m.modality), estimateWithCi(m.auc, m.randomReadersRandomCases?.lower ?? null, m.randomReadersRandomCases?.upper ?? null, mrmc.level), m.randomReadersRandomCases ? dfText(m.randomReadersRandomCases.df) : dash]);
}
/** Said under an AUROC table whose t intervals pass 1 (or 0). */
export const intervalBeyondRange = (mrmc: MrmcResult) =>
  mrmc.singleModality.some((m) => m.randomReadersRandomCases && (m.randomReadersRandomCases.upper > 1 || m.randomReadersRandomCases.lower < 0))
    ? 'An interval passing 1 is not an error: OR-MRMC intervals are symmetric (estimate ± t × SE), as iMRMC and RJafroc give them; an AUROC cannot exceed 1.'
    : '';
export const modalityHeaders = ['Modality', 'Reader-averaged AUROC (random readers, random cases)', 'df'];
export const differenceHeaders = ['Analysis', 'Difference', 'Estimate (95% CI)', 'df', 'p'];
export const differenceCells = (r: DifferenceRow) => [r.analysis, r.comparison, r.estimate, r.df, r.p];
