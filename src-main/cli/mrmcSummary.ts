import { isAppError } from '../contract/errors.js';
import type { MrmcCovarianceMethod, MrmcDifference, MrmcResult } from '../contract/mrmc.js';
import type { LongFormatRow } from '../domain/stats/longFormatCsv.js';
import { mrmcAnalysis } from '../domain/stats/mrmc.js';
import { formatTable } from './output.js';

/**
 * The MRMC part of `walkscope stats`: run when the rows hold two or more modalities besides
 * "model" (a model is a standalone reader, not a modality the readers used), in a fully
 * crossed design; otherwise `reason` says why it did not run.
 */
export type MrmcOutcome = { ran: true; result: MrmcResult } | { ran: false; reason: string };

const isModelModality = (modality: string) => modality.toLowerCase() === 'model';

export function runMrmc(rows: readonly LongFormatRow[], covariance: MrmcCovarianceMethod): MrmcOutcome {
  const readerRows = rows.filter((r) => !isModelModality(r.modality));
  const modalities = new Set(readerRows.map((r) => r.modality));
  if (modalities.size < 2) return { ran: false, reason: `MRMC needs two or more modalities besides "model", but there ${modalities.size === 1 ? 'is one' : 'are none'}` };
  try {
    return { ran: true, result: mrmcAnalysis(readerRows, { covariance }) };
  } catch (error) {
    if (isAppError(error) && error.code === 'STATS_INVALID') return { ran: false, reason: error.detail ?? error.message };
    throw error;
  }
}

const f5 = (x: number) => x.toFixed(5);
const f2 = (x: number) => x.toFixed(2);
const pValue = (p: number | null) => (p === null ? '—' : p < 0.0001 ? p.toExponential(1) : p.toFixed(4));
const interval = (lower: number, upper: number) => `${f5(lower)} to ${f5(upper)}`;
const dfText = (df: number | null) => (df === null ? 'normal' : Number.isInteger(df) ? String(df) : f2(df));
const covarianceName = { jackknife: 'jackknife', deLong: 'DeLong' } as const;

function modalityTable(result: MrmcResult): string {
  const level = `${Math.round(result.level * 100)}%`;
  return formatTable(result.singleModality, [
    { header: 'modality', value: (m) => m.modality },
    { header: 'reader-averaged AUC', value: (m) => f5(m.auc), align: 'right' },
    { header: 'std. error', value: (m) => (m.randomReadersRandomCases ? f5(m.randomReadersRandomCases.stdErr) : '—'), align: 'right' },
    { header: 'df', value: (m) => (m.randomReadersRandomCases ? dfText(m.randomReadersRandomCases.df) : '—'), align: 'right' },
    { header: `${level} CI (random readers, random cases)`, value: (m) => (m.randomReadersRandomCases ? interval(m.randomReadersRandomCases.lower, m.randomReadersRandomCases.upper) : '—') },
  ]);
}

interface DifferenceRow {
  analysis: string;
  d: MrmcDifference;
}

const aucDifference = (d: MrmcDifference) => `AUC(${d.modalityA}) - AUC(${d.modalityB})`;

/** Differences with their tests; `withDf` false for the single readers, whose tests are all normal. */
function differenceTable(rows: DifferenceRow[], first: string, level: number, withDf = true): string {
  return formatTable(rows, [
    { header: first, value: (x) => x.analysis },
    { header: 'comparison', value: (x) => aucDifference(x.d) },
    { header: 'difference', value: (x) => f5(x.d.difference), align: 'right' },
    { header: 'std. error', value: (x) => f5(x.d.stdErr), align: 'right' },
    { header: `${Math.round(level * 100)}% CI`, value: (x) => interval(x.d.lower, x.d.upper) },
    ...(withDf ? [{ header: 'df', value: (x: DifferenceRow) => dfText(x.d.df), align: 'right' as const }] : []),
    { header: 'p', value: (x) => pValue(x.d.p), align: 'right' },
  ]);
}

/** The test lines, primary first: "F = 4.46 on (1, 15.26) df, p = 0.0517". */
function testLines(result: MrmcResult): string[] {
  const rrrc = result.randomReadersRandomCases;
  const frrc = result.fixedReadersRandomCases;
  const rrfc = result.randomReadersFixedCases;
  const primaryDifference = rrrc && rrrc.differences.length === 1 ? rrrc.differences[0]! : null;
  return [
    rrrc
      ? `Primary (random readers, random cases): ${primaryDifference ? `${aucDifference(primaryDifference)} = ${f5(primaryDifference.difference)} (${Math.round(result.level * 100)}% CI ${interval(primaryDifference.lower, primaryDifference.upper)}), ` : ''}F = ${f2(rrrc.f)} on (${rrrc.ndf}, ${rrrc.ddf === null ? 'infinite' : f2(rrrc.ddf)}) df, p = ${pValue(rrrc.p)}`
      : 'Primary (random readers, random cases): not computed (see the notes)',
    frrc ? `Fixed readers, random cases: X2 = ${frrc.chiSquare.toFixed(3)} on ${frrc.df} df, p = ${pValue(frrc.p)}` : 'Fixed readers, random cases: not computed (see the notes)',
    rrfc ? `Random readers, fixed cases: F = ${f2(rrfc.f)} on (${rrfc.ndf}, ${rrfc.ddf}) df, p = ${pValue(rrfc.p)}` : 'Random readers, fixed cases: not computed (see the notes)',
  ];
}

export function formatMrmc(result: MrmcResult): string {
  const analyses: DifferenceRow[] = [
    ...(result.randomReadersRandomCases?.differences.map((d) => ({ analysis: 'random readers, random cases', d })) ?? []),
    ...(result.fixedReadersRandomCases?.differences.map((d) => ({ analysis: 'fixed readers, random cases', d })) ?? []),
    ...(result.randomReadersFixedCases?.differences.map((d) => ({ analysis: 'random readers, fixed cases', d })) ?? []),
  ];
  const perReader = result.singleReader.flatMap((s) => s.differences.map((d) => ({ analysis: s.reader, d })));
  const c = result.covariances;
  const a = result.anova;
  const opt = (x: number | null) => (x === null ? '—' : x.toExponential(4));
  return [
    `MRMC (Obuchowski-Rockette, Hillis df, ${covarianceName[result.covariance]} covariances): ${result.modalities.length} modalities, ${result.readers.length} readers, ${result.cases} cases (${result.positives} ASD, ${result.negatives} non-ASD).`,
    '',
    ...testLines(result),
    '',
    modalityTable(result),
    '',
    analyses.length > 0 ? differenceTable(analyses, 'analysis', result.level) : '',
    '',
    'Single readers (cases random, normal test):',
    perReader.length > 0 ? differenceTable(perReader, 'reader', result.level, false) : '',
    '',
    `ANOVA of the AUCs: MS(T) ${opt(a.msT)}, MS(R) ${opt(a.msR)}, MS(T*R) ${opt(a.msTR)}. OR covariances: Var ${opt(c.varError)}, Cov1 ${opt(c.cov1)}, Cov2 ${opt(c.cov2)}, Cov3 ${opt(c.cov3)}.`,
    ...(result.notes.length > 0 ? ['', 'MRMC notes:', ...result.notes.map((n) => `  - ${n}`)] : []),
  ].join('\n');
}
