/** CSV cells and lines as the reports write them: comma-separated, quoted only when needed, no float artefacts. */

import { formatDecimal } from '../domain/units.js';

/** A number as a CSV cell: at most 4 decimals, no float artefacts (0.15000000000000002 is 0.15), empty when missing. */
export const csvNumber = (value: number | null | undefined): string => formatDecimal(value, 4);

/** A text cell, quoted when it holds a comma, a quote or a line break. */
export const csvText = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

export const csvLine = (cells: readonly string[]) => cells.map(csvText).join(',');
