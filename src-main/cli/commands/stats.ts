import { readFile } from 'node:fs/promises';
import { AppError } from '../../contract/errors.js';
import { mrmcCovarianceMethodSchema, type MrmcCovarianceMethod } from '../../contract/mrmc.js';
import { compareRaters, type Comparison, type Interval } from '../../domain/stats/comparison.js';
import { parseLongFormatCsv } from '../../domain/stats/longFormatCsv.js';
import type { Command } from '../command.js';
import { UsageError } from '../cliContext.js';
import { formatTable } from '../output.js';
import { formatMrmc, runMrmc, type MrmcOutcome } from '../mrmcSummary.js';

const f3 = (x: number) => x.toFixed(3);
/** An estimate with its interval; "CI undefined" when the interval could not be computed (see the notes). */
const ci = (i: Pick<Interval, 'estimate'> & { lower: number | null; upper: number | null }) =>
  i.lower === null || i.upper === null ? `${f3(i.estimate)} (CI undefined)` : `${f3(i.estimate)} (${f3(i.lower)}-${f3(i.upper)})`;
const p = (x: number) => (x < 0.001 ? x.toExponential(1) : x.toFixed(3));

type Pair = Comparison['pairs'][number];
type Correctness = Pair['correctness'];
/** "sensitivity 0.812 vs 0.625 on 16 ASD cases, right only: 4 vs 1, McNemar p 0.375 (exact)". */
const withinClass = (what: string, cases: string, m: Correctness | null) =>
  m
    ? `${what} ${f3(m.aCorrect / m.cases)} vs ${f3(m.bCorrect / m.cases)} on ${m.cases} ${cases}; right only: ${m.aRightBWrong} vs ${m.aWrongBRight}; McNemar p ${p(m.pExact)} (exact), ${p(m.pCorrected)} (corr.)`
    : `${what}: no ${cases} in common`;

export function formatComparison(c: Comparison): string {
  const raters = formatTable(c.raters, [
    { header: 'rater', value: (r) => `${r.rater}${r.isModel ? ' [model]' : ''}` },
    { header: 'n', value: (r) => r.cases, align: 'right' },
    { header: 'accuracy (95% CI)', value: (r) => ci(r.accuracy) },
    { header: 'sensitivity', value: (r) => ci(r.sensitivity) },
    { header: 'specificity', value: (r) => ci(r.specificity) },
    { header: 'precision', value: (r) => ci(r.precision) },
    { header: 'F1', value: (r) => ci(r.f1) },
    { header: 'AUROC (DeLong 95% CI)', value: (r) => (r.auroc ? ci(r.auroc) : '—') },
  ]);
  const pairs = formatTable(c.pairs, [
    { header: 'comparison (A vs B)', value: (x) => `${x.a} vs ${x.b}` },
    { header: 'cases', value: (x) => x.commonCases, align: 'right' },
    { header: 'ΔAUROC', value: (x) => (x.deLong ? f3(x.deLong.difference) : '—'), align: 'right' },
    { header: 'DeLong p', value: (x) => (x.deLong ? p(x.deLong.p) : '—'), align: 'right' },
    { header: 'right only (A vs B)', value: (x) => `${x.correctness.aRightBWrong} vs ${x.correctness.aWrongBRight}`, align: 'right' },
    { header: 'McNemar on correctness p (exact)', value: (x) => p(x.correctness.pExact), align: 'right' },
    { header: 'p (corr.)', value: (x) => p(x.correctness.pCorrected), align: 'right' },
    { header: "agreement (Cohen's kappa, 95% CI)", value: (x) => (x.agreement ? `${f3(x.agreement.kappa)} (${f3(x.agreement.lower)} to ${f3(x.agreement.upper)})` : '—') },
  ]);
  const perClass = c.pairs.flatMap((x) => [
    `  ${x.a} vs ${x.b}:`,
    `    ${withinClass('sensitivity', 'ASD cases', x.sensitivity)}`,
    `    ${withinClass('specificity', 'non-ASD cases', x.specificity)}`,
  ]);
  const notes = [...c.notes, ...c.raters.flatMap((r) => r.notes.map((n) => `${r.rater}: ${n}`)), ...c.pairs.flatMap((x) => x.notes.map((n) => `${x.a} vs ${x.b}: ${n}`))];
  const readers = c.raters.filter((r) => !r.isModel).length;
  return [
    `${c.cases} cases (${c.positives} ASD, ${c.cases - c.positives} non-ASD), ${c.raters.length} raters. Proportions: Wilson CIs; F1: stratified bootstrap (${c.bootstrap.replicates} replicates, seed ${c.bootstrap.seed}).`,
    '',
    raters,
    '',
    ...(pairs.length > 0 && c.pairs.length > 0
      ? [
          'Paired comparisons, on the cases both rated:',
          '  McNemar on correctness: is one right more often? It counts the cases where one is right and the other wrong.',
          "  Agreement (Cohen's kappa): do their calls agree beyond chance, right or wrong?",
          '',
          pairs,
          '',
          'McNemar on correctness within each class:',
          ...perClass,
        ]
      : ['Only one rater: no paired comparisons.']),
    '',
    c.fleiss
      ? `Fleiss' kappa across ${c.fleiss.raters} readers on ${c.fleiss.items} cases: ${f3(c.fleiss.kappa)}${readers === 2 ? " (with two readers, their agreement (Cohen's kappa) above is the usual measure)" : ''}`
      : `Fleiss' kappa: not computed. ${c.fleissUnavailable ?? 'No reason was given.'}`,
    c.readerAveragedAuroc ? `Reader-averaged AUROC: ${f3(c.readerAveragedAuroc.mean)} over ${c.readerAveragedAuroc.readers} readers (range ${f3(c.readerAveragedAuroc.min)}-${f3(c.readerAveragedAuroc.max)})` : '',
    ...(notes.length > 0 ? ['', 'Notes:', ...notes.map((n) => `  - ${n}`)] : []),
  ].join('\n');
}

