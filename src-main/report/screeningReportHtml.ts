import { calibrationSvg } from './calibrationSvg.js';
import { esc } from './html.js';
import { fmt } from './reportText.js';
import { rocSvg } from './rocSvg.js';
import {
  cohortHeaders,
  cohortRows,
  confusionHeaders,
  confusionRows,
  finalModelHeaders,
  finalModelRows,
  fmtC,
  foldHeaders,
  foldRows,
  footerText,
  fusionComparisonHeaders,
  fusionComparisonRows,
  fusionFoldHeaders,
  fusionFoldRows,
  fusionIntroText,
  fusionMethodHeaders,
  fusionMethodRows,
  fusionWithoutCnnText,
  glanceText,
  leakageLine,
  levelHeaders,
  levelRows,
  measureHeaders,
  measureRows,
  metaText,
  notShownToBeatChanceBanner,
  patientRocCurves,
  repeatHeaders,
  repeatRows,
  reportTranslator,
  researchOnlyBanner,
  screeningMethodsParagraph,
  segmentWarning,
  sentenceGap,
  summaryRows,
  ciText,
  type ScreeningReportContext,
} from './screeningReportText.js';

/**
 * A table. `align` has one letter per column, l (text) or r (numbers, right-aligned); by default
 * the first `textColumns` columns (1) are text and the others numbers.
 */
