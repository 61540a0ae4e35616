/** Display formatting shared by the screens. */

export { formatBytes } from '../../src-main/domain/units.js';
import { formatLocalDate as formatLocalDateIn, formatLocalDateTime as formatLocalDateTimeIn } from '../../src-main/contract/i18n/localeFormat.js';
import { language, t } from './i18n.svelte.js';

/** A length for display in the current language: "12.3 s", "2 min 05 s"; an unknown length shows as a dash. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return t('jobs.elapsed.seconds', { seconds: seconds.toFixed(1) });
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return t('jobs.elapsed.minutes', { minutes: m, seconds: String(s).padStart(2, '0') });
}

export function formatTimeLeft(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  if (seconds < 1) return t('common.time.almostDone');
  if (seconds < 60) return t('common.time.secondsLeft', { count: Math.ceil(seconds) });
  return t('common.time.minutesLeft', { count: Math.ceil(seconds / 60) });
}

/** How long something took, in the current language: "0.4 s", "12 s", "3 min 05 s", "1 h 02 min" ("3 分 05 秒"). */
export function formatElapsed(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 9.95) return t('jobs.elapsed.seconds', { seconds: seconds.toFixed(1) });
  const s = Math.round(seconds);
  if (s < 60) return t('jobs.elapsed.seconds', { seconds: s });
  if (s < 3600) return t('jobs.elapsed.minutes', { minutes: Math.floor(s / 60), seconds: String(s % 60).padStart(2, '0') });
  return t('jobs.elapsed.hours', { hours: Math.floor(s / 3600), minutes: String(Math.floor((s % 3600) / 60)).padStart(2, '0') });
}

export function formatFps(fps: number): string {
  return Number.isInteger(fps) ? String(fps) : fps.toFixed(2);
}

/**
 * A moment in the reader's own time zone, in the current language's form: "30 Dec 2026 14:05"
 * (day, short month, year, 24-hour clock) or "2026/12/30 14:05". Unknown or unreadable: a dash.
 */
export function formatLocalDateTime(iso: string | null | undefined): string {
  return formatLocalDateTimeIn(language(), iso);
}

/** A day in the reader's own time zone, in the current language's form. */
export function formatLocalDate(iso: string | null | undefined): string {
  return formatLocalDateIn(language(), iso);
}

/** A probability as a whole percentage, e.g. 0.734 -> "73%". */
export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return `${Math.round(p * 100)}%`;
}
