import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { measureInfo, measureNames, type MeasureName } from '../../contract/measurements.js';
import {
  fusionMethodLabels,
  notShownToBeatChance,
  type CohortPreview,
  type CohortRequest,
  type FusionSource,
  type MetricInterval,
  type ScreeningExplanation,
  type ScreeningModel,
  type ScreeningModelSummary,
} from '../../contract/screening.js';
import type { Command } from '../command.js';
import { CallFailed, UsageError, type CliContext } from '../cliContext.js';
import { formatTable } from '../output.js';
import { waitForJobs } from './importAndJobs.js';

const researchOnly = '*** RESEARCH ONLY: a screening model trained on this site\'s patients, not a clinical device. ***';
const chanceBanner = `*** ${notShownToBeatChance.toUpperCase()}: the patient-level balanced-accuracy 95% CI includes 0.5. ***`;

const ci = (i: MetricInterval | null, digits = 3) => (i ? `${i.estimate.toFixed(digits)} (${i.lower.toFixed(digits)}-${i.upper.toFixed(digits)})` : 'undefined');
const meanSd = (s: { mean: number; sd: number } | undefined) => (s ? `${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}` : '');

/** --cohort: "all" (default), a file with one patient code per line, or codes separated by commas. */
function cohortOf(values: Record<string, unknown>): CohortRequest {
  const request: CohortRequest = {};
  const cohort = values.cohort;
  if (typeof cohort === 'string' && cohort !== 'all') {
    const codes = existsSync(cohort)
      ? readFileSync(cohort, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
      : cohort.split(',').map((c) => c.trim()).filter(Boolean);
    if (codes.length === 0) throw new UsageError(`--cohort ${cohort} names no patient`);
    request.patientCodes = codes;
  }
  if (typeof values.features === 'string' && values.features.startsWith('bundle:')) {
    const id = values.features.slice('bundle:'.length).trim();
    if (!id) throw new UsageError('--features bundle:ID names the feature backbone whose clip features to train on');
    request.videoFeaturesFrom = id;
  } else if (typeof values.features === 'string') {
    const names = values.features.split(',').map((f) => f.trim());
    const unknown = names.filter((n) => !(measureNames as readonly string[]).includes(n));
    if (unknown.length > 0) throw new UsageError(`unknown measure ${unknown.join(', ')}; the measures are ${measureNames.join(', ')}`);
    request.features = names as MeasureName[];
  }
  return request;
}

function wholeNumber(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n)) throw new UsageError(`--${name} takes a whole number, not ${String(raw)}`);
  return n;
}

/**
 * --fuse: study:<id> (a bare number is a study id too), or a bundle id, which needs
 * --bundle-not-trained-on-these-patients: the user's statement that its scores are out of sample.
 */
function fuseOf(value: unknown, statedUnseen: boolean): FusionSource | undefined {
  if (typeof value !== 'string') {
    if (statedUnseen) throw new UsageError('--bundle-not-trained-on-these-patients goes with --fuse BUNDLE');
    return undefined;
  }
  const study = /^(?:study:)?(\d+)$/.exec(value);
  if (study) return { kind: 'study', id: Number(study[1]) };
  if (value.startsWith('head:')) return { kind: 'head', id: value.slice('head:'.length) };
  if (!statedUnseen) {
    throw new UsageError(`--fuse ${value}: a bundle's scores are out of fold only if it was not trained on any of these patients; say so with --bundle-not-trained-on-these-patients, or fuse with a cross-validation study (--fuse study:ID) whose folds each have their own bundle`);
  }
  return { kind: 'bundle', id: value, notTrainedOnThesePatients: true };
}

