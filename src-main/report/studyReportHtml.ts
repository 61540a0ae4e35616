import type { MrmcResult } from '../contract/mrmc.js';
import { esc } from './html.js';
import {
  dash,
  designRows,
  fmt,
  mainPairs,
  materialNoun,
  methodsParagraph,
  otherMeasureHeaders,
  otherMeasureRows,
  pairHeaders,
  pairRows,
  raterHeaders,
  raterRows,
  readableTime,
  researchOnly,
  seedRows,
  studyRocCharts,
  type ReportContext,
} from './reportText.js';
import { rocSvg } from './rocSvg.js';
import { analysisRows, differenceCells, differenceHeaders, intervalBeyondRange, modalityHeaders, modalityRows, perReaderRows, primaryEndpoint } from './studyEndpoint.js';
import { imrmcFileName } from './studyImrmc.js';

/** A table: the first `textColumns` columns hold text, the others numbers (right-aligned, never wrapped: an estimate stays with its interval). */
function table(headers: readonly string[], rows: readonly string[][], textColumns = 1): string {
  if (rows.length === 0) return '';
  const head = `<tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((cells) => `<tr>${cells.map((c, i) => (i < textColumns ? `<td>${esc(c)}</td>` : `<td class="n">${esc(c)}</td>`)).join('')}</tr>`).join('');
  return `<div class="wide"><table>${head}${body}</table></div>`;
}

/** An MRMC analysis: each modality's reader-averaged AUROC, the differences (primary and sensitivity analyses) and each reader's own. */
function mrmcSection(mrmc: MrmcResult, primary: boolean): string {
  const beyond = intervalBeyondRange(mrmc);
  return `${table(modalityHeaders, modalityRows(mrmc))}${beyond ? `<p class="meta">${esc(beyond)}</p>` : ''}
<h3>${primary ? 'Primary and sensitivity analyses' : 'Random readers and cases, and sensitivity analyses'}</h3>${table(differenceHeaders, analysisRows(mrmc, primary).map(differenceCells), 2)}
<h3>Per reader (cases random, normal test)</h3>${table(['Reader', ...differenceHeaders.slice(1)], perReaderRows(mrmc).map(differenceCells), 2)}
<p class="meta">Obuchowski-Rockette, ${mrmc.covariance} covariances, ${mrmc.readers.length} readers, ${mrmc.cases} patients (${mrmc.positives} ASD, ${mrmc.negatives} non-ASD).</p>`;
}

/**
 * The study report as one self-contained HTML file: inline CSS and SVG, no scripts, no
 * remote resources. Pseudonymous codes only: case codes, reader codes, model ids.
 */
export function studyReportHtml(context: ReportContext): string {
  const results = context.results;
  const { study, comparison, caseLevel, folds, foldSummary, notes, mrmc } = results;
  const noun = materialNoun(results);
  const primary = primaryEndpoint(results);
  const banner = researchOnly(context)
    ? '<div class="banner">RESEARCH ONLY — NOT VALIDATED. A model in this report has no clinical validation; its output must not be used for patient care.</div>'
    : '';
  const seeds = seedRows(results);
  const pairs = mainPairs(results, comparison?.pairs ?? []);
  const confusion = (comparison?.raters ?? [])
    .map(
      (r) => `<table class="cm"><caption>${esc(r.rater)}</caption><tr><th></th><th>call ASD</th><th>call non-ASD</th></tr><tr><th>ASD</th><td>${r.confusion.tp}</td><td>${r.confusion.fn}</td></tr><tr><th>non-ASD</th><td>${r.confusion.fp}</td><td>${r.confusion.tn}</td></tr></table>`,
    )
    .join('');
  const charts = studyRocCharts(results)
    .map((c) => `<figure>${rocSvg(c.curves, { size: 340, emptyText: 'No ROC curve: no rater has rated both classes yet.', ariaLabel: `ROC curves, ${c.modality}` })}<figcaption>${esc(c.title)}. Points: each rater's calls with the 95% intervals of sensitivity and specificity; the grey dotted diagonal is chance.</figcaption></figure>`)
    .join('');
  const supplementary = primary.kind === 'aided-vs-unaided' && mrmc.versusModel ? `<h3>The model against the readers (supplementary)</h3>${mrmcSection(mrmc.versusModel, false)}` : '';
  const foldRowsHtml = folds
    .map(
      (f) => `<tr><td>${f.fold}</td><td class="n">${f.cases}</td><td class="n">${f.patients}</td><td class="n">${fmt(f.accuracy, 4)}</td><td class="n">${fmt(f.precision, 4)}</td><td class="n">${fmt(f.recall, 4)}</td><td class="n">${fmt(f.f1, 4)}</td><td class="n">${fmt(f.auroc, 4)}</td><td class="codes">${esc(f.caseCodes.join(', '))}${f.note ? `<br><em>${esc(f.note)}</em>` : ''}</td></tr>`,
    )
    .join('');
  const foldSummaryRows = foldSummary
    ? `<tr class="sum"><td>mean</td><td></td><td></td>${['accuracy', 'precision', 'recall', 'f1', 'auroc'].map((k) => `<td class="n">${fmt(foldSummary.mean[k], 4)}</td>`).join('')}<td></td></tr><tr class="sum"><td>SD</td><td></td><td></td>${['accuracy', 'precision', 'recall', 'f1', 'auroc'].map((k) => `<td class="n">${fmt(foldSummary.sd[k], 4)}</td>`).join('')}<td></td></tr>`
    : '';
  const allNotes = [
    ...notes,
    ...mrmc.notes.map((n) => `MRMC: ${n}`),
    ...(comparison?.notes ?? []),
    ...(comparison?.raters.flatMap((r) => r.notes.map((n) => `${r.rater}: ${n}`)) ?? []),
    ...(comparison?.pairs.flatMap((p) => p.notes.map((n) => `${p.a} vs ${p.b}: ${n}`)) ?? []),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WalkScope study report: ${esc(study.name)}</title>
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
<h1>Study report: ${esc(study.name)}</h1>
<div class="meta">Study ${study.id} · ${study.kind} · ${study.patientCount} patients (${study.positivePatientCount} ASD), ${study.caseCount} ${noun}s · ${study.readerCount} readers · generated ${esc(readableTime(context.generatedAt))} by WalkScope ${esc(context.appVersion)}</div>
<div class="primary"><p class="headline">${esc(primary.statement)}</p>${primary.modalities ? `<p>${esc(primary.modalities)}.</p>` : ''}<p class="meta">Unit of analysis: ${esc(primary.unit)}. Sensitivity analyses (fixed readers, fixed cases) and each reader's difference follow below.</p></div>
<h2>Design</h2>
<table class="design">${designRows(results).map(([k, v]) => `<tr><td>${esc(k!)}</td><td>${esc(v!)}</td></tr>`).join('')}</table>
<h3>Randomisation: each reader's seed per session</h3>${table(seeds.headers, seeds.rows)}
<h2>Primary analysis: OR-MRMC on patients</h2>
${primary.mrmc ? mrmcSection(primary.mrmc, true) : `<p>${esc(primary.statement)}</p>`}
${supplementary}
${charts ? `<h2>ROC curves per modality (per patient)</h2>${charts}` : ''}
<h2>Secondary analyses</h2>
${comparison ? `<h3>Sensitivity and specificity per reader and modality (per patient, N = ${comparison.cases})</h3>${table(raterHeaders('N'), raterRows(results, comparison), 2)}<h3>Other measures (per patient)</h3>${table(otherMeasureHeaders, otherMeasureRows(results, comparison), 2)}<h3>Confusion matrices (per patient)</h3>${confusion}` : '<p>No readings or model results yet.</p>'}
${pairs.length > 0 ? `<h3>McNemar on correctness and agreement, main pairs (per patient)</h3>${table(pairHeaders, pairRows(pairs))}<p class="meta">Right only: the patients where A is right and B wrong, against the reverse; McNemar p is exact (binomial), over all patients both rated and within the ASD (sensitivity) and non-ASD (specificity) patients. Agreement (Cohen’s kappa) compares the calls, right or wrong. Pairs of two readers in different modalities are left out.</p>` : ''}
${comparison?.fleiss ? `<p>Fleiss’ kappa across ${comparison.fleiss.raters} readers on ${comparison.fleiss.items} patients: <b>${fmt(comparison.fleiss.kappa)}</b>.</p>` : comparison?.fleissUnavailable ? `<p>Fleiss’ kappa not computed: ${esc(comparison.fleissUnavailable)}.</p>` : ''}
${caseLevel ? `<h3>Per ${noun} (secondary, N = ${caseLevel.cases} ${noun}s of ${results.design.patients} patients)</h3><p class="meta">${noun[0]!.toUpperCase()}${noun.slice(1)}s of one patient are not independent: these intervals are too narrow. The patient-level analysis above is primary.</p>${table(raterHeaders('N'), raterRows(results, caseLevel), 2)}` : ''}
${folds.length > 0 ? `<h2>Cross-validation by fold</h2><div class="wide"><table><tr><th>Fold</th><th>Cases</th><th>Patients</th><th>Accuracy</th><th>Precision</th><th>Recall</th><th>F1</th><th>AUROC</th><th>Held-out cases</th></tr>${foldRowsHtml}${foldSummaryRows}</table></div>` : ''}
<h2>Methods</h2><p>${esc(methodsParagraph(context))}</p>
<h2>Data for re-analysis</h2><p>The iMRMC export (<code>${esc(imrmcFileName(results, `walkscope-study-${study.id}-…`))}</code>, format <code>imrmc</code>) holds iMRMC’s input layout, readerID, caseID, modalityID, score, one row per reader, modality and patient (caseID is the patient’s pseudonymous unit, scores averaged over the patient’s ${noun}s), after one truth row per patient.${mrmc.versusModel ? ' The model’s scores appear under every reader’s id in the modality “model”, as in the analysis of the model against the readers; leave those rows out to reproduce aided against unaided.' : ''} The CSV export is the long format per ${noun} (reader, case, modality, score, truth, call).</p>
${allNotes.length > 0 ? `<h2>Notes</h2><ul class="notes">${allNotes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
<p class="meta">${dash} marks a value that cannot be computed; the notes say why.</p>
</body></html>
`;
}
