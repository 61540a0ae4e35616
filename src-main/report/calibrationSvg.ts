import type { CalibrationBin } from './chartData.js';
import { esc } from './html.js';

/**
 * A reliability diagram as a self-contained SVG: per bin of predicted probability the mean
 * prediction against the observed rate of ASD, the diagonal of perfect calibration, and above
 * the plot each bin's n at the bin's centre (0 for an empty bin, whose point is not drawn).
 */
export interface CalibrationSvgOptions {
  size?: number;
  label?: string;
  /** The words in the plot (English by default). */
  xLabel?: string;
  yLabel?: string;
  diagonalText?: string;
  emptyText?: string;
  /** A bin's tooltip. */
  pointText?: (bin: CalibrationBin) => string;
}

export function calibrationSvg(bins: readonly CalibrationBin[], options: CalibrationSvgOptions = {}): string {
  const size = options.size ?? 420;
  const pad = 48;
  const top = 30;
  const plot = size - pad - top;
  const x = (p: number) => pad + p * plot;
  const y = (o: number) => top + (1 - o) * plot;
  const used = bins.filter((b) => b.n > 0);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" font-family="Helvetica, Arial, sans-serif" font-size="11" role="img" aria-label="${esc(options.label ?? 'Calibration')}">`);
  parts.push(`<rect x="${pad}" y="${top}" width="${plot}" height="${plot}" fill="#fff" stroke="#555"/>`);
  for (let t = 0; t <= 10; t += 2) {
    const v = t / 10;
    parts.push(`<line x1="${x(v)}" y1="${top}" x2="${x(v)}" y2="${top + plot}" stroke="#e3e6ea"/><line x1="${pad}" y1="${y(v)}" x2="${pad + plot}" y2="${y(v)}" stroke="#e3e6ea"/>`);
    parts.push(`<text x="${x(v)}" y="${top + plot + 14}" text-anchor="middle">${v.toFixed(1)}</text><text x="${pad - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`);
  }
  parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 4"/>`);
  parts.push(`<text x="${x(0.98)}" y="${y(0.03)}" text-anchor="end" fill="#777" font-size="10">${esc(options.diagonalText ?? 'dashed: perfect calibration')}</text>`);
  parts.push(`<text x="${pad - 6}" y="${top - 8}" text-anchor="end" fill="#333" font-size="10">n</text>`);
  for (const b of bins) parts.push(`<text x="${x((b.lower + b.upper) / 2).toFixed(1)}" y="${top - 8}" text-anchor="middle" fill="#333" font-size="10">${b.n}</text>`);
  parts.push(`<text x="${pad + plot / 2}" y="${size - 2}" text-anchor="middle">${esc(options.xLabel ?? 'Mean predicted P(ASD) in the bin')}</text>`);
  parts.push(`<text transform="translate(12 ${top + plot / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel ?? 'Observed share with ASD')}</text>`);
  if (used.length > 1) parts.push(`<polyline points="${used.map((b) => `${x(b.meanPredicted).toFixed(1)},${y(b.observedRate).toFixed(1)}`).join(' ')}" fill="none" stroke="#1f5fa8" stroke-width="1.5"/>`);
  for (const b of used) {
    const cx = x(b.meanPredicted);
    const cy = y(b.observedRate);
    parts.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" fill="#1f5fa8"><title>${esc(options.pointText ? options.pointText(b) : `${b.lower.toFixed(1)}–${b.upper.toFixed(1)}: n = ${b.n}, mean predicted ${b.meanPredicted.toFixed(3)}, observed ${b.observedRate.toFixed(3)}`)}</title></circle>`);
  }
  if (used.length === 0) parts.push(`<text x="${pad + plot / 2}" y="${top + plot / 2}" text-anchor="middle" fill="#555">${esc(options.emptyText ?? 'No predictions to calibrate.')}</text>`);
  parts.push('</svg>');
  return parts.join('');
}
