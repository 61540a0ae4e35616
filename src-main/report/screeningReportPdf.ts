import PDFDocument from 'pdfkit';
import { calibrationChart, rocChart } from './pdfCharts.js';
import { pdfFontsFor, type PdfFonts } from './pdfFonts.js';
import { collect, footer, heading, ink, margin, table, type Doc } from './pdfLayout.js';
import { fmt } from './reportText.js';
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
  stackedCi,
  summaryRows,
  type ScreeningReportContext,
} from './screeningReportText.js';

/** A paragraph of body text at the left margin. */
function paragraph(doc: Doc, fonts: PdfFonts, text: string, options: { size?: number; colour?: string; bold?: boolean } = {}): void {
  doc
    .font(options.bold ? fonts.bold : fonts.regular)
    .fontSize(options.size ?? 9)
    .fillColor(options.colour ?? ink)
    .text(text, margin, doc.y, { width: doc.page.width - 2 * margin, align: 'left' });
  doc.moveDown(0.3);
}

/**
 * The screening model report as PDF (pdfkit, vector ROC and calibration charts) in the report's
 * language: built-in Helvetica in English, the bundled Japanese font in Japanese (refused by
 * name when the font is missing). Every page carries the research-only band, and the
 * not-shown-to-beat-chance band when the model did not; the footer names the model, its
 * SHA-256, the app and the time.
 */