export function formatCohort(c: CohortPreview): string {
  const byDiagnosis = Object.entries(c.counts.byDiagnosis).map(([d, n]) => `${d} ${n}`).join(', ');
  const lines = [
    c.videoFeatures
      ? `Cohort: ${c.patients.length} patients (${c.counts.asd} ASD, ${c.counts.notAsd} not ASD: ${byDiagnosis || 'none'}), ${c.counts.segments} clips`
      : `Cohort: ${c.patients.length} patients (${c.counts.asd} ASD, ${c.counts.notAsd} not ASD: ${byDiagnosis || 'none'}), ${c.counts.segments} side-on segments of 1 s`,
    c.videoFeatures
      ? `Video features: ${c.videoFeatures.featureSize} per clip from ${c.videoFeatures.bundleName} (${c.videoFeatures.bundleId}, SHA-256 ${c.videoFeatures.bundleSha256.slice(0, 12)}…)`
      : `Measures: ${c.features.map((f) => measureInfo[f].label.toLowerCase()).join(', ')}`,
  ];
  if (c.excluded.length > 0) {
    lines.push(`Left out: ${c.excluded.length} patient${c.excluded.length === 1 ? '' : 's'}`);
    const reasons = new Map<string, string[]>();
    for (const e of c.excluded) reasons.set(e.reason, [...(reasons.get(e.reason) ?? []), e.code]);
    for (const [reason, codes] of reasons) lines.push(`  ${reason}: ${codes.slice(0, 12).join(', ')}${codes.length > 12 ? ` and ${codes.length - 12} more` : ''}`);
  }
  for (const w of c.warnings) lines.push(`warning: ${w}`);
  if (c.refusal) lines.push(`refused: ${c.refusal}`);
  return lines.join('\n');
}

export function formatScreeningModel(m: ScreeningModel): string {
  const b = m.body;
  const e = b.evaluation;
  const p = e.patient;
  const lines = [researchOnly];
  if (!b.beatsChance) lines.push(chanceBanner);
  lines.push(
    '',
    `${m.name} (${m.id}), ${m.status}${m.active ? ', active' : ''}; SHA-256 ${m.sha256}`,
    `Trained ${b.createdAt} by WalkScope ${b.appVersion} in ${b.trainingSeconds.toFixed(1)} s on ${b.cohort.patients} patients (${b.cohort.asd} ASD, ${b.cohort.notAsd} not ASD), ${b.cohort.segments} ${b.videoFeatures ? 'clips' : 'segments'}`,
    ...(b.videoFeatures ? [`A head on video features: ${b.videoFeatures.featureSize} per clip from ${b.videoFeatures.bundleName} (${b.videoFeatures.bundleId}, SHA-256 ${b.videoFeatures.bundleSha256.slice(0, 12)}…); a patient's P(ASD) is the mean of their clips'`] : []),
    `Protocol: stratified group ${b.protocol.folds}-fold by patient x ${b.protocol.repeats} repeats (seeds ${b.protocol.seed}..${b.protocol.seed + b.protocol.repeats - 1}), C chosen by inner ${b.protocol.innerFolds}-fold CV from ${b.protocol.cGrid.join(', ')}, class weight ${b.protocol.classWeight}`,
    '',
    `Patient level (out-of-fold, pooled over repeats, threshold ${p.threshold}; ${p.n} patients, ${p.positives} ASD):`,
    formatTable(
      [
        ['balanced accuracy (bootstrap)', ci(p.balancedAccuracy), meanSd(e.repeatSummary.balancedAccuracy)],
        ['AUROC (DeLong)', ci(p.auroc), meanSd(e.repeatSummary.auroc)],
        ['accuracy (Wilson)', ci(p.accuracy), meanSd(e.repeatSummary.accuracy)],
        ['sensitivity', ci(p.sensitivity), meanSd(e.repeatSummary.sensitivity)],
        ['specificity', ci(p.specificity), meanSd(e.repeatSummary.specificity)],
        ['F1 (bootstrap)', ci(p.f1), meanSd(e.repeatSummary.f1)],
        ['Brier score', p.brier.toFixed(3), meanSd(e.repeatSummary.brier)],
      ],
      [
        { header: 'metric', value: (r) => r[0] },
        { header: 'estimate (95% CI)', value: (r) => r[1], align: 'right' },
        { header: 'per repeat mean ± SD', value: (r) => r[2], align: 'right' },
      ],
    ),
    '',
    `Segment level (secondary; segments of one patient are not independent, so this overstates confidence): balanced accuracy ${ci(e.segment.balancedAccuracy)}, AUROC ${ci(e.segment.auroc)} over ${e.segment.n} segments`,
    `Leakage check: ${e.leakage.checkedSplits} splits checked, ${e.leakage.patientsOnBothSides} patients on both sides of any split`,
  );
  if (b.fusion) {
    const f = b.fusion;
    lines.push('', `Fusion with the 3D CNN (${f.source.kind} ${f.source.id}; ${f.patients} patients with both, ${f.folds} folds${f.withoutCnn.length > 0 ? `; ${f.withoutCnn.length} without a CNN score left out` : ''}):`);
    lines.push(
      formatTable(f.methods, [
        { header: 'method', value: (r) => fusionMethodLabels[r.method] },
        { header: 'balanced accuracy', value: (r) => ci(r.metrics.balancedAccuracy), align: 'right' },
        { header: 'AUROC', value: (r) => ci(r.metrics.auroc), align: 'right' },
      ]),
      '',
      formatTable(f.comparisons, [
        { header: 'comparison', value: (r) => `${r.a} vs ${r.b}` },
        { header: 'a right/b wrong', value: (r) => r.aRightBWrong, align: 'right' },
        { header: 'a wrong/b right', value: (r) => r.aWrongBRight, align: 'right' },
        { header: 'McNemar exact p', value: (r) => r.mcNemarExactP.toFixed(3), align: 'right' },
        { header: 'DeLong p', value: (r) => (r.deLong ? r.deLong.p.toFixed(3) : 'undefined'), align: 'right' },
      ]),
    );
    for (const n of f.notes) lines.push(`note: ${n}`);
  }
  lines.push('', 'Final model (fitted on every patient):');
  if (b.videoFeatures) {
    const largest = b.coefficients.map((c, j) => ({ c, j })).sort((x, y) => Math.abs(y.c) - Math.abs(x.c)).slice(0, 5);
    lines.push(`${b.coefficients.length} coefficients on the standardised features (largest |coefficient|: ${largest.map((x) => `feature ${x.j} ${x.c.toFixed(4)}`).join(', ')}), intercept ${b.intercept.toFixed(4)}, C ${b.c}`);
    lines.push(m.headBundleId ? `Stage 2 bundle: ${m.headBundleId} (backbone and head in one graph)` : 'Accepting it writes the backbone and this head into one stage 2 bundle.');
    if (m.status === 'trained') lines.push('', `Accept it with: walkscope screening accept ${m.id}`);
    return lines.join('\n');
  }
  lines.push(
    formatTable(b.features, [
      { header: 'measure', value: (f) => measureInfo[f].label },
      { header: 'coefficient', value: (f) => b.coefficients[b.features.indexOf(f)]!.toFixed(4), align: 'right' },
      { header: 'norm (not ASD, mean ± SD)', value: (f) => (b.norms[f] ? `${b.norms[f]!.mean.toFixed(2)} ± ${b.norms[f]!.sd.toFixed(2)} ${measureInfo[f].unit}` : ''), align: 'right' },
    ]),
    `intercept ${b.intercept.toFixed(4)}, C ${b.c}`,
  );
  if (m.status === 'trained') lines.push('', `Accept it with: walkscope screening accept ${m.id}`);
  return lines.join('\n');
}

