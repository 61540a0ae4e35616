import PDFDocument from 'pdfkit';
import type { ReportContext } from './reportText.js';
import { dash, fmt, fmtCi, fmtP, methodsParagraph, researchOnly } from './reportText.js';

type Doc = InstanceType<typeof PDFDocument>;

const margin = 40;
const palette = ['#1f5fa8', '#b4461f', '#2e7d32', '#6a3d9a', '#8c6d1f', '#c2185b', '#00838f'];

function ensureSpace(doc: Doc, height: number, onNewPage: () => void): void {
  if (doc.y + height > doc.page.height - margin - 20) {
    doc.addPage();
    onNewPage();
  }
}

/** A table with fixed column widths; long cells wrap; rows never split across pages. */
function table(doc: Doc, headers: string[], rows: string[][], widths: number[], onNewPage: () => void, options: { boldRows?: Set<number> } = {}): void {
  const total = widths.reduce((s, w) => s + w, 0);
  const scale = (doc.page.width - 2 * margin) / total;
  const w = widths.map((x) => x * scale);
  const drawRow = (cells: string[], header: boolean, bold: boolean) => {
    doc.font(header || bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(header ? 7 : 8);
    const heights = cells.map((c, i) => doc.heightOfString(c, { width: w[i]! - 6 }));
    const h = Math.max(...heights) + 6;
    ensureSpace(doc, h, onNewPage);
    doc.font(header || bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(header ? 7 : 8); // a page break may have changed the font
    const y = doc.y;
    if (header) doc.rect(margin, y, w.reduce((s, v) => s + v, 0), h).fill('#eef0f3').fillColor('#1d232b');
    let x = margin;
    cells.forEach((c, i) => {
      doc.fillColor(header ? '#333' : '#1d232b').text(c, x + 3, y + 3, { width: w[i]! - 6, align: i === 0 || header ? 'left' : 'right' });
      x += w[i]!;
    });
    doc.moveTo(margin, y + h).lineTo(margin + w.reduce((s, v) => s + v, 0), y + h).strokeColor('#d7dbe0').lineWidth(0.5).stroke();
    doc.x = margin;
    doc.y = y + h;
  };
  drawRow(headers, true, false);
  rows.forEach((r, i) => drawRow(r, false, options.boldRows?.has(i) ?? false));
  doc.moveDown(0.6);
}

function heading(doc: Doc, text: string, onNewPage: () => void): void {
  ensureSpace(doc, 40, onNewPage);
  doc.moveDown(0.4).font('Helvetica-Bold').fontSize(12).fillColor('#1d232b').text(text, margin);
  doc.moveDown(0.2);
}

function rocChart(doc: Doc, context: ReportContext, onNewPage: () => void): void {
  const raters = context.results.comparison?.raters.filter((r) => r.roc) ?? [];
  if (raters.length === 0) return;
  const size = 220;
  ensureSpace(doc, size + 40, onNewPage);
  const left = margin + 30;
  const top = doc.y + 6;
  const x = (f: number) => left + f * size;
  const y = (t: number) => top + (1 - t) * size;
  doc.lineWidth(0.5).strokeColor('#e3e6ea');
  for (let k = 0; k <= 10; k += 2) {
    doc.moveTo(x(k / 10), top).lineTo(x(k / 10), top + size).stroke();
    doc.moveTo(left, y(k / 10)).lineTo(left + size, y(k / 10)).stroke();
    doc.font('Helvetica').fontSize(7).fillColor('#333').text((k / 10).toFixed(1), x(k / 10) - 8, top + size + 3, { width: 16, align: 'center' });
    doc.text((k / 10).toFixed(1), left - 22, y(k / 10) - 3, { width: 18, align: 'right' });
  }
  doc.rect(left, top, size, size).strokeColor('#555').stroke();
  doc.dash(3, { space: 3 }).moveTo(x(0), y(0)).lineTo(x(1), y(1)).strokeColor('#999').stroke().undash();
  doc.fontSize(8).fillColor('#333').text('1 - specificity', left, top + size + 14, { width: size, align: 'center' });
  raters.forEach((r, i) => {
    const colour = palette[i % palette.length]!;
    const roc = r.roc!;
    doc.lineWidth(1.5).strokeColor(colour);
    if (!r.isModel) doc.dash(4, { space: 2 });
    doc.moveTo(x(roc.fpr[0]!), y(roc.tpr[0]!));
    for (let k = 1; k < roc.fpr.length; k++) doc.lineTo(x(roc.fpr[k]!), y(roc.tpr[k]!));
    doc.stroke().undash();
    const fx = 1 - r.specificity.estimate;
    doc.lineWidth(0.8).moveTo(x(1 - r.specificity.upper), y(r.sensitivity.estimate)).lineTo(x(1 - r.specificity.lower), y(r.sensitivity.estimate)).stroke();
    doc.moveTo(x(fx), y(r.sensitivity.lower)).lineTo(x(fx), y(r.sensitivity.upper)).stroke();
    doc.circle(x(fx), y(r.sensitivity.estimate), 2.5).fill(colour);
    const ly = top + 8 + i * 26;
    doc.lineWidth(1.5).strokeColor(colour);
    if (!r.isModel) doc.dash(4, { space: 2 });
    doc.moveTo(left + size + 20, ly).lineTo(left + size + 44, ly).stroke().undash();
    doc.font('Helvetica').fontSize(8).fillColor('#1d232b').text(`${r.rater}  AUROC ${r.auroc ? r.auroc.estimate.toFixed(3) : dash}`, left + size + 50, ly - 4, { width: 220 });
  });
  doc.x = margin;
  doc.y = top + size + 30;
}

/** The study report as PDF (pdfkit, built-in Helvetica, vector ROC curves, page numbers). */
export function studyReportPdf(context: ReportContext): Promise<Buffer> {
  const { study, comparison, folds, foldSummary, notes } = context.results;
  const doc = new PDFDocument({ size: 'A4', margin, bufferPages: true, info: { Title: `WalkScope study report: ${study.name}`, Creator: `WalkScope ${context.appVersion}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
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
    rocChart(doc, context, banner);
    heading(doc, 'Confusion matrices (rows: truth; columns: call)', banner);
    table(
      doc,
      ['Rater', 'ASD called ASD', 'ASD called non-ASD', 'non-ASD called ASD', 'non-ASD called non-ASD'],
      comparison.raters.map((r) => [r.rater, String(r.confusion.tp), String(r.confusion.fn), String(r.confusion.fp), String(r.confusion.tn)]),
      [24, 19, 19, 19, 19],
      banner,
    );
    if (comparison.pairs.length > 0) {
      heading(doc, 'Paired comparisons on the cases both rated', banner);
      table(
        doc,
        ['Comparison', 'Cases', 'AUROC diff.', 'DeLong z', 'DeLong p', 'McNemar p (exact)', 'McNemar p (corr.)', "Cohen's kappa (95% CI)"],
        comparison.pairs.map((p) => [`${p.a} vs ${p.b}`, String(p.commonCases), p.deLong ? fmt(p.deLong.difference) : dash, p.deLong ? fmt(p.deLong.z, 2) : dash, p.deLong ? fmtP(p.deLong.p) : dash, fmtP(p.mcNemar.pExact), fmtP(p.mcNemar.pCorrected), p.kappa ? `${fmt(p.kappa.kappa)} (${fmt(p.kappa.lower)} to ${fmt(p.kappa.upper)})` : dash]),
        [24, 7, 9, 9, 9, 12, 12, 18],
        banner,
      );
    }
    const lines: string[] = [];
    if (comparison.fleiss) lines.push(`Fleiss' kappa across ${comparison.fleiss.raters} readers on ${comparison.fleiss.items} cases: ${fmt(comparison.fleiss.kappa)}.`);
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

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // writing the footer below the text area must not open a new page
    doc.font('Helvetica').fontSize(7).fillColor('#777').text(`WalkScope ${context.appVersion} · ${study.name} · page ${i + 1} of ${range.count}`, margin, doc.page.height - margin + 10, { width: doc.page.width - 2 * margin, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}
