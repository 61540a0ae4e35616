import { palette, type CalibrationBin, type RocCurve } from './chartData.js';
import { dash } from './reportText.js';
import { ensureSpace, helvetica, margin, type Doc } from './pdfLayout.js';
import type { PdfFonts } from './pdfFonts.js';

/** The 0..1 square both charts share: the grid every 0.2 with its labels, the frame and the dashed diagonal. */
function unitSquare(doc: Doc, left: number, top: number, size: number, fonts: PdfFonts): void {
  const x = (f: number) => left + f * size;
  const y = (t: number) => top + (1 - t) * size;
  doc.lineWidth(0.5).strokeColor('#e3e6ea');
  for (let k = 0; k <= 10; k += 2) {
    doc.moveTo(x(k / 10), top).lineTo(x(k / 10), top + size).stroke();
    doc.moveTo(left, y(k / 10)).lineTo(left + size, y(k / 10)).stroke();
    doc.font(fonts.regular).fontSize(7).fillColor('#333').text((k / 10).toFixed(1), x(k / 10) - 8, top + size + 3, { width: 16, align: 'center' });
    doc.text((k / 10).toFixed(1), left - 22, y(k / 10) - 3, { width: 18, align: 'right' });
  }
  doc.rect(left, top, size, size).strokeColor('#555').stroke();
  doc.dash(3, { space: 3 }).moveTo(x(0), y(0)).lineTo(x(1), y(1)).strokeColor('#999').stroke().undash();
}

/**
 * ROC curves drawn in the PDF as vectors: grid, chance line, each curve with its legend and
 * AUROC, and the operating point of its calls with the sensitivity/specificity 95% intervals.
 * Nothing is drawn when there is no curve.
 */
export function rocChart(doc: Doc, curves: readonly RocCurve[], onNewPage: () => void, options: { yLabel?: string; xLabel?: string; fonts?: PdfFonts } = {}): void {
  const fonts = options.fonts ?? helvetica;
  if (curves.length === 0) return;
  const size = 220;
  ensureSpace(doc, size + 40, onNewPage);
  const left = margin + 30;
  const top = doc.y + 6;
  const x = (f: number) => left + f * size;
  const y = (t: number) => top + (1 - t) * size;
  unitSquare(doc, left, top, size, fonts);
  doc.fontSize(8).fillColor('#333').text(options.xLabel ?? '1 - specificity', left, top + size + 14, { width: size, align: 'center' });
  if (options.yLabel) doc.save().rotate(-90, { origin: [left - 26, top + size / 2] }).text(options.yLabel, left - 26 - size / 2, top + size / 2 - 4, { width: size, align: 'center', lineBreak: false }).restore();
  curves.forEach((curve, i) => {
    const colour = curve.colour ?? palette[i % palette.length]!;
    doc.lineWidth(1.5).strokeColor(colour);
    if (curve.dashed) doc.dash(4, { space: 2 });
    doc.moveTo(x(curve.fpr[0]!), y(curve.tpr[0]!));
    for (let k = 1; k < curve.fpr.length; k++) doc.lineTo(x(curve.fpr[k]!), y(curve.tpr[k]!));
    doc.stroke().undash();
    const op = curve.operatingPoint;
    if (op) {
      const fx = 1 - op.specificity.estimate;
      doc.lineWidth(0.8).moveTo(x(1 - op.specificity.upper), y(op.sensitivity.estimate)).lineTo(x(1 - op.specificity.lower), y(op.sensitivity.estimate)).stroke();
      doc.moveTo(x(fx), y(op.sensitivity.lower)).lineTo(x(fx), y(op.sensitivity.upper)).stroke();
      doc.circle(x(fx), y(op.sensitivity.estimate), 2.5).fill(colour);
    }
    const ly = top + 8 + i * 26;
    doc.lineWidth(1.5).strokeColor(colour);
    if (curve.dashed) doc.dash(4, { space: 2 });
    doc.moveTo(left + size + 20, ly).lineTo(left + size + 44, ly).stroke().undash();
    doc.font(fonts.regular).fontSize(8).fillColor('#1d232b').text(`${curve.label}  AUROC ${curve.auroc !== null ? curve.auroc.toFixed(3) : dash}`, left + size + 50, ly - 4, { width: 220 });
  });
  doc.x = margin;
  doc.y = top + size + 30;
}

