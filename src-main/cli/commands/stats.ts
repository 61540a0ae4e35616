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
const ci = (i: Interval) => `${f3(i.estimate)} (${f3(i.lower)}-${f3(i.upper)})`;
const p = (x: number) => (x < 0.001 ? x.toExponential(1) : x.toFixed(3));

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
    { header: 'comparison', value: (x) => `${x.a} vs ${x.b}` },
    { header: 'cases', value: (x) => x.commonCases, align: 'right' },
    { header: 'ΔAUROC', value: (x) => (x.deLong ? f3(x.deLong.difference) : '—'), align: 'right' },
    { header: 'DeLong p', value: (x) => (x.deLong ? p(x.deLong.p) : '—'), align: 'right' },
    { header: 'McNemar p (exact)', value: (x) => p(x.mcNemar.pExact), align: 'right' },
    { header: 'McNemar p (corr.)', value: (x) => p(x.mcNemar.pCorrected), align: 'right' },
    { header: "Cohen's kappa (95% CI)", value: (x) => (x.kappa ? `${f3(x.kappa.kappa)} (${f3(x.kappa.lower)} to ${f3(x.kappa.upper)})` : '—') },
  ]);
  const notes = [...c.notes, ...c.raters.flatMap((r) => r.notes.map((n) => `${r.rater}: ${n}`)), ...c.pairs.flatMap((x) => x.notes.map((n) => `${x.a} vs ${x.b}: ${n}`))];
  return [
    `${c.cases} cases (${c.positives} ASD, ${c.cases - c.positives} non-ASD), ${c.raters.length} raters. Proportions: Wilson CIs; F1: stratified bootstrap (${c.bootstrap.replicates} replicates, seed ${c.bootstrap.seed}).`,
    '',
    raters,
    '',
    pairs.length > 0 ? pairs : 'Only one rater: no paired comparisons.',
    '',
    c.fleiss ? `Fleiss' kappa across ${c.fleiss.raters} readers on ${c.fleiss.items} cases: ${f3(c.fleiss.kappa)}` : "Fleiss' kappa: needs at least two readers.",
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