/** The MRMC section: the analysis, one line saying why it was not run, or nothing with fewer than two modalities. */
function mrmcText(outcome: MrmcOutcome, modalities: number): string {
  if (outcome.ran) return formatMrmc(outcome.result);
  return modalities >= 2 ? `MRMC (Obuchowski-Rockette) not run: ${outcome.reason}.` : '';
}

function covarianceOption(value: unknown): MrmcCovarianceMethod {
  if (value === undefined) return 'jackknife';
  const parsed = mrmcCovarianceMethodSchema.safeParse(value === 'delong' ? 'deLong' : value);
  if (!parsed.success) throw new UsageError(`--mrmc-covariance takes jackknife or delong, not ${String(value)}`);
  return parsed.data;
}

export const statsCommands: Command[] = [
  {
    name: 'stats',
    summary: 'Every metric and comparison for scores from a long-format CSV (reader, case, modality, score, truth[, call])',
    usage: 'walkscope stats <cases.csv> [--seed N] [--replicates N] [--mrmc-covariance jackknife|delong] [--json]',
    options: { seed: { type: 'string' }, replicates: { type: 'string' }, 'mrmc-covariance': { type: 'string' } },
    async run(context, positionals, values) {
      const file = positionals[0];
      if (!file) throw new UsageError('give the CSV file');
      const text = await readFile(file, 'utf8').catch((cause: unknown) => {
        throw new AppError('FILE_NOT_FOUND', file, { cause });
      });
      const covariance = covarianceOption(values['mrmc-covariance']);
      const rows = parseLongFormatCsv(text);
      const comparison = compareRaters(rows, {
        ...(typeof values.seed === 'string' ? { seed: Number(values.seed) } : {}),
        ...(typeof values.replicates === 'string' ? { bootstrapReplicates: Number(values.replicates) } : {}),
      });
      const mrmc = runMrmc(rows, covariance);
      const modalities = new Set(rows.map((r) => r.modality).filter((m) => m.toLowerCase() !== 'model')).size;
      const json = { ...comparison, mrmc: mrmc.ran ? mrmc.result : null, ...(mrmc.ran ? {} : { mrmcNotRun: mrmc.reason }) };
      context.print(json, () => [formatComparison(comparison), mrmcText(mrmc, modalities)].filter((part) => part !== '').join('\n\n'));
    },
  },
];
