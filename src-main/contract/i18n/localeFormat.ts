import type { Language } from './languages.js';
import { localeTags } from './languages.js';

/**
 * Dates and numbers per language. English keeps the form nobody misreads across countries,
 * "30 Dec 2026 14:05" (day, short month, year, 24-hour clock); Japanese uses its own,
 * "2026/12/30 14:05". Numbers use the language's separators. An unknown value is a dash.
 */

const dash = '—';
const englishMonths = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const two = (n: number): string => String(n).padStart(2, '0');

function dateOf(iso: string | null | undefined): Date | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A day in the reader's time zone: "30 Dec 2026", "2026/12/30". */
export function formatLocalDate(language: Language, iso: string | null | undefined): string {
  const d = dateOf(iso);
  if (!d) return dash;
  return language === 'ja' ? `${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())}` : `${d.getDate()} ${englishMonths[d.getMonth()]} ${d.getFullYear()}`;
}

/** A moment in the reader's time zone: "30 Dec 2026 14:05", "2026/12/30 14:05". */
export function formatLocalDateTime(language: Language, iso: string | null | undefined): string {
  const d = dateOf(iso);
  if (!d) return dash;
  return `${formatLocalDate(language, iso)} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A number with a fixed count of decimals and the language's separators: 1,234.5 (en), 1,234.5 (ja). */
export function formatDecimal(language: Language, value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return dash;
  return new Intl.NumberFormat(localeTags[language], { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}