function describeSummary(m: ScreeningModelSummary): string {
  return `${m.id}  ${m.status}${m.active ? ' (active)' : ''}  ${m.name}  ${m.patients} patients  balanced accuracy ${ci(m.balancedAccuracy)}  AUROC ${ci(m.auroc)}${m.fused ? '  fused' : ''}${m.beatsChance ? '' : `  [${notShownToBeatChance}]`}  (${m.origin})`;
}

export function formatExplanation(x: ScreeningExplanation): string {
  const lines = [`${x.patientCode}: P(ASD) ${x.probability.toFixed(3)} -> ${x.call} at ${x.threshold} (model ${x.model.name}, ${x.model.id}) [${x.labels.join('; ')}]`];
  lines.push(`${x.segments} side-on segments from ${x.videos} video${x.videos === 1 ? '' : 's'}; mean |z| against the not-ASD norms ${x.outlyingness.toFixed(2)}`);
  lines.push(
    formatTable(x.features, [
      { header: 'measure', value: (f) => f.sentence },
      { header: 'logit contribution', value: (f) => `${f.contribution >= 0 ? '+' : ''}${f.contribution.toFixed(2)}`, align: 'right' },
    ]),
  );
  if (x.fused) lines.push(`fused with the 3D CNN (P(ASD) ${x.fused.cnnProbability.toFixed(3)}): ${x.fused.probability.toFixed(3)} -> ${x.fused.call}; measurement weight ${x.fused.measurementWeight} (gate ${x.fused.gateOpen ? 'open: the patient is far from the norms' : 'closed'})`);
  for (const n of x.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

async function writeOut(context: CliContext, out: string, file: { fileName: string; mimeType: string; contentBase64: string }): Promise<void> {
  await writeFile(resolve(out), Buffer.from(file.contentBase64, 'base64'));
  if (!context.json) context.io.err(`Wrote ${out}`);
}

const reportFormatOf = (out: string) => {
  const ext = extname(out).slice(1).toLowerCase();
  if (ext === 'pdf' || ext === 'html' || ext === 'csv' || ext === 'json') return ext;
  throw new UsageError(`--report ${out}: the file must end in .pdf, .html, .csv or .json`);
};

export const screeningCommands: Command[] = [
  {
    name: 'train',
    summary: 'Train and cross-validate a screening model on the posture measures, or a head on a feature backbone\'s clip features, of labelled patients (patient-level metrics)',
    usage: 'walkscope train [--cohort all|P001,P002|FILE] [--features trunkLean,... | --features bundle:ID] [--folds 5] [--repeats 10] [--seed 2023] [--inner-folds 3] [--class-weight balanced|none] [--fuse study:ID | --fuse head:MODEL | --fuse BUNDLE --bundle-not-trained-on-these-patients] [--name NAME] [--report FILE.pdf|.html|.csv|.json] [--accept] [--dry-run] [--json]',
    options: {
      cohort: { type: 'string' },
      features: { type: 'string' },
      folds: { type: 'string' },
      repeats: { type: 'string' },
      seed: { type: 'string' },
      'inner-folds': { type: 'string' },
      'class-weight': { type: 'string' },
      fuse: { type: 'string' },
      'bundle-not-trained-on-these-patients': { type: 'boolean' },
      name: { type: 'string' },
      report: { type: 'string' },
      accept: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    },
    async run(context, _positionals, values) {
      const cohort = cohortOf(values);
      const classWeightValue = values['class-weight'];
      if (classWeightValue !== undefined && classWeightValue !== 'balanced' && classWeightValue !== 'none') throw new UsageError('--class-weight is balanced or none');
      const classWeight = classWeightValue as 'balanced' | 'none' | undefined;
      const protocol = {
        ...(wholeNumber(values, 'folds') !== undefined ? { folds: wholeNumber(values, 'folds')! } : {}),
        ...(wholeNumber(values, 'repeats') !== undefined ? { repeats: wholeNumber(values, 'repeats')! } : {}),
        ...(wholeNumber(values, 'seed') !== undefined ? { seed: wholeNumber(values, 'seed')! } : {}),
        ...(wholeNumber(values, 'inner-folds') !== undefined ? { innerFolds: wholeNumber(values, 'inner-folds')! } : {}),
        ...(classWeight ? { classWeight } : {}),
      };
      const report = typeof values.report === 'string' ? values.report : undefined;
      const format = report ? reportFormatOf(report) : undefined;
      const fuse = fuseOf(values.fuse, values['bundle-not-trained-on-these-patients'] === true);
      const preview = await context.call('screening.cohort', cohort);
      if (!context.json) context.io.err(formatCohort(preview));
      if (preview.refusal) {
        if (context.json) context.print({ cohort: preview }, () => '');
        return 1;
      }
      if (values['dry-run'] === true) {
        if (context.json) context.print({ cohort: preview }, () => '');
        return;
      }
      const job = await context.call('screening.train', {
        cohort,
        protocol,
        ...(typeof values.name === 'string' ? { name: values.name } : {}),
        ...(fuse ? { fuse } : {}),
      });
      const [done] = await waitForJobs(context, [job.id]);
      if (!done || done.status !== 'done') {
        context.io.err(`Training did not finish: ${done?.error?.message ?? done?.status ?? 'unknown'}`);
        return 1;
      }
      const app = await context.app();
      const stored = app.store.screeningModels.list().find((m) => m.origin === `trained here (job ${job.id})`);
      if (!stored) throw new CallFailed({ code: 'INTERNAL', message: `job ${job.id} finished but stored no model` });
      if (values.accept === true) await context.call('screening.accept', { id: stored.id });
      const model = await context.call('screening.get', { id: stored.id });
      if (report && format) await writeOut(context, report, await context.call('screening.report', { id: model.id, format }));
      context.print({ cohort: preview, model }, () => formatScreeningModel(model));
    },
  },
  {
    name: 'screening list',
    summary: 'List screening models (trained here or imported), the active one marked',
    usage: 'walkscope screening list [--json]',
    async run(context) {
      const models = await context.call('screening.list', {});
      context.print(models, () => (models.length === 0 ? 'No screening model yet. Train one with: walkscope train' : models.map(describeSummary).join('\n')));
    },
  },
  {
    name: 'screening show',
    summary: "A screening model's card: what it was trained on and how well it did in cross-validation",
    usage: 'walkscope screening show <id> [--json]',
    async run(context, positionals) {
      if (!positionals[0]) throw new UsageError('give the model id (lr-...)');
      const model = await context.call('screening.get', { id: positionals[0] });
      context.print(model, () => formatScreeningModel(model));
    },
  },
  {
    name: 'screening accept',
    summary: 'Accept a screening model: patient verdicts use it from now on (audited)',
    usage: 'walkscope screening accept <id>',
    async run(context, positionals) {
      if (!positionals[0]) throw new UsageError('give the model id (lr-...)');
      const model = await context.call('screening.accept', { id: positionals[0] });
      context.print(model, () => `Accepted: ${describeSummary(model)}`);
    },
  },
  {
    name: 'screening retire',
    summary: 'Retire a screening model (kept for provenance; verdicts stop using it)',
    usage: 'walkscope screening retire <id>',
    async run(context, positionals) {
      if (!positionals[0]) throw new UsageError('give the model id (lr-...)');
      const model = await context.call('screening.retire', { id: positionals[0] });
      context.print(model, () => `Retired: ${describeSummary(model)}`);
    },
  },
  {
    name: 'screening export',
    summary: 'Write a screening model as one JSON file with its SHA-256, to share with another site',
    usage: 'walkscope screening export <id> --out FILE.json',
    options: { out: { type: 'string' } },
    async run(context, positionals, values) {
      if (!positionals[0] || typeof values.out !== 'string') throw new UsageError('give the model id and --out FILE.json');
      const file = await context.call('screening.export', { id: positionals[0] });
      await writeOut(context, values.out, file);
      context.print({ file: resolve(values.out) }, () => `Exported ${positionals[0]} to ${values.out}`);
    },
  },
  {
    name: 'screening import',
    summary: "Import a screening model file (its SHA-256 is checked); it must be accepted before verdicts use it",
    usage: 'walkscope screening import <file.json>',
    async run(context, positionals) {
      if (!positionals[0]) throw new UsageError('give the model file');
      const model = await context.call('screening.import', { source: { kind: 'path', path: resolve(positionals[0]) } });
      context.print(model, () => `Imported: ${describeSummary(model)}`);
    },
  },
  {
    name: 'screening report',
    summary: "A screening model's cross-validation report as PDF, HTML, CSV (per-patient predictions) or JSON",
    usage: 'walkscope screening report <id> --out FILE.pdf|.html|.csv|.json',
    options: { out: { type: 'string' } },
    async run(context, positionals, values) {
      if (!positionals[0] || typeof values.out !== 'string') throw new UsageError('give the model id and --out FILE');
      const file = await context.call('screening.report', { id: positionals[0], format: reportFormatOf(values.out) });
      await writeOut(context, values.out, file);
      context.print({ file: resolve(values.out), mimeType: file.mimeType }, () => `Wrote ${values.out}`);
    },
  },
  {
    name: 'screening explain',
    summary: "A patient's verdict from the active screening model, measure by measure",
    usage: 'walkscope screening explain <patient code> [--model lr-...] [--json]',
    options: { model: { type: 'string' } },
    async run(context, positionals, values) {
      if (!positionals[0]) throw new UsageError('give the patient code');
      const reply = await context.call('screening.explain', { code: positionals[0], ...(typeof values.model === 'string' ? { modelId: values.model } : {}) });
      context.print(reply, () => (reply.explanation ? formatExplanation(reply.explanation) : reply.reason ?? ''));
      return reply.explanation ? undefined : 1;
    },
  },
];