function table(headers: readonly string[], rows: readonly string[][], options: { summaryRows?: number; textColumns?: number; align?: string } = {}): string {
  const align = options.align ?? headers.map((_, k) => (k < (options.textColumns ?? 1) ? 'l' : 'r')).join('');
  const firstSummary = rows.length - (options.summaryRows ?? 0);
  const head = `<tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r, i) => `<tr${i >= firstSummary ? ' class="sum"' : ''}>${r.map((c, k) => `<td${align[k] === 'r' ? ' class="n"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<table>${head}${body}</table>`;
}

/** Escapes a sentence whose placeholders hold markup: `marked` gives each placeholder's HTML, put in after escaping the rest. */
function escWith(sentence: (vars: Record<string, string>) => string, marked: Record<string, string>): string {
  const tokens = Object.fromEntries(Object.keys(marked).map((k, i) => [k, `\u0000${i}\u0000`]));
  let out = esc(sentence(tokens));
  Object.values(marked).forEach((html, i) => (out = out.replace(`\u0000${i}\u0000`, html)));
  return out;
}

/**
 * The screening model report (a model card) as one self-contained HTML file: inline CSS and
 * SVG, no scripts, no remote resources, in the report's language (`lang` says which). Patient
 * level first everywhere; pseudonymous patient codes only (the per-patient table is in the CSV,
 * not here).
 */
export function screeningReportHtml(context: ScreeningReportContext): string {
  const tr = reportTranslator(context);
  const t = tr.t;
  const m = context.model;
  const ev = m.evaluation;
  const p = ev.patient;
  const ci = (i: Parameters<typeof ciText>[0]) => ciText(i, tr);
  const chance = notShownToBeatChanceBanner(m, tr);
  const repeatTable = table(repeatHeaders(tr), [...repeatRows(m), ...summaryRows(ev.repeatSummary, ev.repeats.length, 1, tr)], { summaryRows: 2 });
  const foldTable = table(foldHeaders(tr), [...foldRows(m, tr), ...summaryRows(ev.foldSummary, ev.folds.length, 4, tr)], { summaryRows: 2 });
  const features = table(measureHeaders(tr), measureRows(m, tr), { textColumns: 3 });
  const fusion = m.fusion;
  const fusionHtml = fusion
    ? `<h2>${esc(t('screeningReport.doc.headings.fusion'))}</h2>
<p>${escWith((v) => fusionIntroText(fusion, tr, v.patients), { patients: `<b>${fusion.patients}</b>` })}${sentenceGap(tr)}${esc(fusionWithoutCnnText(fusion, tr))}</p>
${table(fusionMethodHeaders(tr), fusionMethodRows(fusion, ci, tr))}
<h3>${esc(t('screeningReport.doc.fusion.pairwise'))}</h3>
${table(fusionComparisonHeaders(tr), fusionComparisonRows(fusion, tr))}
<h3>${esc(t('screeningReport.doc.fusion.gateHeading'))}</h3>
<p class="note">${esc(t('screeningReport.doc.fusion.gateNoteHtml'))}</p>
${table(fusionFoldHeaders(tr), fusionFoldRows(fusion, tr), { summaryRows: 1 })}
${fusion.notes.length > 0 ? `<ul class="notes">${fusion.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}`
    : '';
  const fontFamily = tr.language === 'ja' ? '"Hiragino Sans","Yu Gothic","Meiryo","Noto Sans CJK JP",Helvetica,Arial,sans-serif' : 'Helvetica,Arial,sans-serif';
  return `<!doctype html>
<html lang="${tr.language}"><head><meta charset="utf-8"><title>${esc(t('screeningReport.doc.title', { name: m.name }))}</title>
<style>
body{font-family:${fontFamily};font-size:13px;color:#1d232b;margin:32px auto;max-width:1050px;line-height:1.45}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:24px 0 8px;border-bottom:1px solid #ccd;padding-bottom:3px}h3{font-size:13px;margin:16px 0 6px}
.meta{color:#555}.banner{background:#a4262c;color:#fff;font-weight:bold;padding:10px 14px;margin:12px 0;font-size:14px}
.banner.chance{background:#8a5a00}.glance{background:#f3f6fa;border-left:4px solid #1f5fa8;padding:8px 12px;margin:12px 0}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border-bottom:1px solid #dde;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f4f6;font-size:11px;text-transform:uppercase;color:#444}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.sum td{font-weight:bold;background:#fafafa}.notes li,.note{color:#555}.warn{background:#fff6e0;border-left:4px solid #8a5a00;padding:6px 10px}
.charts{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.charts figure{margin:0}.charts figcaption{font-size:12px;color:#444;max-width:360px}
.mono{font-family:Menlo,Consolas,monospace;font-size:12px;word-break:break-all}footer{margin-top:32px;border-top:1px solid #ccd;padding-top:6px;color:#666;font-size:11px}
</style></head><body>
<div class="banner">${esc(researchOnlyBanner(tr))}</div>
${chance ? `<div class="banner chance">${esc(chance)}</div>` : ''}
<h1>${esc(t('screeningReport.doc.heading', { name: m.name }))}</h1>
<div class="meta">${esc(metaText(context, tr))}</div>
<div class="glance">${esc(glanceText(m, tr))}</div>

<h2>${esc(t('screeningReport.doc.headings.trainedOn'))}</h2>
${table(cohortHeaders(tr), cohortRows(m, tr), { summaryRows: 1, textColumns: 2 })}
<p>${esc(t(m.videoFeatures ? 'screeningReport.doc.head.clipsLine' : 'screeningReport.doc.segmentsLine', { segments: m.cohort.segments, excluded: m.cohort.excluded }))}${sentenceGap(tr)}${escWith((v) => t('screeningReport.doc.patientsHashHtml', v), { sha: `<span class="mono">${esc(m.cohort.patientsSha256)}</span>` })}</p>
${features}

<h2>${esc(t('screeningReport.doc.headings.methods'))}</h2>
<p>${esc(screeningMethodsParagraph(context, tr))}</p>

<h2>${esc(t('screeningReport.doc.headings.patientLevel'))}</h2>
<p>${esc(t('screeningReport.doc.patientIntro', { n: p.n, positives: p.positives, threshold: fmt(p.threshold, 2) }))}</p>
${table(levelHeaders(tr), levelRows(p, m.protocol.bootstrapReplicates, tr), { align: 'lrl' })}
<h3>${esc(t('screeningReport.doc.headings.confusionPatientsHtml'))}</h3>
${table(confusionHeaders(p.threshold, 'patients', tr), confusionRows(p, tr))}
<div class="charts">
<figure>${rocSvg(patientRocCurves(m, tr), { size: 360, emptyText: t('screeningReport.doc.rocEmpty'), ariaLabel: t('screeningReport.doc.rocAria'), xLabel: t('screeningReport.doc.chart.rocX'), yLabel: t('screeningReport.doc.chart.rocY') })}<figcaption>${esc(t('screeningReport.doc.rocCaption', { threshold: fmt(p.threshold, 2) }))}</figcaption></figure>
<figure>${calibrationSvg(p.calibration, {
    size: 360,
    label: t('screeningReport.doc.calibrationAria'),
    xLabel: t('screeningReport.doc.chart.calibrationX'),
    yLabel: t('screeningReport.doc.chart.calibrationY'),
    diagonalText: t('screeningReport.doc.chart.calibrationDiagonal'),
    emptyText: t('screeningReport.doc.calibrationEmpty'),
    pointText: (b) => t('screeningReport.doc.chart.calibrationPoint', { lower: b.lower.toFixed(1), upper: b.upper.toFixed(1), n: b.n, mean: b.meanPredicted.toFixed(3), observed: b.observedRate.toFixed(3) }),
  })}<figcaption>${esc(t('screeningReport.doc.calibrationCaption'))}</figcaption></figure>
</div>

<h2>${esc(t('screeningReport.doc.headings.byRepeat'))}</h2>
<p class="note">${esc(t('screeningReport.doc.repeatNoteHtml', { patients: m.cohort.patients }))}</p>
${repeatTable}
<h2>${esc(t('screeningReport.doc.headings.byFold'))}</h2>
<p class="note">${esc(t('screeningReport.doc.foldNoteHtml'))}</p>
${foldTable}

<h2>${esc(t('screeningReport.doc.headings.segmentLevel'))}</h2>
<p class="warn">${esc(segmentWarning(tr))}</p>
<p>${esc(t('screeningReport.doc.segmentIntro', { n: ev.segment.n, positives: ev.segment.positives }))}</p>
${table(levelHeaders(tr), levelRows(ev.segment, m.protocol.bootstrapReplicates, tr), { align: 'lrl' })}
${table(confusionHeaders(ev.segment.threshold, 'segments', tr), confusionRows(ev.segment, tr))}
${fusionHtml}

<h2>${esc(t('screeningReport.doc.headings.finalModel'))}</h2>
<p>${esc(t('screeningReport.doc.finalModelHtml', { patients: m.cohort.patients, threshold: fmt(m.threshold, 2), intercept: fmt(m.intercept), c: fmtC(m.c) }))}</p>
${table(finalModelHeaders(tr), finalModelRows(m, tr), { textColumns: 2 })}
<p class="note">${esc(t('screeningReport.doc.normsNote'))}</p>

<h2>${esc(t('screeningReport.doc.headings.leakage'))}</h2>
<p>${esc(leakageLine(m, tr))}</p>

<footer>${footerText(context, tr).map(esc).join('<br>')}</footer>
</body></html>
`;
}
