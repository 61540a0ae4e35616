import type { StudyResults } from '../contract/entities.js';

const palette = ['#1f5fa8', '#b4461f', '#2e7d32', '#6a3d9a', '#8c6d1f', '#c2185b', '#00838f'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * ROC curves of every rater as a self-contained SVG: axes, grid, chance line, one curve per
 * rater, and for each the operating point of its calls with its sensitivity/specificity CI.
 */
export function rocSvg(results: StudyResults, size = 420): string {
  const raters = results.comparison?.raters.filter((r) => r.roc) ?? [];
  const pad = 48;
  const plot = size - pad - 16;
  const x = (fpr: number) => pad + fpr * plot;
  const y = (tpr: number) => 16 + (1 - tpr) * plot;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size + 220} ${size}" width="${size + 220}" height="${size}" font-family="Helvetica, Arial, sans-serif" font-size="11" role="img" aria-label="ROC curves">`);
  parts.push(`<rect x="${pad}" y="16" width="${plot}" height="${plot}" fill="#fff" stroke="#555"/>`);
  for (let t = 0; t <= 10; t += 2) {
    const v = t / 10;
    parts.push(`<line x1="${x(v)}" y1="16" x2="${x(v)}" y2="${16 + plot}" stroke="#e3e6ea"/><line x1="${pad}" y1="${y(v)}" x2="${pad + plot}" y2="${y(v)}" stroke="#e3e6ea"/>`);
    parts.push(`<text x="${x(v)}" y="${16 + plot + 14}" text-anchor="middle">${v.toFixed(1)}</text><text x="${pad - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`);
  }
  parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 4"/>`);
  parts.push(`<text x="${pad + plot / 2}" y="${size - 2}" text-anchor="middle">1 − specificity (false positive rate)</text>`);
  parts.push(`<text transform="translate(12 ${16 + plot / 2}) rotate(-90)" text-anchor="middle">Sensitivity (true positive rate)</text>`);
  raters.forEach((r, i) => {
    const colour = palette[i % palette.length]!;
    const points = r.roc!.fpr.map((f, k) => `${x(f).toFixed(1)},${y(r.roc!.tpr[k]!).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"${r.isModel ? '' : ' stroke-dasharray="6 3"'}/>`);
    // operating point of the calls with 95% CI bars for sensitivity and specificity
    const fx = 1 - r.specificity.estimate;
    parts.push(`<line x1="${x(1 - r.specificity.upper)}" y1="${y(r.sensitivity.estimate)}" x2="${x(1 - r.specificity.lower)}" y2="${y(r.sensitivity.estimate)}" stroke="${colour}"/>`);
    parts.push(`<line x1="${x(fx)}" y1="${y(r.sensitivity.lower)}" x2="${x(fx)}" y2="${y(r.sensitivity.upper)}" stroke="${colour}"/>`);
    parts.push(`<circle cx="${x(fx)}" cy="${y(r.sensitivity.estimate)}" r="4" fill="${colour}"/>`);
    const ly = 28 + i * 34;
    parts.push(`<line x1="${size + 4}" y1="${ly}" x2="${size + 28}" y2="${ly}" stroke="${colour}" stroke-width="2"${r.isModel ? '' : ' stroke-dasharray="6 3"'}/>`);
    parts.push(`<text x="${size + 34}" y="${ly + 4}">${esc(r.rater)}</text>`);
    parts.push(`<text x="${size + 34}" y="${ly + 18}" fill="#555">AUROC ${r.auroc ? r.auroc.estimate.toFixed(3) : '—'}</text>`);
  });
  if (raters.length === 0) parts.push(`<text x="${pad + plot / 2}" y="${16 + plot / 2}" text-anchor="middle" fill="#555">No ROC curve: no rater has rated both classes yet.</text>`);
  parts.push('</svg>');
  return parts.join('');
}
