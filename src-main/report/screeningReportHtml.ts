import { measureInfo } from '../contract/measurements.js';
import { calibrationSvg } from './calibrationSvg.js';
import { esc } from './html.js';
import { fmt } from './reportText.js';
import { rocSvg } from './rocSvg.js';
import {
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
  fusionMethodHeaders,
  fusionMethodRows,
  fusionSourceText,
  glanceText,
  leakageLine,
  levelHeaders,
  levelRows,
  measureLabel,
  notShownToBeatChanceBanner,
  patientRocCurves,
  repeatHeaders,
  repeatRows,
  researchOnlyBanner,
  screeningMethodsParagraph,
  segmentWarning,
  statusText,
  summaryRows,
  unitText,
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

/**
 * The screening model report (a model card) as one self-contained HTML file: inline CSS and
 * SVG, no scripts, no remote resources. Patient level first everywhere; pseudonymous patient
 * codes only (the per-patient table is in the CSV, not here).
 */
export function screeningReportHtml(context: ScreeningReportContext): string {
  const m = context.model;
  const ev = m.evaluation;
  const p = ev.patient;
  const chance = notShownToBeatChanceBanner(m);
  const repeatTable = table(repeatHeaders, [...repeatRows(m), ...summaryRows(ev.repeatSummary, ev.repeats.length, 1)], { summaryRows: 2 });
  const foldTable = table(foldHeaders, [...foldRows(m), ...summaryRows(ev.foldSummary, ev.folds.length, 4)], { summaryRows: 2 });
  const features = table(
    ['Measure', 'Unit', 'What it is'],
    m.features.map((f) => [measureLabel(f), unitText(f), measureInfo[f].description]),
    { textColumns: 3 },
  );
  const fusion = m.fusion;
  const fusionHtml = fusion
    ? `<h2>Fusion with a 3D CNN</h2>
<p>Source: ${esc(fusionSourceText(fusion))}. Compared on <b>${fusion.patients}</b> patients with both scores over ${fusion.folds} folds.${
        fusion.withoutCnn.length > 0 ? ` Patients without a CNN score, left out of the comparison (${fusion.withoutCnn.length}): ${esc(fusion.withoutCnn.join(', '))}.` : ' Every patient had a CNN score.'
      }</p>
${table(fusionMethodHeaders, fusionMethodRows(fusion))}
<h3>Pairwise comparisons on the same patients</h3>
${table(fusionComparisonHeaders, fusionComparisonRows(fusion))}
<h3>Weights and gate chosen on each fold's training patients</h3>
<p class="note">The gate: at or above the q-quantile of outlyingness (the threshold) the measurement model weighs the "at or above" weight in the fused probability, below it the "below" weight; the CNN weighs the rest. The final gate, fitted on every patient, is the one fused verdicts with this model use.</p>
${table(fusionFoldHeaders, fusionFoldRows(fusion), { summaryRows: 1 })}
${fusion.notes.length > 0 ? `<ul class="notes">${fusion.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WalkScope screening model report: ${esc(m.name)}</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#1d232b;margin:32px auto;max-width:1050px;line-height:1.45}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:24px 0 8px;border-bottom:1px solid #ccd;padding-bottom:3px}h3{font-size:13px;margin:16px 0 6px}
.meta{color:#555}.banner{background:#a4262c;color:#fff;font-weight:bold;padding:10px 14px;margin:12px 0;font-size:14px}
.banner.chance{background:#8a5a00}.glance{background:#f3f6fa;border-left:4px solid #1f5fa8;padding:8px 12px;margin:12px 0}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border-bottom:1px solid #dde;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f4f6;font-size:11px;text-transform:uppercase;color:#444}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.sum td{font-weight:bold;background:#fafafa}.notes li,.note{color:#555}.warn{background:#fff6e0;border-left:4px solid #8a5a00;padding:6px 10px}
.charts{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.charts figure{margin:0}.charts figcaption{font-size:12px;color:#444;max-width:360px}
.mono{font-family:Menlo,Consolas,monospace;font-size:12px;word-break:break-all}footer{margin-top:32px;border-top:1px solid #ccd;padding-top:6px;color:#666;font-size:11px}
</style></head><body>
<div class="banner">${esc(researchOnlyBanner)}</div>
${chance ? `<div class="banner chance">${esc(chance)}</div>` : ''}
<h1>Screening model report: ${esc(m.name)}</h1>
<div class="meta">Model ${esc(context.id)} · ${esc(statusText[context.status])} · trained ${esc(m.createdAt)} · ${m.cohort.patients} patients · ${m.features.length} measures</div>
<div class="glance">${esc(glanceText(m))}</div>

<h2>Trained on</h2>
${table(['Class', 'Diagnosis', 'Patients'], cohortRows(m), { summaryRows: 1, textColumns: 2 })}
<p>${m.cohort.segments} sagittal 1 s segments. Patients left out: ${m.cohort.excluded}. The patients, without naming them: SHA-256 of the sorted patient codes <span class="mono">${esc(m.cohort.patientsSha256)}</span>.</p>
${features}

<h2>Methods</h2>
<p>${esc(screeningMethodsParagraph(context))}</p>

<h2>Patient level (headline)</h2>
<p>Out-of-fold predictions of ${p.n} patients (${p.positives} ASD), pooled over the repeats, called at ${fmt(p.threshold, 2)}.</p>
${table(levelHeaders, levelRows(p, m.protocol.bootstrapReplicates), { align: 'lrl' })}
<h3>Confusion matrix (patients)</h3>
${table(confusionHeaders(p.threshold, 'Patients'), confusionRows(p))}
<div class="charts">
<figure>${rocSvg(patientRocCurves(m), { size: 360, emptyText: 'No ROC curve: a class has fewer than 2 patients.', ariaLabel: 'ROC curve, patient level' })}<figcaption>ROC curve, patient level. The point is the call at ${fmt(p.threshold, 2)} with the 95% intervals of sensitivity and specificity; the dashed line is chance.</figcaption></figure>
<figure>${calibrationSvg(p.calibration, { size: 360, label: 'Calibration, patient level' })}<figcaption>Calibration (reliability diagram), patient level: per bin of 0.1 of predicted probability, the mean prediction against the share of patients with ASD; the row of numbers above the plot is the number of patients in each bin. Points on the dashed diagonal are perfectly calibrated.</figcaption></figure>
</div>

<h2>Cross-validation by repeat (patient level)</h2>
<p class="note">Each repeat is a new patient split of all ${m.cohort.patients} patients; the metrics are of that repeat's out-of-fold predictions. Mean ± SD over the repeats.</p>
${repeatTable}
<h2>Cross-validation by fold (patient level)</h2>
<p class="note">Metrics of each fold's test patients, from a model trained on the other folds with C chosen by the inner cross-validation. Mean ± SD over the folds; small folds make these numbers noisy.</p>
${foldTable}

<h2>Segment level (secondary)</h2>
<p class="warn">${esc(segmentWarning)}</p>
<p>${ev.segment.n} segments (${ev.segment.positives} from ASD patients), each segment's out-of-fold probability pooled over the repeats.</p>
${table(levelHeaders, levelRows(ev.segment, m.protocol.bootstrapReplicates), { align: 'lrl' })}
${table(confusionHeaders(ev.segment.threshold, 'Segments'), confusionRows(ev.segment))}
${fusionHtml}

<h2>The final model</h2>
<p>Refitted on all ${m.cohort.patients} patients. P(ASD) of a segment = 1 / (1 + exp(-(intercept + Σ coefficient × (value − mean) / SD))); a patient's P(ASD) is the mean over their segments, called ASD at or above ${fmt(m.threshold, 2)}. Intercept ${fmt(m.intercept)}; C = ${esc(fmtC(m.c))} (chosen by cross-validation on all patients).</p>
${table(finalModelHeaders, finalModelRows(m), { textColumns: 2 })}
<p class="note">Norms are over patient means among the not-ASD training patients. A positive coefficient means a larger value of the measure pushes towards ASD.</p>

<h2>Leakage check</h2>
<p>${esc(leakageLine(m))}</p>

<footer>${footerText(context).map(esc).join('<br>')}</footer>
</body></html>
`;
}
