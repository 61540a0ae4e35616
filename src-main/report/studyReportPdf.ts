import PDFDocument from 'pdfkit';
import { rocChart } from './pdfCharts.js';
import { collect, footer, heading, margin, table } from './pdfLayout.js';
import type { ReportContext } from './reportText.js';
import { dash, fmt, fmtAgreement, fmtCi, fmtP, methodsParagraph, researchOnly, studyRocCurves, withinClassHeaders, withinClassRows } from './reportText.js';

/** The study report as PDF (pdfkit, built-in Helvetica, vector ROC curves, page numbers). */
export function studyReportPdf(context: ReportContext): Promise<Buffer> {
  const { study, comparison, folds, foldSummary, notes } = context.results;
  const doc = new PDFDocument({ size: 'A4', margin, bufferPages: true, info: { Title: `WalkScope study report: ${study.name}`, Creator: `WalkScope ${context.appVersion}` } });
  const done = collect(doc);
  const unvalidated = researchOnly(context);
  const banner = () => {
    if (!unvalidated) return;
    doc.rect(0, 0, doc.page.width, 22).fill('#a4262c');
    doc.font('Helvetica-Bold').fontSize(9).fillColor('#fff').text('RESEARCH ONLY — NOT VALIDATED: a model in this report has no clinical validation.', margin, 7, { width: doc.page.width - 2 * margin, align: 'center' });
    doc.fillColor('#1d232b');
    doc.x = margin;
    doc.y = margin;
  };
  banner();
  doc.font('Helvetica-Bold').fontSize(17).fillColor('#1d232b').text(`Study report: ${study.name}`, margin, margin);
  doc.font('Helvetica').fontSize(9).fillColor('#555').text(`Study ${study.id} · ${study.kind} · ${study.caseCount} cases (${study.positiveCount} ASD) · ${study.readerCount} readers · generated ${context.generatedAt} by WalkScope ${context.appVersion}`);
  heading(doc, 'Methods', banner);
  doc.font('Helvetica').fontSize(9).fillColor('#1d232b').text(methodsParagraph(context), { align: 'justify' });

  if (comparison) {
    heading(doc, 'Readers and model (95% confidence intervals)', banner);
    table(
      doc,
      ['Rater', 'n', 'Accuracy', 'Sensitivity', 'Specificity', 'Precision', 'F1', 'AUROC (DeLong)'],
      comparison.raters.map((r) => [r.rater + (r.isModel ? ' (model)' : ''), String(r.cases), fmtCi(r.accuracy), fmtCi(r.sensitivity), fmtCi(r.specificity), fmtCi(r.precision), fmtCi(r.f1), fmtCi(r.auroc)]),
      [14, 4, 13, 13, 13, 13, 13, 13],
      banner,
    );
    heading(doc, 'ROC curves (points: calls with 95% CI)', banner);
    rocChart(doc, studyRocCurves(context.results), banner);
    heading(doc, 'Confusion matrices (rows: truth; columns: call)', banner);
    table(
      doc,
      ['Rater', 'ASD called ASD', 'ASD called non-ASD', 'non-ASD called ASD', 'non-ASD called non-ASD'],
      comparison.raters.map((r) => [r.rater, String(r.confusion.tp), String(r.confusion.fn), String(r.confusion.fp), String(r.confusion.tn)]),
      [24, 19, 19, 19, 19],
      banner,
    );
    if (comparison.pairs.length > 0) {
      heading(doc, 'Paired comparisons on the cases both rated', banner, 90); // the heading, the three-line header and a row
      table(
        doc,
        ['Comparison (A vs B)', 'Cases', 'AUROC diff.', 'DeLong z', 'DeLong p', 'Right only (A vs B)', 'McNemar on correctness p (exact)', 'p (corr.)', "Agreement (Cohen's kappa, 95% CI)"],
        comparison.pairs.map((p) => [
          `${p.a} vs ${p.b}`,
          String(p.commonCases),
          p.deLong ? fmt(p.deLong.difference) : dash,
          p.deLong ? fmt(p.deLong.z, 2) : dash,
          p.deLong ? fmtP(p.deLong.p) : dash,
          `${p.correctness.aRightBWrong} vs ${p.correctness.aWrongBRight}`,
          fmtP(p.correctness.pExact),
          fmtP(p.correctness.pCorrected),
          fmtAgreement(p),
        ]),
        [20, 6, 8, 7, 8, 10, 13, 8, 20],
        banner,
        { repeatHeader: true },
      );
      doc.font('Helvetica').fontSize(8).fillColor('#444').text('McNemar on correctness counts the cases where one rater is right and the other wrong; agreement (Cohen\'s kappa) compares the calls, right or wrong.');
      doc.fillColor('#1d232b');
      heading(doc, 'McNemar on correctness within each class', banner, 90);
      table(doc, withinClassHeaders, withinClassRows(comparison.pairs), [18, 8, 12, 10, 9, 8, 12, 10, 9], banner, { repeatHeader: true });
    }
    const lines: string[] = [];
    if (comparison.fleiss) lines.push(`Fleiss' kappa across ${comparison.fleiss.raters} readers on ${comparison.fleiss.items} cases: ${fmt(comparison.fleiss.kappa)}.`);
    else if (comparison.fleissUnavailable) lines.push(`Fleiss' kappa not computed: ${comparison.fleissUnavailable}.`);
    if (comparison.readerAveragedAuroc) lines.push(`Reader-averaged AUROC: ${fmt(comparison.readerAveragedAuroc.mean)} over ${comparison.readerAveragedAuroc.readers} readers (range ${fmt(comparison.readerAveragedAuroc.min)} to ${fmt(comparison.readerAveragedAuroc.max)}).`);
    if (lines.length > 0) doc.font('Helvetica').fontSize(9).text(lines.join(' '));
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

  const allNotes = [...notes, ...(comparison?.notes ?? []), ...(comparison?.raters.flatMap((r) => r.notes.map((n) => `${r.rater}: ${n}`)) ?? []), ...(comparison?.pairs.flatMap((p) => p.notes.map((n) => `${p.a} vs ${p.b}: ${n}`)) ?? [])];
  if (allNotes.length > 0) {
    heading(doc, 'Notes', banner);
    doc.font('Helvetica').fontSize(8).fillColor('#444');
    for (const n of allNotes) doc.text(`• ${n}`);
  }

  footer(doc, (page, pages) => `WalkScope ${context.appVersion} · ${study.name} · page ${page} of ${pages}`);
  doc.end();
  return done;
}
