import type PDFDocument from 'pdfkit';

/**
 * The page layout the reports' PDFs share (pdfkit, built-in Helvetica): the margin, a heading
 * that never sits alone at the bottom of a page, and tables whose rows never split across
 * pages. `onNewPage` runs after every page break a helper makes (the reports draw their banner).
 */

export type Doc = InstanceType<typeof PDFDocument>;

export const margin = 40;
export const ink = '#1d232b';

/** Opens a new page when `height` more points would run into the footer. */
export function ensureSpace(doc: Doc, height: number, onNewPage: () => void): void {
  if (doc.y + height > doc.page.height - margin - 20) {
    doc.addPage();
    onNewPage();
  }
}

export interface TableOptions {
  /** Rows (0-based, header not counted) set in bold, e.g. mean and SD. */
  boldRows?: Set<number>;
}

/** A table with fixed column widths (scaled to the page); long cells wrap; rows never split across pages. */
export function table(doc: Doc, headers: string[], rows: string[][], widths: number[], onNewPage: () => void, options: TableOptions = {}): void {
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
    if (header) doc.rect(margin, y, w.reduce((s, v) => s + v, 0), h).fill('#eef0f3').fillColor(ink);
    let x = margin;
    cells.forEach((c, i) => {
      doc.fillColor(header ? '#333' : ink).text(c, x + 3, y + 3, { width: w[i]! - 6, align: i === 0 || header ? 'left' : 'right' });
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

/** A section heading, moved to the next page when less than a few lines would follow it. */
export function heading(doc: Doc, text: string, onNewPage: () => void): void {
  ensureSpace(doc, 40, onNewPage);
  doc.moveDown(0.4).font('Helvetica-Bold').fontSize(12).fillColor(ink).text(text, margin);
  doc.moveDown(0.2);
}

/**
 * Page numbers (and whatever else the footer says) on every buffered page; the document must
 * have been made with `bufferPages: true`.
 */
export function footer(doc: Doc, textOfPage: (page: number, pages: number) => string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // writing the footer below the text area must not open a new page
    doc.font('Helvetica').fontSize(7).fillColor('#777').text(textOfPage(i + 1, range.count), margin, doc.page.height - margin + 10, { width: doc.page.width - 2 * margin, align: 'center', lineBreak: false });
  }
}

/** The PDF's bytes once `doc.end()` has been called. */
export function collect(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
}
