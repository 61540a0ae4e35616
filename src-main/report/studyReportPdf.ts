import PDFDocument from 'pdfkit';
import type { MrmcResult } from '../contract/mrmc.js';
import { rocChart } from './pdfCharts.js';
import { pdfFontsFor, type PdfFonts } from './pdfFonts.js';
import { collect, ensureSpace, footer, heading, ink, margin, table, type Doc } from './pdfLayout.js';
import { fmt, researchOnly } from './reportText.js';
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

/** What the drawing helpers need besides the document: the fonts and the sentences of the language. */
interface Writer {
  fonts: PdfFonts;
  w: StudyWords;
}

const subheading = (doc: Doc, { fonts }: Writer, text: string, onNewPage: () => void, following = 60) => {
  ensureSpace(doc, following, onNewPage);
  doc.moveDown(0.2).font(fonts.bold).fontSize(9.5).fillColor(ink).text(text, margin);
  doc.moveDown(0.15);
};
const small = (doc: Doc, { fonts }: Writer, text: string) => {
  doc.font(fonts.regular).fontSize(8).fillColor('#444').text(text, margin);
  doc.fillColor(ink);
};

function mrmcTables(doc: Doc, writer: Writer, mrmc: MrmcResult, primary: boolean, onNewPage: () => void): void {
  const { w } = writer;
  const { t } = w;
  table(doc, modalityHeaders(w), modalityRows(mrmc, w), [25, 60, 15], onNewPage, { fonts: writer.fonts, noWrap: true, keepTogether: true });
  const beyond = intervalBeyondRange(mrmc, w);
  if (beyond) small(doc, writer, beyond);
  subheading(doc, writer, primary ? t('studyReport.mrmc.primaryAnalyses') : t('studyReport.mrmc.otherAnalyses'), onNewPage);
  table(doc, differenceHeaders(w), analysisRows(mrmc, primary, w).map(differenceCells), [30, 22, 30, 8, 10], onNewPage, { fonts: writer.fonts, textColumns: 2, noWrap: true, repeatHeader: true });
  subheading(doc, writer, t('studyReport.mrmc.perReader'), onNewPage);
  table(doc, [t('studyReport.mrmc.colReader'), ...differenceHeaders(w).slice(1)], perReaderRows(mrmc, w).map(differenceCells), [30, 22, 30, 8, 10], onNewPage, { fonts: writer.fonts, textColumns: 2, noWrap: true, repeatHeader: true });
  small(doc, writer, t('studyReport.mrmc.summary', { covariance: mrmc.covariance, readers: mrmc.readers.length, cases: mrmc.cases, positives: mrmc.positives, negatives: mrmc.negatives }));
}

