import type { MrmcResult } from '../contract/mrmc.js';
import { esc } from './html.js';
import { dash, fmt, researchOnly } from './reportText.js';
import { rocSvg } from './rocSvg.js';
import { analysisRows, differenceCells, differenceHeaders, intervalBeyondRange, modalityHeaders, modalityRows, perReaderRows, primaryEndpoint } from './studyEndpoint.js';
import { imrmcFileName } from './studyImrmc.js';
import {
  designRows,
  mainPairs,
  methodsParagraph,
  otherMeasureHeaders,
  otherMeasureRows,
  pairHeaders,
  pairRows,
  raterHeaders,
  raterRows,
  seedRows,
  studyRocCharts,
  studyWords,
  type StudyReportContext,
  type StudyWords,
} from './studyReportText.js';

/** A table: the first `textColumns` columns hold text, the others numbers (right-aligned, never wrapped: an estimate stays with its interval). */
function table(headers: readonly string[], rows: readonly string[][], textColumns = 1): string {
  if (rows.length === 0) return '';
  const head = `<tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((cells) => `<tr>${cells.map((c, i) => (i < textColumns ? `<td>${esc(c)}</td>` : `<td class="n">${esc(c)}</td>`)).join('')}</tr>`).join('');
  return `<div class="wide"><table>${head}${body}</table></div>`;
}

/** An MRMC analysis: each modality's reader-averaged AUROC, the differences (primary and sensitivity analyses) and each reader's own. */
function mrmcSection(w: StudyWords, mrmc: MrmcResult, primary: boolean): string {
  const { t } = w;
  const beyond = intervalBeyondRange(mrmc, w);
  return `${table(modalityHeaders(w), modalityRows(mrmc, w))}${beyond ? `<p class="meta">${esc(beyond)}</p>` : ''}
<h3>${esc(primary ? t('studyReport.mrmc.primaryAnalyses') : t('studyReport.mrmc.otherAnalyses'))}</h3>${table(differenceHeaders(w), analysisRows(mrmc, primary, w).map(differenceCells), 2)}
<h3>${esc(t('studyReport.mrmc.perReader'))}</h3>${table([t('studyReport.mrmc.colReader'), ...differenceHeaders(w).slice(1)], perReaderRows(mrmc, w).map(differenceCells), 2)}
<p class="meta">${esc(t('studyReport.mrmc.summary', { covariance: mrmc.covariance, readers: mrmc.readers.length, cases: mrmc.cases, positives: mrmc.positives, negatives: mrmc.negatives }))}</p>`;
}

/**
 * The study report as one self-contained HTML file: inline CSS and SVG, no scripts, no
 * remote resources. Pseudonymous codes only: case codes, reader codes, model ids.
 */
export function studyReportHtml(context: StudyReportContext): string {
  const language = context.language ?? 'en';
  const w = studyWords(language);
  const { t } = w;
  const results = context.results;
  const { study, comparison, caseLevel, folds, foldSummary, notes, mrmc } = results;
  const noun = w.noun(results);
  const primary = primaryEndpoint(results, language);
  const banner = researchOnly(context) ? `<div class="banner">${esc(t('studyReport.bannerHtml'))}</div>` : '';
  const seeds = seedRows(w, results);
  const pairs = mainPairs(results, comparison?.pairs ?? []);
  const h = (key: string, vars?: Record<string, string | number>) => esc(t(key, vars));
  const confusion = (comparison?.raters ?? [])
    .map(
      (r) => `<table class="cm"><caption>${esc(w.rater(r.rater))}</caption><tr><th></th><th>${h('studyReport.secondary.callAsd')}</th><th>${h('studyReport.secondary.callNonAsd')}</th></tr><tr><th>${h('studyReport.secondary.asd')}</th><td>${r.confusion.tp}</td><td>${r.confusion.fn}</td></tr><tr><th>${h('studyReport.secondary.nonAsd')}</th><td>${r.confusion.fp}</td><td>${r.confusion.tn}</td></tr></table>`,
    )
    .join('');
  const charts = studyRocCharts(w, results)
    .map(
      (c) =>
        `<figure>${axesIn(w, rocSvg(c.curves, { size: 340, emptyText: t('studyReport.roc.empty'), ariaLabel: t('studyReport.roc.ariaLabel', { modality: language === 'en' ? c.modality : w.modality(c.modality) }) }))}<figcaption>${h('studyReport.roc.caption', { title: c.title })}</figcaption></figure>`,
    )
    .join('');
  const supplementary = primary.kind === 'aided-vs-unaided' && mrmc.versusModel ? `<h3>${h('studyReport.mrmc.supplementary')}</h3>${mrmcSection(w, mrmc.versusModel, false)}` : '';
  const foldRowsHtml = folds
    .map(
      (f) => `<tr><td>${f.fold}</td><td class="n">${f.cases}</td><td class="n">${f.patients}</td><td class="n">${fmt(f.accuracy, 4)}</td><td class="n">${fmt(f.precision, 4)}</td><td class="n">${fmt(f.recall, 4)}</td><td class="n">${fmt(f.f1, 4)}</td><td class="n">${fmt(f.auroc, 4)}</td><td class="codes">${esc(f.caseCodes.join(', '))}${f.note ? `<br><em>${esc(f.note)}</em>` : ''}</td></tr>`,
    )
    .join('');
  const foldSummaryRows = foldSummary
    ? `<tr class="sum"><td>${h('studyReport.folds.mean')}</td><td></td><td></td>${['accuracy', 'precision', 'recall', 'f1', 'auroc'].map((k) => `<td class="n">${fmt(foldSummary.mean[k], 4)}</td>`).join('')}<td></td></tr><tr class="sum"><td>${h('studyReport.folds.sd')}</td><td></td><td></td>${['accuracy', 'precision', 'recall', 'f1', 'auroc'].map((k) => `<td class="n">${fmt(foldSummary.sd[k], 4)}</td>`).join('')}<td></td></tr>`
    : '';
  const allNotes = [
    ...notes,
    ...mrmc.notes.map((n) => t('studyReport.notes.mrmc', { note: n })),
    ...(comparison?.notes ?? []),
    ...(comparison?.raters.flatMap((r) => r.notes.map((n) => t('studyReport.notes.rater', { rater: w.rater(r.rater), note: n }))) ?? []),
    ...(comparison?.pairs.flatMap((p) => p.notes.map((n) => t('studyReport.notes.pair', { a: w.rater(p.a), b: w.rater(p.b), note: n }))) ?? []),
  ];
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><title>${h('studyReport.documentTitle', { name: study.name })}</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#1d232b;margin:32px auto;max-width:1050px;padding:0 16px;line-height:1.45}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:24px 0 8px;border-bottom:1px solid #ccd;padding-bottom:3px}h3{font-size:13px;margin:14px 0 4px}
.meta{color:#555}.banner{background:#a4262c;color:#fff;font-weight:bold;padding:10px 14px;margin:12px 0;font-size:14px}
.primary{border:2px solid #1f5fa8;background:#f4f8fd;padding:10px 14px;margin:14px 0}.primary p{margin:4px 0}.primary .headline{font-size:15px;font-weight:bold}
.wide{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;margin:6px 0;font-size:12px}th,td{border-bottom:1px solid #dde;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f4f6;font-size:10.5px;text-transform:uppercase;color:#444;white-space:normal}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.design td:first-child{width:180px;font-weight:bold}
.cm{width:auto;display:inline-table;margin-right:18px}.cm td{text-align:right;min-width:60px}.cm caption{text-align:left;font-weight:bold}
.codes{font-size:11px;color:#444}figure{margin:8px 0;display:inline-block;vertical-align:top}figcaption{font-size:11px;color:#555;max-width:540px}
tr.sum td{font-weight:bold;background:#fafafa}.notes li{color:#555}
@page{size:A4;margin:12mm}
@media print{body{margin:0;max-width:none;padding:0;font-size:10px}table{font-size:8.5px}th{font-size:7.5px}td,th{padding:2px 4px}.wide{overflow:visible}h2,h3{break-after:avoid}tr,figure,.primary{break-inside:avoid}svg{max-width:100%;height:auto}}
</style></head><body>
${banner}
<h1>${h('studyReport.title', { name: study.name })}</h1>
<div class="meta">${h('studyReport.meta', { id: study.id, kind: study.kind === 'cross-validation' ? t('studyReport.kind.crossValidation') : t('studyReport.kind.reader'), patients: study.patientCount, asd: study.positivePatientCount, cases: study.caseCount, nouns: noun.other, readers: study.readerCount, time: w.time(context.generatedAt), version: context.appVersion })}</div>
<div class="primary"><p class="headline">${esc(primary.statement)}</p>${primary.modalities ? `<p>${esc(w.sentence(primary.modalities))}</p>` : ''}<p class="meta">${h('studyReport.unitOfAnalysisHtml', { unit: primary.unit })}</p></div>
<h2>${h('studyReport.design.heading')}</h2>
<table class="design">${designRows(w, results).map(([k, v]) => `<tr><td>${esc(k!)}</td><td>${esc(v!)}</td></tr>`).join('')}</table>
<h3>${h('studyReport.design.seedsHeading')}</h3>${table(seeds.headers, seeds.rows)}
<h2>${h('studyReport.primary.heading')}</h2>
${primary.mrmc ? mrmcSection(w, primary.mrmc, true) : `<p>${esc(primary.statement)}</p>`}
${supplementary}
${charts ? `<h2>${h('studyReport.roc.heading')}</h2>${charts}` : ''}
<h2>${h('studyReport.secondary.heading')}</h2>
${comparison ? `<h3>${h('studyReport.secondary.raters', { n: comparison.cases })}</h3>${table(raterHeaders(w), raterRows(w, results, comparison), 2)}<h3>${h('studyReport.secondary.otherMeasures')}</h3>${table(otherMeasureHeaders(w), otherMeasureRows(w, results, comparison), 2)}<h3>${h('studyReport.secondary.confusion')}</h3>${confusion}` : `<p>${h('studyReport.secondary.noReadings')}</p>`}
${pairs.length > 0 ? `<h3>${h('studyReport.secondary.pairs')}</h3>${table(pairHeaders(w), pairRows(w, pairs))}<p class="meta">${h('studyReport.secondary.pairsExplainedHtml')}</p>` : ''}
${comparison?.fleiss ? `<p>${h('studyReport.secondary.fleissHtml', { raters: comparison.fleiss.raters, items: comparison.fleiss.items, kappa: '\u0000' }).replace('\u0000', `<b>${fmt(comparison.fleiss.kappa)}</b>`)}</p>` : comparison?.fleissUnavailable ? `<p>${h('studyReport.secondary.fleissUnavailableHtml', { reason: comparison.fleissUnavailable })}</p>` : ''}
${caseLevel ? `<h3>${h('studyReport.secondary.perCase', { noun: noun.one, cases: caseLevel.cases, nouns: noun.other, patients: results.design.patients })}</h3><p class="meta">${h('studyReport.secondary.perCaseHintHtml', { capitalNouns: noun.capitalOther })}</p>${table(raterHeaders(w), raterRows(w, results, caseLevel), 2)}` : ''}
${folds.length > 0 ? `<h2>${h('studyReport.folds.heading')}</h2><div class="wide"><table><tr>${(['colFold', 'colCases', 'colPatients', 'colAccuracy', 'colPrecision', 'colRecall', 'colF1', 'colAuroc', 'colHeldOut'] as const).map((k) => `<th>${foldHeader(w, k)}</th>`).join('')}</tr>${foldRowsHtml}${foldSummaryRows}</table></div>` : ''}
<h2>${h('studyReport.methods.heading')}</h2><p>${esc(methodsParagraph(w, context))}</p>
<h2>${h('studyReport.data.heading')}</h2><p>${dataParagraph(w, context)}</p>
${allNotes.length > 0 ? `<h2>${h('studyReport.notes.heading')}</h2><ul class="notes">${allNotes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
<p class="meta">${h('studyReport.notes.dash', { dash })}</p>
</body></html>
`;
}

/** The ROC chart's axis titles (rocSvg writes them in English) in the report language. */
function axesIn(w: StudyWords, svg: string): string {
  return svg
    .replace('>1 − specificity (false positive rate)</text>', `>${esc(w.t('studyReport.roc.xAxisSvg'))}</text>`)
    .replace('>Sensitivity (true positive rate)</text>', `>${esc(w.t('studyReport.roc.yAxisSvg'))}</text>`);
}

/** A header of the fold table. */
function foldHeader(w: StudyWords, key: 'colFold' | 'colCases' | 'colPatients' | 'colAccuracy' | 'colPrecision' | 'colRecall' | 'colF1' | 'colAuroc' | 'colHeldOut'): string {
  const { t } = w;
  const headers = {
    colFold: t('studyReport.folds.colFold'),
    colCases: t('studyReport.folds.colCases'),
    colPatients: t('studyReport.folds.colPatients'),
    colAccuracy: t('studyReport.folds.colAccuracy'),
    colPrecision: t('studyReport.folds.colPrecision'),
    colRecall: t('studyReport.folds.colRecall'),
    colF1: t('studyReport.folds.colF1'),
    colAuroc: t('studyReport.folds.colAuroc'),
    colHeldOut: t('studyReport.folds.colHeldOut'),
  };
  return esc(headers[key]);
}

/** What the iMRMC and CSV exports hold, as HTML (the file name and format as code). */
function dataParagraph(w: StudyWords, context: StudyReportContext): string {
  const { t } = w;
  const { results } = context;
  const noun = w.noun(results);
  const mark = (s: string) => `\u0000${s}\u0001`;
  const text =
    t('studyReport.data.imrmcHtml', { file: mark(imrmcFileName(results, `walkscope-study-${results.study.id}-…`)), format: mark('imrmc'), nouns: noun.other }) +
    (results.mrmc.versusModel ? t('studyReport.data.versusModelHtml') : '') +
    t('studyReport.data.csv', { noun: noun.one });
  return esc(text).replace(/\u0000/g, '<code>').replace(/\u0001/g, '</code>');
}
