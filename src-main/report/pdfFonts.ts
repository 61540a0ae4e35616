import { existsSync } from 'node:fs';
import type PDFDocument from 'pdfkit';
import { AppError } from '../contract/errors.js';
import type { Language } from '../contract/i18n/languages.js';

type Doc = InstanceType<typeof PDFDocument>;

/** The fonts a PDF draws its text with: pdfkit's built-in Helvetica for English, a bundled Japanese font for Japanese. */
export interface PdfFonts {
  regular: string;
  bold: string;
}

/** The bundled Japanese font's file name in resources/fonts (IPA Gothic, from Debian's fonts-ipafont-gothic, IPA Font License). */
export const japaneseFontFile = 'ipag.ttf';

/**
 * Registers the fonts for `language` on a document. Helvetica cannot draw kana or kanji, so a
 * Japanese PDF needs the bundled font; when it is missing, the PDF is refused by name rather
 * than drawn as empty boxes.
 */
export function pdfFontsFor(doc: Doc, language: Language, japaneseFontPath: string | null): PdfFonts {
  if (language !== 'ja') return { regular: 'Helvetica', bold: 'Helvetica-Bold' };
  if (!japaneseFontPath || !existsSync(japaneseFontPath)) throw new AppError('REPORT_FONT_MISSING', japaneseFontPath ?? `resources/fonts/${japaneseFontFile}`);
  doc.registerFont('ws-japanese', japaneseFontPath);
  // IPA Gothic has one weight; headings stand out by size
  return { regular: 'ws-japanese', bold: 'ws-japanese' };
}
