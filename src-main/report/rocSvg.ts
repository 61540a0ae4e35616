import { palette, type RocCurve } from './chartData.js';
import { esc } from './html.js';

export interface RocSvgOptions {
  size?: number;
  /** Said in the plot when there is no curve. */
  emptyText?: string;
  ariaLabel?: string;
  /** The axes' titles (English by default). */
  xLabel?: string;
  yLabel?: string;
}

/**
 * ROC curves as a self-contained SVG: axes, grid, chance line, one curve per entry with its
 * legend and AUROC, and for each curve with calls the operating point with its
 * sensitivity/specificity 95% intervals.
 */
export function rocSvg(curves: readonly RocCurve[], options: RocSvgOptions = {}): string {
  const size = options.size ?? 420;
  const pad = 48;
  const plot = size - pad - 16;
  const x = (fpr: number) => pad + fpr * plot;
  const y = (tpr: number) => 16 + (1 - tpr) * plot;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size + 220} ${size}" width="${size + 220}" height="${size}" font-family="Helvetica, Arial, sans-serif" font-size="11" role="img" aria-label="${esc(options.ariaLabel ?? 'ROC curves')}">`);
  parts.push(`<rect x="${pad}" y="16" width="${plot}" height="${plot}" fill="#fff" stroke="#555"/>`);
  for (let t = 0; t <= 10; t += 2) {
    const v = t / 10;
    parts.push(`<line x1="${x(v)}" y1="16" x2="${x(v)}" y2="${16 + plot}" stroke="#e3e6ea"/><line x1="${pad}" y1="${y(v)}" x2="${pad + plot}" y2="${y(v)}" stroke="#e3e6ea"/>`);
    parts.push(`<text x="${x(v)}" y="${16 + plot + 14}" text-anchor="middle">${v.toFixed(1)}</text><text x="${pad - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`);
  }
  parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 4"/>`);
  parts.push(`<text x="${pad + plot / 2}" y="${size - 2}" text-anchor="middle">${esc(options.xLabel ?? '1 − specificity (false positive rate)')}</text>`);
  parts.push(`<text transform="translate(12 ${16 + plot / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel ?? 'Sensitivity (true positive rate)')}</text>`);
  curves.forEach((curve, i) => {
    const colour = curve.colour ?? palette[i % palette.length]!;
    const dash = curve.dashed ? ' stroke-dasharray="6 3"' : '';
    const points = curve.fpr.map((f, k) => `${x(f).toFixed(1)},${y(curve.tpr[k]!).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`);
    const op = curve.operatingPoint;
    if (op) {
      const fx = 1 - op.specificity.estimate;
      parts.push(`<line x1="${x(1 - op.specificity.upper)}" y1="${y(op.sensitivity.estimate)}" x2="${x(1 - op.specificity.lower)}" y2="${y(op.sensitivity.estimate)}" stroke="${colour}"/>`);
      parts.push(`<line x1="${x(fx)}" y1="${y(op.sensitivity.lower)}" x2="${x(fx)}" y2="${y(op.sensitivity.upper)}" stroke="${colour}"/>`);
      parts.push(`<circle cx="${x(fx)}" cy="${y(op.sensitivity.estimate)}" r="4" fill="${colour}"/>`);
    }
    const ly = 28 + i * 34;
    parts.push(`<line x1="${size + 4}" y1="${ly}" x2="${size + 28}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${size + 34}" y="${ly + 4}">${esc(curve.label)}</text>`);
    parts.push(`<text x="${size + 34}" y="${ly + 18}" fill="#555">AUROC ${curve.auroc !== null ? curve.auroc.toFixed(3) : '—'}</text>`);
  });
  if (curves.length === 0) parts.push(`<text x="${pad + plot / 2}" y="${16 + plot / 2}" text-anchor="middle" fill="#555">${esc(options.emptyText ?? 'No ROC curve.')}</text>`);
  parts.push('</svg>');
  return parts.join('');
}
