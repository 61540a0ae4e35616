import PDFDocument from 'pdfkit';
import type { MrmcResult } from '../contract/mrmc.js';
import { rocChart } from './pdfCharts.js';
import { collect, ensureSpace, footer, heading, ink, margin, table, type Doc } from './pdfLayout.js';
import {
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
import { analysisRows, differenceCells, differenceHeaders, intervalBeyondRange, modalityHeaders, modalityRows, perReaderRows, primaryEndpoint } from './studyEndpoint.js';
import { imrmcFileName } from './studyImrmc.js';

const subheading = (doc: Doc, text: string, onNewPage: () => void, following = 60) => {
  ensureSpace(doc, following, onNewPage);
  doc.moveDown(0.2).font('Helvetica-Bold').fontSize(9.5).fillColor(ink).text(text, margin);
  doc.moveDown(0.15);
};
const small = (doc: Doc, text: string) => {
  doc.font('Helvetica').fontSize(8).fillColor('#444').text(text, margin);
  doc.fillColor(ink);
};

function mrmcTables(doc: Doc, mrmc: MrmcResult, primary: boolean, onNewPage: () => void): void {
  table(doc, modalityHeaders, modalityRows(mrmc), [25, 60, 15], onNewPage, { noWrap: true, keepTogether: true });
  const beyond = intervalBeyondRange(mrmc);
  if (beyond) small(doc, beyond);
  subheading(doc, primary ? 'Primary and sensitivity analyses' : 'Random readers and cases, and sensitivity analyses', onNewPage);
  table(doc, differenceHeaders, analysisRows(mrmc, primary).map(differenceCells), [30, 22, 30, 8, 10], onNewPage, { textColumns: 2, noWrap: true, repeatHeader: true });
  subheading(doc, 'Per reader (cases random, normal test)', onNewPage);
  table(doc, ['Reader', ...differenceHeaders.slice(1)], perReaderRows(mrmc).map(differenceCells), [30, 22, 30, 8, 10], onNewPage, { textColumns: 2, noWrap: true, repeatHeader: true });
  small(doc, `Obuchowski-Rockette, ${mrmc.covariance} covariances, ${mrmc.readers.length} readers, ${mrmc.cases} patients (${mrmc.positives} ASD, ${mrmc.negatives} non-ASD).`);
}

/** The study report as PDF (pdfkit, built-in Helvetica, vector ROC curves, page numbers). */
export function studyReportPdf(context: ReportContext): Promise<Buffer> {
  const results = context.results;
  const { study, comparison, caseLevel, folds, foldSummary, notes, mrmc } = results;
  const noun = materialNoun(results);
  const primary = primaryEndpoint(results);
  const doc = new PDFDocument({ size: 'A4', margin, bufferPages: true, info: { Title: `WalkScope study report: ${study.name}`, Creator: `WalkScope ${context.appVersion}` } });
  const done = collect(doc);
  const unvalidated = researchOnly(context);
  const width = doc.page.width - 2 * margin;
  const banner = () => {
    if (!unvalidated) return;
    doc.rect(0, 0, doc.page.width, 22).fill('#a4262c');
    doc.font('Helvetica-Bold').fontSize(9).fillColor('#fff').text('RESEARCH ONLY — NOT VALIDATED: a model in this report has no clinical validation.', margin, 7, { width, align: 'center' });
    doc.fillColor(ink);
    doc.x = margin;
    doc.y = margin;
  };
  banner();
  doc.font('Helvetica-Bold').fontSize(17).fillColor(ink).text(`Study report: ${study.name}`, margin, margin);
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#555')
    .text(`Study ${study.id} · ${study.kind} · ${study.patientCount} patients (${study.positivePatientCount} ASD), ${study.caseCount} ${noun}s · ${study.readerCount} readers · generated ${readableTime(context.generatedAt)} by WalkScope ${context.appVersion}`);

  // the primary endpoint, boxed, before anything else
  doc.moveDown(0.6);
  const inner = width - 16;
  const lines: Array<{ text: string; bold: boolean; size: number }> = [
    { text: primary.statement, bold: true, size: 10 },
    ...(primary.modalities ? [{ text: `${primary.modalities}.`, bold: false, size: 9 }] : []),
    { text: `Unit of analysis: ${primary.unit}. Sensitivity analyses (fixed readers, fixed cases) and each reader's difference follow.`, bold: false, size: 8 },
  ];
  const boxHeight = lines.reduce((h, l) => h + doc.font(l.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(l.size).heightOfString(l.text, { width: inner }) + 4, 12);
  ensureSpace(doc, boxHeight, banner);
  const top = doc.y;
  doc.rect(margin, top, width, boxHeight).fillAndStroke('#f4f8fd', '#1f5fa8');
  doc.y = top + 7;
  for (const l of lines) {
    doc.font(l.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(l.size).fillColor(ink).text(l.text, margin + 8, doc.y, { width: inner });
    doc.y += 4;
  }
  doc.x = margin;
  doc.y = top + boxHeight + 4;

  heading(doc, 'Design', banner);
  table(doc, ['Item', 'Detail'], designRows(results), [22, 78], banner, { textColumns: 2 });
  const seeds = seedRows(results);
  subheading(doc, "Randomisation: each reader's seed per session", banner);
  table(doc, seeds.headers, seeds.rows, [30, ...seeds.headers.slice(1).map(() => 70 / (seeds.headers.length - 1))], banner, { noWrap: true });

  heading(doc, 'Primary analysis: OR-MRMC on patients', banner, 90);
  if (primary.mrmc) mrmcTables(doc, primary.mrmc, true, banner);
  else doc.font('Helvetica').fontSize(9).fillColor(ink).text(primary.statement);
  if (primary.kind === 'aided-vs-unaided' && mrmc.versusModel) {
    heading(doc, 'The model against the readers (supplementary)', banner, 90);
    mrmcTables(doc, mrmc.versusModel, false, banner);
  }

  const charts = studyRocCharts(results).filter((c) => c.curves.length > 0);
  if (charts.length > 0) {
    heading(doc, 'ROC curves per modality (per patient; points: calls with 95% CI)', banner, 290);
    for (const chart of charts) {
      subheading(doc, chart.title, banner, 280);
      rocChart(doc, chart.curves, banner, { yLabel: 'Sensitivity' });
    }
  }

  heading(doc, 'Secondary analyses', banner, 90);
  if (comparison) {
    subheading(doc, `Sensitivity and specificity per reader and modality (per patient, N = ${comparison.cases})`, banner);
    table(doc, raterHeaders('N'), raterRows(results, comparison), [17, 9, 5, 23, 23, 23], banner, { textColumns: 2, noWrap: true, repeatHeader: true });
    subheading(doc, 'Other measures (per patient)', banner);
    table(doc, otherMeasureHeaders, otherMeasureRows(results, comparison), [17, 9, 18.5, 18.5, 18.5, 18.5], banner, { textColumns: 2, noWrap: true, repeatHeader: true });
    subheading(doc, 'Confusion matrices (per patient; rows: truth, columns: call)', banner);
    table(
      doc,
      ['Rater', 'ASD called ASD', 'ASD called non-ASD', 'non-ASD called ASD', 'non-ASD called non-ASD'],
      comparison.raters.map((r) => [r.rater, String(r.confusion.tp), String(r.confusion.fn), String(r.confusion.fp), String(r.confusion.tn)]),
      [32, 17, 17, 17, 17],
      banner,
      { repeatHeader: true },
    );
    const pairs = mainPairs(results, comparison.pairs);
    if (pairs.length > 0) {
      subheading(doc, 'McNemar on correctness and agreement, main pairs (per patient)', banner, 90);
      table(doc, pairHeaders, pairRows(pairs), [27, 5, 17, 15, 15, 21], banner, { noWrap: true, repeatHeader: true });
      small(doc, "Right only: the patients where A is right and B wrong, against the reverse; McNemar p is exact (binomial), over all patients both rated and within the ASD (sensitivity) and non-ASD (specificity) patients. Agreement (Cohen's kappa) compares the calls, right or wrong. Pairs of two readers in different modalities are left out.");
    }
    if (comparison.fleiss) small(doc, `Fleiss' kappa across ${comparison.fleiss.raters} readers on ${comparison.fleiss.items} patients: ${fmt(comparison.fleiss.kappa)}.`);
    else if (comparison.fleissUnavailable) small(doc, `Fleiss' kappa not computed: ${comparison.fleissUnavailable}.`);
  } else doc.font('Helvetica').fontSize(9).text('No readings or model results yet.');
  if (caseLevel) {
    subheading(doc, `Per ${noun} (secondary, N = ${caseLevel.cases} ${noun}s of ${results.design.patients} patients)`, banner, 90);
    small(doc, `${noun[0]!.toUpperCase()}${noun.slice(1)}s of one patient are not independent: these intervals are too narrow. The patient-level analysis is primary.`);
    table(doc, raterHeaders('N'), raterRows(results, caseLevel), [17, 9, 5, 23, 23, 23], banner, { textColumns: 2, noWrap: true, repeatHeader: true });
  }

  if (folds.length > 0) {
    heading(doc, 'Cross-validation by fold (held-out patients only)', banner);
    const rows = folds.map((f) => [String(f.fold), String(f.cases), String(f.patients), fmt(f.accuracy, 4), fmt(f.precision, 4), fmt(f.recall, 4), fmt(f.f1, 4), fmt(f.auroc, 4)]);
    const bold = new Set<number>();
    if (foldSummary) {
      const keys = ['accuracy', 'precision', 'recall', 'f1', 'auroc'];
      bold.add(rows.length);
      rows.push(['mean', '', '', ...keys.map((k) => fmt(foldSummary.mean[k], 4))]);
      bold.add(rows.length);
      rows.push(['SD', '', '', ...keys.map((k) => fmt(foldSummary.sd[k], 4))]);
    }
    table(doc, ['Fold', 'Cases', 'Patients', 'Accuracy', 'Precision', 'Recall', 'F1', 'AUROC'], rows, [8, 8, 9, 12, 12, 12, 12, 12], banner, { boldRows: bold });
    doc.font('Helvetica').fontSize(7).fillColor('#444');
    for (const f of folds) doc.text(`Fold ${f.fold}: ${f.caseCodes.join(', ')}${f.note ? ` (${f.note})` : ''}`);
  }

  heading(doc, 'Methods', banner);
  doc.font('Helvetica').fontSize(8.5).fillColor(ink).text(methodsParagraph(context), { align: 'justify' });
  heading(doc, 'Data for re-analysis', banner);
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .fillColor(ink)
    .text(
      `The iMRMC export (${imrmcFileName(results, `walkscope-study-${study.id}-…`)}, format imrmc) holds iMRMC's input layout, readerID, caseID, modalityID, score, one row per reader, modality and patient (caseID is the patient's pseudonymous unit, scores averaged over the patient's ${noun}s), after one truth row per patient.` +
        (mrmc.versusModel ? ' The model\'s scores appear under every reader\'s id in the modality "model", as in the analysis of the model against the readers; leave those rows out to reproduce aided against unaided.' : '') +
        ` The CSV export is the long format per ${noun} (reader, case, modality, score, truth, call).`,
    );

  const allNotes = [
    ...notes,
    ...mrmc.notes.map((n) => `MRMC: ${n}`),
    ...(comparison?.notes ?? []),
    ...(comparison?.raters.flatMap((r) => r.notes.map((n) => `${r.rater}: ${n}`)) ?? []),
    ...(comparison?.pairs.flatMap((p) => p.notes.map((n) => `${p.a} vs ${p.b}: ${n}`)) ?? []),
  ];
  if (allNotes.length > 0) {
    heading(doc, 'Notes', banner);
    doc.font('Helvetica').fontSize(8).fillColor('#444');
    for (const n of allNotes) doc.text(`• ${n}`);
  }

  footer(doc, (page, pages) => `WalkScope ${context.appVersion} · ${study.name} · page ${page} of ${pages}`);
  doc.end();
  return done;
}
