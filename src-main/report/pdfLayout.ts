import type PDFDocument from 'pdfkit';
import type { PdfFonts } from './pdfFonts.js';

/**
 * The page layout the reports' PDFs share (pdfkit; Helvetica unless given other fonts): the margin, a heading
 * that never sits alone at the bottom of a page, and tables whose rows never split across
 * pages. `onNewPage` runs after every page break a helper makes (the reports draw their banner).
 */

export type Doc = InstanceType<typeof PDFDocument>;

export const margin = 40;
export const ink = '#1d232b';

/** pdfkit's built-in Helvetica: the fonts of an English report, and the helpers' default. */
export const helvetica: PdfFonts = { regular: 'Helvetica', bold: 'Helvetica-Bold' };

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
  /** How many leading columns hold text and are aligned left; the others are numbers, aligned right. Default 1. */
  textColumns?: number;
  /** Moves the whole table to the next page rather than splitting it (for small tables such as a confusion matrix). */
  keepTogether?: boolean;
  /** Draws the header row again at the top of a page the table continues on. */
  repeatHeader?: boolean;
  /** Keeps every number cell (the columns after `textColumns`) on one line, in a smaller font when it would not fit: an estimate stays with its interval. */
  noWrap?: boolean;
  /** The fonts to draw with (pdfFontsFor: Helvetica, or the Japanese font); Helvetica by default. */
  fonts?: PdfFonts;
}

/** A table with fixed column widths (scaled to the page); long cells wrap; rows never split across pages. */
export function table(doc: Doc, headers: string[], rows: string[][], widths: number[], onNewPage: () => void, options: TableOptions = {}): void {
  const total = widths.reduce((s, w) => s + w, 0);
  const scale = (doc.page.width - 2 * margin) / total;
  const w = widths.map((x) => x * scale);
  const textColumns = options.textColumns ?? 1;
  const fonts = options.fonts ?? helvetica;
  const fontOf = (header: boolean, bold: boolean) => doc.font(header || bold ? fonts.bold : fonts.regular).fontSize(header ? 7 : 8);
  const oneLine = (header: boolean, i: number) => !header && options.noWrap === true && i >= textColumns;
  /** The font size that fits `text` on one line of column i (down to 5.5 points). */
  const fittedSize = (text: string, i: number, size: number) => {
    const width = doc.fontSize(size).widthOfString(text);
    return width <= w[i]! - 6 ? size : Math.max(5.5, (size * (w[i]! - 6)) / width);
  };
  const heightOf = (cells: string[], header: boolean, bold: boolean) => {
    fontOf(header, bold);
    return Math.max(...cells.map((c, i) => (oneLine(header, i) ? doc.currentLineHeight() : doc.heightOfString(c, { width: w[i]! - 6 })))) + 6;
  };
  if (options.keepTogether) ensureSpace(doc, heightOf(headers, true, false) + rows.reduce((s, r, i) => s + heightOf(r, false, options.boldRows?.has(i) ?? false), 0), onNewPage);
  const drawRow = (cells: string[], header: boolean, bold: boolean): void => {
    const h = heightOf(cells, header, bold);
    const page = doc.bufferedPageRange().count;
    ensureSpace(doc, h, onNewPage);
    if (!header && options.repeatHeader && doc.bufferedPageRange().count > page) drawRow(headers, true, false);
    fontOf(header, bold); // a page break may have changed the font
    const y = doc.y;
    if (header) doc.rect(margin, y, w.reduce((s, v) => s + v, 0), h).fill('#eef0f3').fillColor(ink);
    let x = margin;
    cells.forEach((c, i) => {
      if (oneLine(header, i)) {
        const size = fittedSize(c, i, 8);
        doc.fontSize(size).fillColor(ink).text(c, x + 3, y + 3 + (8 - size) / 2, { width: w[i]! - 6, align: 'right', lineBreak: false });
        doc.fontSize(8);
      } else {
        // a header sits over its column: right-aligned over the numbers of a no-wrap table
        const align = i < textColumns || (header && options.noWrap !== true) ? 'left' : 'right';
        doc.fillColor(header ? '#333' : ink).text(c, x + 3, y + 3, { width: w[i]! - 6, align });
      }
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

/** A section heading, moved to the next page when less than `following` points (a few lines) would fit under it. */
export function heading(doc: Doc, text: string, onNewPage: () => void, following = 40, fonts: PdfFonts = helvetica): void {
  ensureSpace(doc, following, onNewPage);
  doc.moveDown(0.4).font(fonts.bold).fontSize(12).fillColor(ink).text(text, margin);
  doc.moveDown(0.2);
}

/**
 * The footer of every buffered page (the document must have been made with `bufferPages: true`):
 * one line, or several, one under the other, below the text area.
 */
export function footer(doc: Doc, textOfPage: (page: number, pages: number) => string | readonly string[], fonts: PdfFonts = helvetica): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // writing the footer below the text area must not open a new page
    const text = textOfPage(i + 1, range.count);
    const lines = typeof text === 'string' ? [text] : text;
    lines.forEach((line, k) => {
      doc.font(fonts.regular).fontSize(7).fillColor('#777').text(line, margin, doc.page.height - margin + 10 + k * 9, { width: doc.page.width - 2 * margin, align: 'center', lineBreak: false });
    });
  }
}

/** The PDF's bytes once `doc.end()` has been called. */
export function collect(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
}
