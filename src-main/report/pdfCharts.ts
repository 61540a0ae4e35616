import { palette, type RocCurve } from './chartData.js';
import { dash } from './reportText.js';
import { ensureSpace, margin, type Doc } from './pdfLayout.js';

/**
 * ROC curves drawn in the PDF as vectors: grid, chance line, each curve with its legend and
 * AUROC, and the operating point of its calls with the sensitivity/specificity 95% intervals.
 * Nothing is drawn when there is no curve.
 */
export function rocChart(doc: Doc, curves: readonly RocCurve[], onNewPage: () => void): void {
  if (curves.length === 0) return;
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
  curves.forEach((curve, i) => {
    const colour = palette[i % palette.length]!;
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
    doc.font('Helvetica').fontSize(8).fillColor('#1d232b').text(`${curve.label}  AUROC ${curve.auroc !== null ? curve.auroc.toFixed(3) : dash}`, left + size + 50, ly - 4, { width: 220 });
  });
  doc.x = margin;
  doc.y = top + size + 30;
}
