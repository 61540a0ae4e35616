import type { StudyResults } from '../contract/entities.js';
import { formatLongFormatCsv } from '../domain/stats/longFormatCsv.js';
import type { LongFormatRow } from '../domain/stats/longFormatCsv.js';
import { slug, type RenderedReport, type ReportFormat } from './renderedReport.js';
import type { ReportContext } from './reportText.js';
import { studyReportHtml } from './studyReportHtml.js';
import { studyReportPdf } from './studyReportPdf.js';

export type { RenderedReport, ReportFormat } from './renderedReport.js';

/** Renders a study in one of the export formats; CSV is the long format (reader, case, modality, score, truth, call). */
export async function renderStudyReport(context: ReportContext, rows: readonly LongFormatRow[], format: ReportFormat): Promise<RenderedReport> {
  const base = `walkscope-study-${context.results.study.id}-${slug(context.results.study.name, 'study')}`;
  switch (format) {
    case 'html':
      return { fileName: `${base}.html`, mimeType: 'text/html', content: Buffer.from(studyReportHtml(context), 'utf8') };
    case 'pdf':
      return { fileName: `${base}.pdf`, mimeType: 'application/pdf', content: await studyReportPdf(context) };
    case 'csv':
      return { fileName: `${base}.csv`, mimeType: 'text/csv', content: Buffer.from(formatLongFormatCsv(rows), 'utf8') };
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