export function screeningReportPdf(context: ScreeningReportContext): Promise<Buffer> {
  const tr = reportTranslator(context);
  const t = tr.t;
  const m = context.model;
  const ev = m.evaluation;
  const p = ev.patient;
  const doc = new PDFDocument({ size: 'A4', margin, bufferPages: true, lang: tr.language, info: { Title: t('screeningReport.doc.title', { name: m.name }), Creator: `WalkScope ${context.appVersion}` } });
  const fonts = pdfFontsFor(doc, tr.language, context.japaneseFontPath ?? null);
  const done = collect(doc);
  const chance = notShownToBeatChanceBanner(m, tr);
  const bands: Array<{ text: string; colour: string }> = [{ text: researchOnlyBanner(tr), colour: '#a4262c' }, ...(chance ? [{ text: chance, colour: '#8a5a00' }] : [])];
  // each band as tall as its text (a long banner wraps to a second line inside its band)
  const banner = () => {
    let top = 0;
    for (const b of bands) {
      doc.font(fonts.bold).fontSize(8.5);
      const height = doc.heightOfString(b.text, { width: doc.page.width - 2 * margin }) + 12;
      doc.rect(0, top, doc.page.width, height).fill(b.colour);
      doc.fillColor('#fff').text(b.text, margin, top + 6, { width: doc.page.width - 2 * margin, align: 'center' });
      top += height;
    }
    doc.fillColor(ink);
    doc.x = margin;
    doc.y = Math.max(margin, top + 14);
  };
  const h = (text: string, following?: number) => heading(doc, text, banner, following, fonts);
  const para = (text: string, options: { size?: number; colour?: string; bold?: boolean } = {}) => paragraph(doc, fonts, text, options);
  banner();

  doc.font(fonts.bold).fontSize(16).fillColor(ink).text(t('screeningReport.doc.heading', { name: m.name }), margin, doc.y);
  doc.font(fonts.regular).fontSize(8.5).fillColor('#555').text(metaText(context, tr));
  doc.moveDown(0.5);
  const glance = glanceText(m, tr);
  const glanceHeight = doc.font(fonts.bold).fontSize(9).heightOfString(glance, { width: doc.page.width - 2 * margin - 16 }) + 10;
  const gy = doc.y;
  doc.rect(margin, gy, doc.page.width - 2 * margin, glanceHeight).fill('#f3f6fa');
  doc.rect(margin, gy, 3, glanceHeight).fill('#1f5fa8');
  doc.font(fonts.bold).fontSize(9).fillColor(ink).text(glance, margin + 10, gy + 5, { width: doc.page.width - 2 * margin - 16 });
  doc.x = margin;
  doc.y = gy + glanceHeight + 4;

  h(t('screeningReport.doc.headings.trainedOn'));
  const cohort = cohortRows(m, tr);
  table(doc, cohortHeaders(tr), cohort, [30, 40, 15], banner, { boldRows: new Set([cohort.length - 1]), textColumns: 2, keepTogether: true, fonts });
  para(t(m.videoFeatures ? 'screeningReport.doc.head.clipsLine' : 'screeningReport.doc.segmentsLine', { segments: m.cohort.segments, excluded: m.cohort.excluded }));
  para(t('screeningReport.doc.patientsHashPdf', { sha: m.cohort.patientsSha256 }), { size: 8 });
  table(doc, measureHeaders(tr), measureRows(m, tr), [22, 13, 65], banner, { textColumns: 3, keepTogether: true, fonts });

  h(t('screeningReport.doc.headings.methods'));
  doc.font(fonts.regular).fontSize(8.5).fillColor(ink).text(screeningMethodsParagraph(context, tr), margin, doc.y, { width: doc.page.width - 2 * margin, align: 'justify' });

  h(t('screeningReport.doc.headings.patientLevel'));
  para(`${t('screeningReport.doc.patientIntro', { n: p.n, positives: p.positives, threshold: fmt(p.threshold, 2) })}${sentenceGap(tr)}${t('screeningReport.doc.allIntervals95')}`);
  table(doc, levelHeaders(tr), levelRows(p, m.protocol.bootstrapReplicates, tr), [28, 30, 42], banner, { keepTogether: true, textColumns: 3, fonts });
  h(t('screeningReport.doc.headings.confusionPatientsPdf'), 75);
  table(doc, confusionHeaders(p.threshold, 'patients', tr), confusionRows(p, tr), [40, 20, 20, 20], banner, { keepTogether: true, fonts });

  h(t('screeningReport.doc.headings.rocPdf'));
  const curves = patientRocCurves(m, tr);
  if (curves.length > 0) rocChart(doc, curves, banner, { fonts, xLabel: t('screeningReport.doc.chart.rocXPdf') });
  else para(t('screeningReport.doc.rocEmpty'));
  h(t('screeningReport.doc.headings.calibrationPdf'));
  const calibrationLabels = {
    x: t('screeningReport.doc.chart.calibrationX'),
    y: t('screeningReport.doc.chart.calibrationY'),
    empty: t('screeningReport.doc.calibrationEmpty'),
    bin: t('screeningReport.doc.chart.bin'),
    meanPredicted: t('screeningReport.doc.chart.meanPredicted'),
    observed: t('screeningReport.doc.chart.observed'),
  };
  if (p.calibration.some((b) => b.n > 0)) calibrationChart(doc, p.calibration, banner, { fonts, labels: calibrationLabels });
  else para(calibrationLabels.empty);

  h(t('screeningReport.doc.headings.byRepeat'), 90);
  para(t('screeningReport.doc.repeatNotePdf', { patients: m.cohort.patients }), { size: 8, colour: '#444' });
  const repeats = repeatRows(m);
  table(doc, repeatHeaders(tr), [...repeats, ...summaryRows(ev.repeatSummary, ev.repeats.length, 1, tr)], [11, 7, 12, 12, 12, 12, 12, 12, 12], banner, { boldRows: new Set([repeats.length, repeats.length + 1]), repeatHeader: true, keepTogether: repeats.length <= 20, fonts });

  h(t('screeningReport.doc.headings.byFold'), 90);
  para(t('screeningReport.doc.foldNotePdf'), { size: 8, colour: '#444' });
  const folds = foldRows(m, tr);
  table(doc, foldHeaders(tr), [...folds, ...summaryRows(ev.foldSummary, ev.folds.length, 4, tr)], [7, 5, 13, 11, 8, 8, 8, 8, 8, 8, 8, 8], banner, { boldRows: new Set([folds.length, folds.length + 1]), repeatHeader: true, fonts });

  h(t('screeningReport.doc.headings.segmentLevel'), 120);
  para(segmentWarning(tr), { bold: true, colour: '#8a5a00', size: 8.5 });
  para(t('screeningReport.doc.segmentIntro', { n: ev.segment.n, positives: ev.segment.positives }));
  table(doc, levelHeaders(tr), levelRows(ev.segment, m.protocol.bootstrapReplicates, tr), [28, 30, 42], banner, { keepTogether: true, textColumns: 3, fonts });
  table(doc, confusionHeaders(ev.segment.threshold, 'segments', tr), confusionRows(ev.segment, tr), [40, 20, 20, 20], banner, { keepTogether: true, fonts });

  const fusion = m.fusion;
  if (fusion) {
    h(t('screeningReport.doc.headings.fusion'));
    para(fusionIntroText(fusion, tr));
    para(fusionWithoutCnnText(fusion, tr));
    table(doc, fusionMethodHeaders(tr), fusionMethodRows(fusion, stackedCi, tr), [22, 15, 15, 15, 15, 15, 7], banner, { keepTogether: true, fonts });
    h(t('screeningReport.doc.fusion.pairwise'));
    table(doc, fusionComparisonHeaders(tr), fusionComparisonRows(fusion, tr), [40, 14, 11, 11, 9, 9], banner, { repeatHeader: true, fonts });
    h(t('screeningReport.doc.fusion.gateHeading'));
    para(t('screeningReport.doc.fusion.gateNotePdf'), { size: 8, colour: '#444' });
    const fusionFolds = fusionFoldRows(fusion, tr);
    table(doc, fusionFoldHeaders(tr), fusionFolds, [18, 16, 14, 16, 16, 18], banner, { boldRows: new Set([fusionFolds.length - 1]), fonts });
    for (const n of fusion.notes) para(`• ${n}`, { size: 8, colour: '#444' });
  }

  h(t('screeningReport.doc.headings.finalModel'), 90);
  para(t('screeningReport.doc.finalModelPdf', { patients: m.cohort.patients, threshold: fmt(m.threshold, 2), intercept: fmt(m.intercept), c: fmtC(m.c) }));
  table(doc, finalModelHeaders(tr), finalModelRows(m, tr), [22, 12, 13, 14, 14, 25], banner, { textColumns: 2, keepTogether: true, fonts });
  para(t('screeningReport.doc.normsNote'), { size: 8, colour: '#444' });

  h(t('screeningReport.doc.headings.leakage'));
  para(leakageLine(m, tr));

  footer(doc, (page, pages) => [...footerText(context, tr), t('screeningReport.doc.page', { page, pages })], fonts);
  doc.end();
  return done;
}
