import { describe, expect, it } from 'vitest';
import PDFDocument from 'pdfkit';
import { pdfFontsFor } from '../../../src-main/report/pdfFonts.js';

describe('the fonts of a PDF', () => {
  it('are Helvetica for English, needing no file', () => {
    expect(pdfFontsFor(new PDFDocument(), 'en', null)).toEqual({ regular: 'Helvetica', bold: 'Helvetica-Bold' });
  });

  it('refuse a Japanese PDF by name when the Japanese font is missing, rather than drawing empty boxes', () => {
    expect(() => pdfFontsFor(new PDFDocument(), 'ja', '/nowhere/fonts/ipag.ttf')).toThrow('The Japanese font for PDF reports is missing (/nowhere/fonts/ipag.ttf). Reinstall WalkScope, or make the report in English.');
    expect(() => pdfFontsFor(new PDFDocument(), 'ja', null)).toThrow(/missing \(resources\/fonts\/ipag\.ttf\)/);
  });
});