/** The study report as PDF (pdfkit, Helvetica or the bundled Japanese font, vector ROC curves, page numbers). */
export function studyReportPdf(context: StudyReportContext): Promise<Buffer> {
  const language = context.language ?? 'en';
  const w = studyWords(language);
  const { t } = w;
  const results = context.results;
  const { study, comparison, caseLevel, folds, foldSummary, notes, mrmc } = results;
  const noun = w.noun(results);
  const primary = primaryEndpoint(results, language);
  const doc = new PDFDocument({ size: 'A4', margin, bufferPages: true, ...(language === 'en' ? {} : { lang: language }), info: { Title: t('studyReport.documentTitle', { name: study.name }), Creator: `WalkScope ${context.appVersion}` } });
  const done = collect(doc);
  const fonts = pdfFontsFor(doc, language, context.japaneseFontPath ?? null);
  const writer: Writer = { fonts, w };
  const unvalidated = researchOnly(context);
  const width = doc.page.width - 2 * margin;
  const banner = () => {
    if (!unvalidated) return;
    doc.rect(0, 0, doc.page.width, 22).fill('#a4262c');
    doc.font(fonts.bold).fontSize(9).fillColor('#fff').text(t('studyReport.bannerPdf'), margin, 7, { width, align: 'center' });
    doc.fillColor(ink);
    doc.x = margin;
    doc.y = margin;
  };
  banner();
  doc.font(fonts.bold).fontSize(17).fillColor(ink).text(t('studyReport.title', { name: study.name }), margin, margin);
  doc
    .font(fonts.regular)
    .fontSize(9)
    .fillColor('#555')
    .text(
      t('studyReport.meta', {
        id: study.id,
        kind: study.kind === 'cross-validation' ? t('studyReport.kind.crossValidation') : t('studyReport.kind.reader'),
        patients: study.patientCount,
        asd: study.positivePatientCount,
        cases: study.caseCount,
        nouns: noun.other,
        readers: study.readerCount,
        time: w.time(context.generatedAt),
        version: context.appVersion,
      }),
    );

  // the primary endpoint, boxed, before anything else
  doc.moveDown(0.6);
  const inner = width - 16;
  const lines: Array<{ text: string; bold: boolean; size: number }> = [
    { text: primary.statement, bold: true, size: 10 },
    ...(primary.modalities ? [{ text: w.sentence(primary.modalities), bold: false, size: 9 }] : []),
    { text: t('studyReport.unitOfAnalysisPdf', { unit: primary.unit }), bold: false, size: 8 },
  ];
  const boxHeight = lines.reduce((h, l) => h + doc.font(l.bold ? fonts.bold : fonts.regular).fontSize(l.size).heightOfString(l.text, { width: inner }) + 4, 12);
  ensureSpace(doc, boxHeight, banner);
  const top = doc.y;
  doc.rect(margin, top, width, boxHeight).fillAndStroke('#f4f8fd', '#1f5fa8');
  doc.y = top + 7;
  for (const l of lines) {
    doc.font(l.bold ? fonts.bold : fonts.regular).fontSize(l.size).fillColor(ink).text(l.text, margin + 8, doc.y, { width: inner });
    doc.y += 4;
  }
  doc.x = margin;
  doc.y = top + boxHeight + 4;

  heading(doc, t('studyReport.design.heading'), banner, 40, fonts);
  table(doc, [t('studyReport.design.item'), t('studyReport.design.detail')], designRows(w, results), [22, 78], banner, { fonts: writer.fonts, textColumns: 2 });
  const seeds = seedRows(w, results);
  subheading(doc, writer, t('studyReport.design.seedsHeading'), banner);
  table(doc, seeds.headers, seeds.rows, [30, ...seeds.headers.slice(1).map(() => 70 / (seeds.headers.length - 1))], banner, { fonts: writer.fonts, noWrap: true });

  heading(doc, t('studyReport.primary.heading'), banner, 90, fonts);
  if (primary.mrmc) mrmcTables(doc, writer, primary.mrmc, true, banner);
  else doc.font(fonts.regular).fontSize(9).fillColor(ink).text(primary.statement);
  if (primary.kind === 'aided-vs-unaided' && mrmc.versusModel) {
    heading(doc, t('studyReport.mrmc.supplementary'), banner, 90, fonts);
    mrmcTables(doc, writer, mrmc.versusModel, false, banner);
  }

  const charts = studyRocCharts(w, results).filter((c) => c.curves.length > 0);
  if (charts.length > 0) {
    heading(doc, t('studyReport.roc.headingPdf'), banner, 290, fonts);
    for (const chart of charts) {
      subheading(doc, writer, chart.title, banner, 280);
      rocChart(doc, chart.curves, banner, { yLabel: t('studyReport.roc.sensitivity'), xLabel: t('studyReport.roc.oneMinusSpecificity'), fonts });
    }
  }

  heading(doc, t('studyReport.secondary.heading'), banner, 90, fonts);
  if (comparison) {
    subheading(doc, writer, t('studyReport.secondary.raters', { n: comparison.cases }), banner);
    table(doc, raterHeaders(w), raterRows(w, results, comparison), [17, 9, 5, 23, 23, 23], banner, { fonts: writer.fonts, textColumns: 2, noWrap: true, repeatHeader: true });
    subheading(doc, writer, t('studyReport.secondary.otherMeasures'), banner);
    table(doc, otherMeasureHeaders(w), otherMeasureRows(w, results, comparison), [17, 9, 18.5, 18.5, 18.5, 18.5], banner, { fonts: writer.fonts, textColumns: 2, noWrap: true, repeatHeader: true });
    subheading(doc, writer, t('studyReport.secondary.confusionPdf'), banner);
    table(
      doc,
      [t('studyReport.secondary.colRater'), t('studyReport.secondary.asdCalledAsd'), t('studyReport.secondary.asdCalledNonAsd'), t('studyReport.secondary.nonAsdCalledAsd'), t('studyReport.secondary.nonAsdCalledNonAsd')],
      comparison.raters.map((r) => [w.rater(r.rater), String(r.confusion.tp), String(r.confusion.fn), String(r.confusion.fp), String(r.confusion.tn)]),
      [32, 17, 17, 17, 17],
      banner,
      { repeatHeader: true, fonts },
    );
    const pairs = mainPairs(results, comparison.pairs);
    if (pairs.length > 0) {
      subheading(doc, writer, t('studyReport.secondary.pairs'), banner, 90);
      table(doc, pairHeaders(w), pairRows(w, pairs), [27, 5, 17, 15, 15, 21], banner, { fonts: writer.fonts, noWrap: true, repeatHeader: true });
      small(doc, writer, t('studyReport.secondary.pairsExplainedPdf'));
    }
    if (comparison.fleiss) small(doc, writer, t('studyReport.secondary.fleissPdf', { raters: comparison.fleiss.raters, items: comparison.fleiss.items, kappa: fmt(comparison.fleiss.kappa) }));
    else if (comparison.fleissUnavailable) small(doc, writer, t('studyReport.secondary.fleissUnavailablePdf', { reason: comparison.fleissUnavailable }));
  } else doc.font(fonts.regular).fontSize(9).text(t('studyReport.secondary.noReadings'));
  if (caseLevel) {
    subheading(doc, writer, t('studyReport.secondary.perCase', { noun: noun.one, cases: caseLevel.cases, nouns: noun.other, patients: results.design.patients }), banner, 90);
    small(doc, writer, t('studyReport.secondary.perCaseHintPdf', { capitalNouns: noun.capitalOther }));
    table(doc, raterHeaders(w), raterRows(w, results, caseLevel), [17, 9, 5, 23, 23, 23], banner, { fonts: writer.fonts, textColumns: 2, noWrap: true, repeatHeader: true });
  }

  if (folds.length > 0) {
    heading(doc, t('studyReport.folds.headingPdf'), banner, 40, fonts);
    const rows = folds.map((f) => [String(f.fold), String(f.cases), String(f.patients), fmt(f.accuracy, 4), fmt(f.precision, 4), fmt(f.recall, 4), fmt(f.f1, 4), fmt(f.auroc, 4)]);
    const bold = new Set<number>();
    if (foldSummary) {
      const keys = ['accuracy', 'precision', 'recall', 'f1', 'auroc'];
      bold.add(rows.length);
      rows.push([t('studyReport.folds.mean'), '', '', ...keys.map((k) => fmt(foldSummary.mean[k], 4))]);
      bold.add(rows.length);
      rows.push([t('studyReport.folds.sd'), '', '', ...keys.map((k) => fmt(foldSummary.sd[k], 4))]);
    }
    table(
      doc,
      [t('studyReport.folds.colFold'), t('studyReport.folds.colCases'), t('studyReport.folds.colPatients'), t('studyReport.folds.colAccuracy'), t('studyReport.folds.colPrecision'), t('studyReport.folds.colRecall'), t('studyReport.folds.colF1'), t('studyReport.folds.colAuroc')],
      rows,
      [8, 8, 9, 12, 12, 12, 12, 12],
      banner,
      { boldRows: bold, fonts },
    );
    doc.font(fonts.regular).fontSize(7).fillColor('#444');
    for (const f of folds) doc.text(t('studyReport.folds.foldCases', { fold: f.fold, codes: f.caseCodes.join(', ') }) + (f.note ? t('studyReport.folds.foldNote', { note: f.note }) : ''));
  }

  heading(doc, t('studyReport.methods.heading'), banner, 40, fonts);
  doc.font(fonts.regular).fontSize(8.5).fillColor(ink).text(methodsParagraph(w, context), { align: 'justify' });
  heading(doc, t('studyReport.data.heading'), banner, 40, fonts);
  doc
    .font(fonts.regular)
    .fontSize(8.5)
    .fillColor(ink)
    .text(
      t('studyReport.data.imrmcPdf', { file: imrmcFileName(results, `walkscope-study-${study.id}-…`), format: 'imrmc', nouns: noun.other }) +
        (mrmc.versusModel ? t('studyReport.data.versusModelPdf') : '') +
        t('studyReport.data.csv', { noun: noun.one }),
    );

  const allNotes = [
    ...notes,
    ...mrmc.notes.map((n) => t('studyReport.notes.mrmc', { note: n })),
    ...(comparison?.notes ?? []),
    ...(comparison?.raters.flatMap((r) => r.notes.map((n) => t('studyReport.notes.rater', { rater: w.rater(r.rater), note: n }))) ?? []),
    ...(comparison?.pairs.flatMap((p) => p.notes.map((n) => t('studyReport.notes.pair', { a: w.rater(p.a), b: w.rater(p.b), note: n }))) ?? []),
  ];
  if (allNotes.length > 0) {
    heading(doc, t('studyReport.notes.heading'), banner, 40, fonts);
    doc.font(fonts.regular).fontSize(8).fillColor('#444');
    for (const n of allNotes) doc.text(`• ${n}`);
  }

  footer(doc, (page, pages) => t('studyReport.footer', { version: context.appVersion, name: study.name, page, pages }), fonts);
  doc.end();
  return done;
}
