import type { StudyResults } from '../contract/entities.js';
import { formatLongFormatCsv } from '../domain/stats/longFormatCsv.js';
import type { LongFormatRow } from '../domain/stats/longFormatCsv.js';
import { slug, type RenderedReport, type ReportFormat } from './renderedReport.js';
import { materialNoun, type ReportContext } from './reportText.js';
import type { StudyReportContext } from './studyReportText.js';
import { imrmcFileName, studyImrmcCsv } from './studyImrmc.js';
import { studyReportHtml } from './studyReportHtml.js';
import { studyReportPdf } from './studyReportPdf.js';

export type { RenderedReport, ReportFormat } from './renderedReport.js';
export type { StudyReportContext } from './studyReportText.js';

/** The study report's formats: the shared ones and iMRMC's input layout. */
export const studyReportFormats = ['html', 'pdf', 'csv', 'json', 'imrmc'] as const;
export type StudyReportFormat = ReportFormat | 'imrmc';

/** The rows behind the statistics: one per reading (case level) and one per rater, modality and patient (the unit). */
export interface StudyReportRows {
  cases: readonly LongFormatRow[];
  patients: readonly LongFormatRow[];
}

/**
 * Renders a study in one of the export formats. CSV is the long format per case (reader, case,
 * modality, score, truth, call), named after what readers saw (clips or videos); imrmc is
 * iMRMC's input per patient, which allows no comment line, so its file name says what it holds.
 * HTML and PDF are written in `context.language` (English unless given); file names and the
 * CSV, iMRMC and JSON contents are the same in every language.
 */
export async function renderStudyReport(context: StudyReportContext, rows: StudyReportRows, format: StudyReportFormat): Promise<RenderedReport> {
  const base = `walkscope-study-${context.results.study.id}-${slug(context.results.study.name, 'study')}`;
  switch (format) {
    case 'html':
      return { fileName: `${base}.html`, mimeType: 'text/html', content: Buffer.from(studyReportHtml(context), 'utf8') };
    case 'pdf':
      return { fileName: `${base}.pdf`, mimeType: 'application/pdf', content: await studyReportPdf(context) };
    case 'csv':
      return { fileName: `${base}-readings-per-${materialNoun(context.results)}.csv`, mimeType: 'text/csv', content: Buffer.from(formatLongFormatCsv(rows.cases), 'utf8') };
    case 'imrmc':
      return { fileName: imrmcFileName(context.results, base), mimeType: 'text/csv', content: Buffer.from(studyImrmcCsv(context.results, rows.patients), 'utf8') };
    case 'json': {
      const payload: { generatedAt: string; appVersion: string; models: ReportContext['models']; results: StudyResults } = {
        generatedAt: context.generatedAt,
        appVersion: context.appVersion,
        models: context.models,
        results: context.results,
      };
      return { fileName: `${base}.json`, mimeType: 'application/json', content: Buffer.from(JSON.stringify(payload, null, 2), 'utf8') };
    }
  }
}
