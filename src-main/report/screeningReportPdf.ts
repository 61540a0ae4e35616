import PDFDocument from 'pdfkit';
import { measureInfo } from '../contract/measurements.js';
import { calibrationChart, rocChart } from './pdfCharts.js';
import { collect, footer, heading, ink, margin, table, type Doc } from './pdfLayout.js';
import { fmt } from './reportText.js';
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
  stackedCi,
  statusText,
  summaryRows,
  unitText,
  type ScreeningReportContext,
} from './screeningReportText.js';


/** A paragraph of body text at the left margin. */
function paragraph(doc: Doc, text: string, options: { size?: number; colour?: string; bold?: boolean } = {}): void {
  doc
    .font(options.bold ? 'Helvetica-Bold' : 'Helvetica')
    .fontSize(options.size ?? 9)
    .fillColor(options.colour ?? ink)
    .text(text, margin, doc.y, { width: doc.page.width - 2 * margin, align: 'left' });
  doc.moveDown(0.3);
}

/**
 * The screening model report as PDF (pdfkit, built-in Helvetica, vector ROC and calibration
 * charts). Every page carries the research-only band, and the not-shown-to-beat-chance band
 * when the model did not; the footer names the model, its SHA-256, the app and the time.
 */
export function screeningReportPdf(context: ScreeningReportContext): Promise<Buffer> {
  const m = context.model;
  const ev = m.evaluation;
  const p = ev.patient;
  const doc = new PDFDocument({ size: 'A4', margin, bufferPages: true, info: { Title: `WalkScope screening model report: ${m.name}`, Creator: `WalkScope ${context.appVersion}` } });
  const done = collect(doc);
  const chance = notShownToBeatChanceBanner(m);
  const bands: Array<{ text: string; colour: string }> = [{ text: researchOnlyBanner, colour: '#a4262c' }, ...(chance ? [{ text: chance, colour: '#8a5a00' }] : [])];
  // each band as tall as its text (a long banner wraps to a second line inside its band)
  const banner = () => {
    let top = 0;
    for (const b of bands) {
      doc.font('Helvetica-Bold').fontSize(8.5);
      const height = doc.heightOfString(b.text, { width: doc.page.width - 2 * margin }) + 12;
      doc.rect(0, top, doc.page.width, height).fill(b.colour);
      doc.fillColor('#fff').text(b.text, margin, top + 6, { width: doc.page.width - 2 * margin, align: 'center' });
      top += height;
    }
    doc.fillColor(ink);
    doc.x = margin;
    doc.y = Math.max(margin, top + 14);
  };
  banner();

  doc.font('Helvetica-Bold').fontSize(16).fillColor(ink).text(`Screening model report: ${m.name}`, margin, doc.y);
  doc.font('Helvetica').fontSize(8.5).fillColor('#555').text(`Model ${context.id} · ${statusText[context.status]} · trained ${m.createdAt} · ${m.cohort.patients} patients · ${m.features.length} measures`);
  doc.moveDown(0.5);
  const glance = glanceText(m);
  const glanceHeight = doc.font('Helvetica-Bold').fontSize(9).heightOfString(glance, { width: doc.page.width - 2 * margin - 16 }) + 10;
  const gy = doc.y;
  doc.rect(margin, gy, doc.page.width - 2 * margin, glanceHeight).fill('#f3f6fa');
  doc.rect(margin, gy, 3, glanceHeight).fill('#1f5fa8');
  doc.font('Helvetica-Bold').fontSize(9).fillColor(ink).text(glance, margin + 10, gy + 5, { width: doc.page.width - 2 * margin - 16 });
  doc.x = margin;
  doc.y = gy + glanceHeight + 4;

  heading(doc, 'Trained on', banner);
  table(doc, ['Class', 'Diagnosis', 'Patients'], cohortRows(m), [30, 40, 15], banner, { boldRows: new Set([cohortRows(m).length - 1]), textColumns: 2, keepTogether: true });
  paragraph(doc, `${m.cohort.segments} sagittal 1 s segments. Patients left out: ${m.cohort.excluded}.`);
  paragraph(doc, `The patients, without naming them (SHA-256 of the sorted patient codes): ${m.cohort.patientsSha256}`, { size: 8 });
  table(doc, ['Measure', 'Unit', 'What it is'], m.features.map((f) => [measureLabel(f), unitText(f), measureInfo[f].description]), [22, 13, 65], banner, { textColumns: 3, keepTogether: true });

  heading(doc, 'Methods', banner);
  doc.font('Helvetica').fontSize(8.5).fillColor(ink).text(screeningMethodsParagraph(context), margin, doc.y, { width: doc.page.width - 2 * margin, align: 'justify' });

  heading(doc, 'Patient level (headline)', banner);
  paragraph(doc, `Out-of-fold predictions of ${p.n} patients (${p.positives} ASD), pooled over the repeats, called at ${fmt(p.threshold, 2)}. All intervals 95%.`);
  table(doc, levelHeaders, levelRows(p, m.protocol.bootstrapReplicates), [28, 30, 42], banner, { keepTogether: true, textColumns: 3 });
  heading(doc, 'Confusion matrix, patient level', banner, 75);
  table(doc, confusionHeaders(p.threshold, 'Patients'), confusionRows(p), [40, 20, 20, 20], banner, { keepTogether: true });

  heading(doc, 'ROC curve, patient level (point: the call, with 95% CIs)', banner);
  const curves = patientRocCurves(m);
  if (curves.length > 0) rocChart(doc, curves, banner);
  else paragraph(doc, 'No ROC curve: a class has fewer than 2 patients.');
  heading(doc, 'Calibration, patient level (reliability diagram, bins of 0.1; dashed: perfect)', banner);
  if (p.calibration.some((b) => b.n > 0)) calibrationChart(doc, p.calibration, banner);
  else paragraph(doc, 'No predictions to calibrate.');

  heading(doc, 'Cross-validation by repeat (patient level)', banner, 90);
  paragraph(doc, `Each repeat is a new patient split of all ${m.cohort.patients} patients. Mean ± SD over the repeats.`, { size: 8, colour: '#444' });
  const repeats = repeatRows(m);
  table(doc, repeatHeaders, [...repeats, ...summaryRows(ev.repeatSummary, ev.repeats.length, 1)], [11, 7, 12, 12, 12, 12, 12, 12, 12], banner, { boldRows: new Set([repeats.length, repeats.length + 1]), repeatHeader: true, keepTogether: repeats.length <= 20 });

  heading(doc, 'Cross-validation by fold (patient level)', banner, 90);
  paragraph(doc, "Each fold's test patients, scored by a model trained on the other folds with C chosen by the inner cross-validation. Mean ± SD over the folds; small folds make these numbers noisy.", { size: 8, colour: '#444' });
  const folds = foldRows(m);
  table(doc, foldHeaders, [...folds, ...summaryRows(ev.foldSummary, ev.folds.length, 4)], [7, 5, 13, 11, 8, 8, 8, 8, 8, 8, 8, 8], banner, { boldRows: new Set([folds.length, folds.length + 1]), repeatHeader: true });

  heading(doc, 'Segment level (secondary)', banner, 120);
  paragraph(doc, segmentWarning, { bold: true, colour: '#8a5a00', size: 8.5 });
  paragraph(doc, `${ev.segment.n} segments (${ev.segment.positives} from ASD patients), each segment's out-of-fold probability pooled over the repeats.`);
  table(doc, levelHeaders, levelRows(ev.segment, m.protocol.bootstrapReplicates), [28, 30, 42], banner, { keepTogether: true, textColumns: 3 });
  table(doc, confusionHeaders(ev.segment.threshold, 'Segments'), confusionRows(ev.segment), [40, 20, 20, 20], banner, { keepTogether: true });

  const fusion = m.fusion;
  if (fusion) {
    heading(doc, 'Fusion with a 3D CNN', banner);
    paragraph(doc, `Source: ${fusionSourceText(fusion)}. Compared on ${fusion.patients} patients with both scores over ${fusion.folds} folds.`);
    paragraph(doc, fusion.withoutCnn.length > 0 ? `Patients without a CNN score, left out of the comparison (${fusion.withoutCnn.length}): ${fusion.withoutCnn.join(', ')}.` : 'Every patient had a CNN score.');
    table(doc, fusionMethodHeaders, fusionMethodRows(fusion, stackedCi), [22, 15, 15, 15, 15, 15, 7], banner, { keepTogether: true });
    heading(doc, 'Pairwise comparisons on the same patients', banner);
    table(doc, fusionComparisonHeaders, fusionComparisonRows(fusion), [40, 14, 11, 11, 9, 9], banner, { repeatHeader: true });
    heading(doc, "Weights and gate chosen on each fold's training patients", banner);
    paragraph(
      doc,
      'At or above the q-quantile of outlyingness (the threshold) the measurement model weighs the "at or above" weight in the fused probability, below it the "below" weight; the CNN weighs the rest. The final gate, fitted on every patient, is the one fused verdicts with this model use.',
      { size: 8, colour: '#444' },
    );
    const fusionFolds = fusionFoldRows(fusion);
    table(doc, fusionFoldHeaders, fusionFolds, [18, 16, 14, 16, 16, 18], banner, { boldRows: new Set([fusionFolds.length - 1]) });
    for (const n of fusion.notes) paragraph(doc, `• ${n}`, { size: 8, colour: '#444' });
  }

  heading(doc, 'The final model', banner, 90);
  paragraph(
    doc,
    `Refitted on all ${m.cohort.patients} patients. P(ASD) of a segment = 1 / (1 + exp(-(intercept + sum of coefficient × (value - mean) / SD))); a patient's P(ASD) is the mean over their segments, called ASD at or above ${fmt(m.threshold, 2)}. Intercept ${fmt(m.intercept)}; C = ${fmtC(m.c)} (chosen by cross-validation on all patients).`,
  );
  table(doc, finalModelHeaders, finalModelRows(m), [22, 12, 13, 14, 14, 25], banner, { textColumns: 2, keepTogether: true });
  paragraph(doc, 'Norms are over patient means among the not-ASD training patients. A positive coefficient means a larger value of the measure pushes towards ASD.', { size: 8, colour: '#444' });

  heading(doc, 'Leakage check', banner);
  paragraph(doc, leakageLine(m));

  footer(doc, (page, pages) => [...footerText(context), `page ${page} of ${pages}`]);
  doc.end();
  return done;
}
