import { slug, type RenderedReport, type ReportFormat } from './renderedReport.js';
import { screeningPredictionsCsv } from './screeningReportCsv.js';
import { screeningReportHtml } from './screeningReportHtml.js';
import { screeningReportPdf } from './screeningReportPdf.js';
import type { ScreeningReportContext } from './screeningReportText.js';

export type { ScreeningReportContext } from './screeningReportText.js';

/**
 * The report of a screening model in one of the export formats: HTML and PDF are the model
 * card (training data, methods, patient-level results first, segment level as secondary,
 * fusion, the final model); CSV is one row per patient of the out-of-fold predictions; JSON is
 * the whole model body with its id, SHA-256 and the time of writing. HTML and PDF are written in
 * `context.language` (English when absent); the CSV and JSON are the same in every language.
 */
export async function renderScreeningReport(context: ScreeningReportContext, format: ReportFormat): Promise<RenderedReport> {
  const base = `walkscope-screening-${context.id}-${slug(context.model.name, 'model')}`;
  switch (format) {
    case 'html':
      return { fileName: `${base}.html`, mimeType: 'text/html', content: Buffer.from(screeningReportHtml(context), 'utf8') };
    case 'pdf':
      return { fileName: `${base}.pdf`, mimeType: 'application/pdf', content: await screeningReportPdf(context) };
    case 'csv':
      return { fileName: `${base}-predictions.csv`, mimeType: 'text/csv', content: Buffer.from(screeningPredictionsCsv(context.model), 'utf8') };
    case 'json': {
      const payload = { id: context.id, sha256: context.sha256, status: context.status, generatedAt: context.generatedAt, appVersion: context.appVersion, model: context.model };
      return { fileName: `${base}.json`, mimeType: 'application/json', content: Buffer.from(JSON.stringify(payload, null, 2), 'utf8') };
    }
  }
}