/**
 * A reliability diagram drawn in the PDF: per bin the mean prediction against the observed rate,
 * the diagonal of perfect calibration, each bin's n above the plot at the bin's centre, and to
 * its right the bins as numbers.
 */
export interface CalibrationChartOptions {
  fonts?: PdfFonts;
  /** The words of the chart and its table of bins (English by default). */
  labels?: { x: string; y: string; empty: string; bin: string; meanPredicted: string; observed: string };
}

export function calibrationChart(doc: Doc, bins: readonly CalibrationBin[], onNewPage: () => void, options: CalibrationChartOptions = {}): void {
  const fonts = options.fonts ?? helvetica;
  const labels = options.labels ?? { x: 'Mean predicted P(ASD) in the bin', y: 'Observed share with ASD', empty: 'No predictions to calibrate.', bin: 'Bin', meanPredicted: 'Mean predicted', observed: 'Observed' };
  const used = bins.filter((b) => b.n > 0);
  const size = 220;
  ensureSpace(doc, size + 52, onNewPage);
  const left = margin + 30;
  const top = doc.y + 16;
  const x = (p: number) => left + p * size;
  const y = (o: number) => top + (1 - o) * size;
  unitSquare(doc, left, top, size, fonts);
  doc.fontSize(8).fillColor('#333').text(labels.x, left, top + size + 14, { width: size, align: 'center' });
  doc.save().rotate(-90, { origin: [left - 26, top + size / 2] }).text(labels.y, left - 26 - size / 2, top + size / 2 - 4, { width: size, align: 'center', lineBreak: false }).restore();
  const colour = palette[0]!;
  if (used.length > 1) {
    doc.lineWidth(1.2).strokeColor(colour).moveTo(x(used[0]!.meanPredicted), y(used[0]!.observedRate));
    for (const b of used.slice(1)) doc.lineTo(x(b.meanPredicted), y(b.observedRate));
    doc.stroke();
  }
  for (const b of used) doc.circle(x(b.meanPredicted), y(b.observedRate), 2.5).fill(colour);
  doc.font(fonts.regular).fontSize(6.5).fillColor('#333').text('n', left - 22, top - 9, { width: 18, align: 'right', lineBreak: false });
  for (const b of bins) doc.text(String(b.n), x((b.lower + b.upper) / 2) - 10, top - 9, { width: 20, align: 'center', lineBreak: false });
  if (used.length === 0) doc.font(fonts.regular).fontSize(8).fillColor('#555').text(labels.empty, left, top + size / 2 - 4, { width: size, align: 'center' });
  // the bins as numbers
  const tx = left + size + 24;
  const cols = [52, 28, 62, 56];
  const heads = [labels.bin, 'n', labels.meanPredicted, labels.observed];
  let ty = top;
  doc.font(fonts.bold).fontSize(7).fillColor('#333');
  heads.forEach((h, i) => doc.text(h, tx + cols.slice(0, i).reduce((s, w) => s + w, 0), ty, { width: cols[i]! - 4, align: i === 0 ? 'left' : 'right', lineBreak: false }));
  ty += 11;
  doc.font(fonts.regular).fontSize(7).fillColor('#1d232b');
  for (const b of bins) {
    const cells = [`${b.lower.toFixed(1)}–${b.upper.toFixed(1)}`, String(b.n), b.n > 0 ? b.meanPredicted.toFixed(3) : dash, b.n > 0 ? b.observedRate.toFixed(3) : dash];
    cells.forEach((c, i) => doc.text(c, tx + cols.slice(0, i).reduce((s, w) => s + w, 0), ty, { width: cols[i]! - 4, align: i === 0 ? 'left' : 'right', lineBreak: false }));
    ty += 10;
  }
  doc.x = margin;
  doc.y = top + size + 30;
}
