import type { ReportContext } from './reportText.js';
import { esc } from './html.js';
import { dash, fmt, fmtAgreement, fmtCi, fmtP, methodsParagraph, researchOnly, studyRocCurves, withinClassHeaders, withinClassRows } from './reportText.js';
import { rocSvg } from './rocSvg.js';

/**
 * The study report as one self-contained HTML file: inline CSS and SVG, no scripts, no
 * remote resources. Pseudonymous codes only: case codes, reader codes, model ids.
 */
export function studyReportHtml(context: ReportContext): string {
  const { study, comparison, folds, foldSummary, notes } = context.results;
  const banner = researchOnly(context)
    ? '<div class="banner">RESEARCH ONLY — NOT VALIDATED. A model in this report has no clinical validation; its output must not be used for patient care.</div>'
    : '';
  const raterRows = (comparison?.raters ?? [])
    .map(
      (r) => `<tr><td>${esc(r.rater)}${r.isModel ? ' <span class="tag">model</span>' : ''}</td><td class="n">${r.cases}</td><td class="n">${fmtCi(r.accuracy)}</td><td class="n">${fmtCi(r.sensitivity)}</td><td class="n">${fmtCi(r.specificity)}</td><td class="n">${fmtCi(r.precision)}</td><td class="n">${fmtCi(r.f1)}</td><td class="n">${fmtCi(r.balancedAccuracy)}</td><td class="n">${fmtCi(r.auroc)}</td></tr>`,
    )
    .join('');
  const confusion = (comparison?.raters ?? [])
    .map(
      (r) => `<table class="cm"><caption>${esc(r.rater)}</caption><tr><th></th><th>call ASD</th><th>call non-ASD</th></tr><tr><th>ASD</th><td>${r.confusion.tp}</td><td>${r.confusion.fn}</td></tr><tr><th>non-ASD</th><td>${r.confusion.fp}</td><td>${r.confusion.tn}</td></tr></table>`,
    )
    .join('');
  const pairRows = (comparison?.pairs ?? [])
    .map(
      (p) => `<tr><td>${esc(p.a)} vs ${esc(p.b)}</td><td class="n">${p.commonCases}</td><td class="n">${p.deLong ? fmt(p.deLong.difference) : dash}</td><td class="n">${p.deLong ? fmt(p.deLong.z, 2) : dash}</td><td class="n">${p.deLong ? fmtP(p.deLong.p) : dash}</td><td class="n">${p.correctness.aRightBWrong} vs ${p.correctness.aWrongBRight}</td><td class="n">${fmtP(p.correctness.pExact)}</td><td class="n">${fmtP(p.correctness.pCorrected)}</td><td class="n">${fmtAgreement(p)}</td></tr>`,
    )
    .join('');
  const withinRows = withinClassRows(comparison?.pairs ?? [])
    .map((cells) => `<tr>${cells.map((c, i) => (i === 0 ? `<td>${esc(c)}</td>` : `<td class="n">${esc(c)}</td>`)).join('')}</tr>`)
    .join('');
  const foldRowsHtml = folds
    .map(
      (f) => `<tr><td>${f.fold}</td><td class="n">${f.cases}</td><td class="n">${f.patients}</td><td class="n">${fmt(f.accuracy, 4)}</td><td class="n">${fmt(f.precision, 4)}</td><td class="n">${fmt(f.recall, 4)}</td><td class="n">${fmt(f.f1, 4)}</td><td class="n">${fmt(f.auroc, 4)}</td><td class="codes">${esc(f.caseCodes.join(', '))}${f.note ? `<br><em>${esc(f.note)}</em>` : ''}</td></tr>`,
    )
    .join('');
  const foldSummaryRows = foldSummary
    ? `<tr class="sum"><td>mean</td><td></td><td></td>${['accuracy', 'precision', 'recall', 'f1', 'auroc'].map((k) => `<td class="n">${fmt(foldSummary.mean[k], 4)}</td>`).join('')}<td></td></tr><tr class="sum"><td>SD</td><td></td><td></td>${['accuracy', 'precision', 'recall', 'f1', 'auroc'].map((k) => `<td class="n">${fmt(foldSummary.sd[k], 4)}</td>`).join('')}<td></td></tr>`
    : '';
  const allNotes = [...notes, ...(comparison?.notes ?? []), ...(comparison?.raters.flatMap((r) => r.notes.map((n) => `${r.rater}: ${n}`)) ?? []), ...(comparison?.pairs.flatMap((p) => p.notes.map((n) => `${p.a} vs ${p.b}: ${n}`)) ?? [])];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WalkScope study report: ${esc(study.name)}</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#1d232b;margin:32px auto;max-width:1050px;line-height:1.45}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:24px 0 8px;border-bottom:1px solid #ccd;padding-bottom:3px}
.meta{color:#555}.banner{background:#a4262c;color:#fff;font-weight:bold;padding:10px 14px;margin:12px 0;font-size:14px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border-bottom:1px solid #dde;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f4f6;font-size:11px;text-transform:uppercase;color:#444}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.cm{width:auto;display:inline-table;margin-right:18px}.cm td{text-align:right;min-width:60px}.cm caption{text-align:left;font-weight:bold}
.tag{background:#e6eef8;color:#1f5fa8;font-size:10px;padding:0 4px;border-radius:3px}.codes{font-size:11px;color:#444}
tr.sum td{font-weight:bold;background:#fafafa}.notes li{color:#555}
</style></head><body>
${banner}
<h1>Study report: ${esc(study.name)}</h1>
<div class="meta">Study ${study.id} · ${study.kind} · ${study.caseCount} cases (${study.positiveCount} ASD) · ${study.readerCount} readers · generated ${esc(context.generatedAt)} by WalkScope ${esc(context.appVersion)}</div>
<h2>Methods</h2><p>${esc(methodsParagraph(context))}</p>
<h2>Readers and model</h2>
${comparison ? `<table><tr><th>Rater</th><th>n</th><th>Accuracy (95% CI)</th><th>Sensitivity</th><th>Specificity</th><th>Precision</th><th>F1</th><th>Balanced acc.</th><th>AUROC (DeLong)</th></tr>${raterRows}</table>` : '<p>No readings or model results yet.</p>'}
${comparison ? `<h2>ROC curves</h2>${rocSvg(studyRocCurves(context.results), { emptyText: 'No ROC curve: no rater has rated both classes yet.' })}` : ''}
${comparison ? `<h2>Confusion matrices</h2>${confusion}` : ''}
${pairRows ? `<h2>Paired comparisons (same cases)</h2><table><tr><th>Comparison</th><th>Cases</th><th>ΔAUROC</th><th>DeLong z</th><th>DeLong p</th><th>Right only (A vs B)</th><th>McNemar on correctness p (exact)</th><th>p (corr.)</th><th>Agreement (Cohen’s kappa, 95% CI)</th></tr>${pairRows}</table><p class="meta">McNemar on correctness counts the cases where one rater is right and the other wrong; agreement (Cohen’s kappa) compares the calls, right or wrong.</p><h3>McNemar on correctness within each class</h3><table><tr>${withinClassHeaders.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${withinRows}</table>` : ''}
${comparison?.fleiss ? `<p>Fleiss’ kappa across ${comparison.fleiss.raters} readers on ${comparison.fleiss.items} cases: <b>${fmt(comparison.fleiss.kappa)}</b>.</p>` : comparison?.fleissUnavailable ? `<p>Fleiss’ kappa not computed: ${esc(comparison.fleissUnavailable)}.</p>` : ''}
${comparison?.readerAveragedAuroc ? `<p>Reader-averaged AUROC: <b>${fmt(comparison.readerAveragedAuroc.mean)}</b> over ${comparison.readerAveragedAuroc.readers} readers (range ${fmt(comparison.readerAveragedAuroc.min)}–${fmt(comparison.readerAveragedAuroc.max)}).</p>` : ''}
${folds.length > 0 ? `<h2>Cross-validation by fold</h2><table><tr><th>Fold</th><th>Cases</th><th>Patients</th><th>Accuracy</th><th>Precision</th><th>Recall</th><th>F1</th><th>AUROC</th><th>Held-out cases</th></tr>${foldRowsHtml}${foldSummaryRows}</table>` : ''}
${allNotes.length > 0 ? `<h2>Notes</h2><ul class="notes">${allNotes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
