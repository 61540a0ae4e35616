import type { ReaderProgress, StudyResults, StudySummary } from '../../contract/entities.js';
import { designRows, studyWords } from '../../report/studyReportText.js';
import { primaryEndpoint } from '../../report/studyEndpoint.js';
import { studyReportFormats, type StudyReportFormat } from '../../report/studyReport.js';
import type { Language } from '../../contract/i18n/languages.js';
import { reportLanguage } from '../../services/reportLanguage.js';
import { formatMrmc } from '../mrmcSummary.js';
import type { Command } from '../command.js';
import { UsageError } from '../cliContext.js';
import { formatDuration, formatTable, progressBar } from '../output.js';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Comparison } from '../../domain/stats/comparison.js';
import { formatComparison } from './stats.js';

function studyId(value: string | undefined): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError('give the study id (a number), e.g. walkscope study status 3');
  return id;
}

function list(value: unknown): string[] {
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

export function progressTable(progress: ReaderProgress[]): string {
  if (progress.length === 0) return 'No readers enrolled yet. Add one with: walkscope study add-reader <study> <reader-code>';
  return formatTable(progress, [
    { header: 'reader', value: (p) => p.readerCode },
    { header: 'name', value: (p) => p.readerName },
    { header: 'progress', value: (p) => `${progressBar(p.total === 0 ? 0 : p.done / p.total, 20)} ${p.done}/${p.total}` },
    { header: 'time spent', value: (p) => formatDuration(p.timeSpentMs / 1000), align: 'right' },
    { header: 'last reading', value: (p) => p.lastReadingAt?.slice(0, 16).replace('T', ' ') ?? '' },
  ]);
}

/** The primary endpoint, as the reports state it (in `language`, English unless given): the headline, each modality's AUROC, or why it was not computed. */
export function primaryEndpointText(results: StudyResults, language: Language = 'en'): string {
  const primary = primaryEndpoint(results, language);
  return [primary.statement, ...(primary.modalities ? [studyWords(language).sentence(primary.modalities)] : [])].join('\n');
}

/** The study's results as text: the primary endpoint first, the design, the MRMC analyses, then the secondary comparison and the folds. */
export function formatStudyResults(results: StudyResults): string {
  const primary = primaryEndpoint(results);
  const design = designRows(studyWords('en'), results).map(([label, text]) => `  ${label}: ${text}`);
  const seeds = results.design.orders.map((o) => `${o.readerCode} session ${o.session} (${o.modality}) seed ${o.seed ?? '—'}`).join('; ');
  const supplementary = primary.kind === 'aided-vs-unaided' ? results.mrmc.versusModel : null;
  return [
    primaryEndpointText(results),
    '',
    describeStudy(results.study),
    'Design:',
    ...design,
    `  Randomisation: ${seeds || 'no reader enrolled'}`,
    '',
    ...(primary.mrmc ? ['Primary analysis, per patient:', formatMrmc(primary.mrmc), ''] : []),
    ...(supplementary ? ['The model against the readers (supplementary), per patient:', formatMrmc(supplementary), ''] : []),
    ...(results.mrmc.notes.length > 0 ? ['MRMC notes:', ...results.mrmc.notes.map((n) => `  - ${n}`), ''] : []),
    `Secondary, per patient (${results.mrmc.units} patients):`,
    results.comparison ? formatComparison(results.comparison as Comparison) : results.notes.join('\n'),
    ...(results.caseLevel ? ['', `Secondary, per case (${results.caseLevel.cases} cases; cases of one patient are not independent):`, formatComparison(results.caseLevel as Comparison)] : []),
  ].join('\n');
}

function describeStudy(study: StudySummary): string {
  const { protocol } = study;
  const material = protocol.material === 'clip' ? `random ${protocol.clipSeconds} s clips` : 'full videos';
  const view = protocol.view === 'person-centred' ? 'person-centred' : 'original, patient marked';
  const sessions = protocol.modalities.length > 1 ? `unaided, then aided after ${protocol.washoutDays} days` : 'unaided';
  const training = study.trainingCaseCount > 0 ? ` + ${study.trainingCaseCount} training` : '';
  return `Study ${study.id}: ${study.name} (${study.kind}; ${material}; ${view}; ${sessions}; blinded; seed ${study.seed}) - ${study.patientCount} patients, ${study.caseCount} cases (${study.positiveCount} ASD)${training}, ${study.readerCount} readers`;
}

export const studyCommands: Command[] = [
  {
    name: 'study create',
    summary: 'Create a reader study or a cross-validation study',
    usage: 'walkscope study create <name> [--kind reader|cross-validation] [--material clip|full] [--clip-seconds 1] [--view person-centred|original-marked] [--aided] [--washout-days 28] [--seed N] [--description TEXT]',
    options: {
      kind: { type: 'string' }, material: { type: 'string' }, 'clip-seconds': { type: 'string' }, view: { type: 'string' }, aided: { type: 'boolean' }, 'washout-days': { type: 'string' },
      seed: { type: 'string' }, description: { type: 'string' },
    },
    async run(context, positionals, values) {
      const name = positionals.join(' ').trim();
      if (!name) throw new UsageError('give the study name');
      const kind = (values.kind ?? 'reader') as 'reader' | 'cross-validation';
      const study = await context.call('studies.create', {
        name,
        kind,
        ...(typeof values.description === 'string' ? { description: values.description } : {}),
        protocol: {
          ...(typeof values.material === 'string' ? { material: values.material as 'clip' | 'full' } : {}),
          ...(typeof values['clip-seconds'] === 'string' ? { clipSeconds: Number(values['clip-seconds']) } : {}),
          ...(typeof values.view === 'string' ? { view: values.view as 'person-centred' | 'original-marked' } : {}),
          // --aided: a second session, after the washout, with the model's output and the measures shown
          ...(values.aided === true ? { modalities: ['unaided', 'aided'] as Array<'unaided' | 'aided'> } : {}),
          ...(typeof values['washout-days'] === 'string' ? { washoutDays: Number(values['washout-days']) } : {}),
        },
        ...(typeof values.seed === 'string' ? { seed: Number(values.seed) } : {}),
      });
      context.print(study, () => `Created ${describeStudy(study)}`);
    },
  },
  {
    name: 'study list',
    summary: 'List studies',
    usage: 'walkscope study list [--json]',
    async run(context) {
      const studies = await context.call('studies.list', {});
      context.print(studies, () => (studies.length === 0 ? 'No studies yet. Create one with: walkscope study create <name>' : studies.map(describeStudy).join('\n')));
    },
  },
  {
    name: 'study add-cases',
    summary: "Add patients' videos (or single videos) as cases; ground truth comes from the diagnosis label",
    usage: 'walkscope study add-cases <study> [--patients P001,P002] [--videos 3,4] [--training]',
    options: { patients: { type: 'string' }, videos: { type: 'string' }, training: { type: 'boolean' } },
    async run(context, positionals, values) {
      const id = studyId(positionals[0]);
      const patientCodes = list(values.patients);
      const videoIds = list(values.videos).map(Number);
      if (patientCodes.length === 0 && videoIds.length === 0) throw new UsageError('name the cases with --patients or --videos');
      if (videoIds.some((v) => !Number.isInteger(v))) throw new UsageError('--videos takes video ids separated by commas');
      const cases = await context.call('studies.addCases', { id, patientCodes, videoIds, ...(values.training === true ? { training: true } : {}) });
      context.print(cases, () =>
        formatTable(cases, [
          { header: 'case', value: (c) => c.caseCode },
          { header: 'patient', value: (c) => c.patientCode },
          { header: 'video', value: (c) => c.videoId, align: 'right' },
          { header: 'truth', value: (c) => (c.truth === 1 ? 'ASD' : 'non-ASD') },
          { header: 'clip', value: (c) => (c.clipStartSec === null ? 'full video' : `${c.clipStartSec.toFixed(2)}-${c.clipEndSec?.toFixed(2)} s`) },
          { header: 'training', value: (c) => (c.training ? 'yes (not analysed)' : '') },
        ]),
      );
    },
  },
  {
    name: 'study add-reader',
    summary: 'Enrol a reader (create readers with: walkscope readers create)',
    usage: 'walkscope study add-reader <study> <reader-code>',
    async run(context, positionals) {
      const id = studyId(positionals[0]);
      const readerCode = positionals[1];
      if (!readerCode) throw new UsageError('give the reader code');
      const progress = await context.call('studies.addReader', { id, readerCode });
      context.print(progress, () => progressTable(progress));
    },
  },
  {
    name: 'study status',
    summary: "A study's cohort and each reader's progress",
    usage: 'walkscope study status <study> [--json]',
    async run(context, positionals) {
      const detail = await context.call('studies.get', { id: studyId(positionals[0]) });
      context.print(detail, () => [describeStudy(detail.study), '', progressTable(detail.progress)].join('\n'));
    },
  },
  {
    name: 'study assign-folds',
    summary: 'Split the cases into k folds by patient (stratified group k-fold, seeded)',
    usage: 'walkscope study assign-folds <study> --folds 5 [--seed N]',
    options: { folds: { type: 'string' }, seed: { type: 'string' } },
    async run(context, positionals, values) {
      const id = studyId(positionals[0]);
      const folds = Number(values.folds ?? 5);
      if (!Number.isInteger(folds) || folds < 2) throw new UsageError('--folds takes a whole number of 2 or more');
      const cases = await context.call('studies.assignFolds', { id, folds, ...(typeof values.seed === 'string' ? { seed: Number(values.seed) } : {}) });
      context.print(cases, () =>
        formatTable(
          Array.from({ length: folds }, (_, f) => cases.filter((c) => c.fold === f)),
          [
            { header: 'fold', value: (list) => list[0]?.fold ?? '' },
            { header: 'cases', value: (list) => list.length, align: 'right' },
            { header: 'ASD', value: (list) => list.filter((c) => c.truth === 1).length, align: 'right' },
            { header: 'patients', value: (list) => new Set(list.map((c) => c.patientCode)).size, align: 'right' },
            { header: 'case codes', value: (list) => list.map((c) => c.caseCode).join(' ') },
          ],
        ),
      );
    },
  },
  {
    name: 'study fold-model',
    summary: "Set the model trained without a fold's patients; it is evaluated only on that fold",
    usage: 'walkscope study fold-model <study> <fold> <model-id>',
    async run(context, positionals) {
      const id = studyId(positionals[0]);
      const fold = Number(positionals[1]);
      const modelId = positionals[2];
      if (!Number.isInteger(fold) || !modelId) throw new UsageError('give the fold number and the installed model id');
      const models = await context.call('studies.setFoldModel', { id, fold, modelId });
      context.print(models, () => models.map((m) => `fold ${m.fold}: ${m.modelId}`).join('\n'));
    },
  },
  {
    name: 'study results',
    summary: "Every metric and comparison of a study's readers and model, and the per-fold table",
    usage: 'walkscope study results <study> [--json]',
    async run(context, positionals) {
      const results = await context.call('studies.results', { id: studyId(positionals[0]) });
      context.print(results, () =>
        [
          formatStudyResults(results),
          ...(results.folds.length > 0
            ? [
                '',
                formatTable(results.folds, [
                  { header: 'fold', value: (f) => f.fold },
                  { header: 'cases', value: (f) => f.cases, align: 'right' },
                  { header: 'accuracy', value: (f) => f.accuracy?.toFixed(4) ?? '—', align: 'right' },
                  { header: 'precision', value: (f) => f.precision?.toFixed(4) ?? '—', align: 'right' },
                  { header: 'recall', value: (f) => f.recall?.toFixed(4) ?? '—', align: 'right' },
                  { header: 'F1', value: (f) => f.f1?.toFixed(4) ?? '—', align: 'right' },
                  { header: 'AUROC', value: (f) => f.auroc?.toFixed(4) ?? '—', align: 'right' },
                  { header: 'note', value: (f) => f.note ?? '' },
                ]),
              ]
            : []),
        ].join('\n'),
      );
    },
  },
  {
    name: 'study report',
    summary: 'Export the study report: pdf, html, csv (long format per case), json, or imrmc (iMRMC input per patient); prints the primary endpoint',
    usage: 'walkscope study report <study> [--format pdf|html|csv|json|imrmc] [--out FILE]',
    options: { format: { type: 'string' }, out: { type: 'string' } },
    async run(context, positionals, values) {
      const id = studyId(positionals[0]);
      const format = (values.format ?? 'pdf') as StudyReportFormat;
      if (!studyReportFormats.includes(format)) throw new UsageError(`--format is one of ${studyReportFormats.join(', ')}`);
      const results = await context.call('studies.results', { id });
      const report = await context.call('studies.report', { id, format });
      // the report is written in the report language (the setting, as in the app); its primary endpoint is printed in it too
      const language = reportLanguage(await context.call('settings.get', {}));
      const out = resolve(typeof values.out === 'string' ? values.out : report.fileName);
      await writeFile(out, Buffer.from(report.contentBase64, 'base64'));
      context.print({ file: out, mimeType: report.mimeType }, () => `${primaryEndpointText(results, language)}\n\nWrote ${out}`);
    },
  },
  {
    name: 'readers create',
    summary: 'Create a reader (a doctor who assesses videos or reads in studies)',
    usage: 'walkscope readers create <code> --name "Dr Name" [--role ROLE]',
    options: { name: { type: 'string' }, role: { type: 'string' } },
    async run(context, positionals, values) {
      const code = positionals[0];
      if (!code || typeof values.name !== 'string') throw new UsageError('give the reader code and --name');
      const reader = await context.call('readers.create', { code, displayName: values.name, ...(typeof values.role === 'string' ? { role: values.role } : {}) });
      context.print(reader, () => `Created reader ${reader.code} (${reader.displayName}).`);
    },
  },
  {
    name: 'readers list',
    summary: 'List readers',
    usage: 'walkscope readers list [--json]',
    async run(context) {
      const readers = await context.call('readers.list', {});
      context.print(readers, () => (readers.length === 0 ? 'No readers yet.' : formatTable(readers, [{ header: 'code', value: (r) => r.code }, { header: 'name', value: (r) => r.displayName }, { header: 'role', value: (r) => r.role }])));
    },
  },
];
