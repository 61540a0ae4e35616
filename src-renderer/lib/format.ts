/** Display formatting shared by the screens. */

import { formatDuration as formatDurationOr } from '../../src-main/domain/units.js';

export { formatBytes } from '../../src-main/domain/units.js';

/** A length for display; an unknown length shows as a dash. */
export function formatDuration(seconds: number | null | undefined): string {
  return formatDurationOr(seconds, '—');
}

export function formatTimeLeft(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  if (seconds < 1) return 'almost done';
  if (seconds < 60) return `${Math.ceil(seconds)} s left`;
  return `${Math.ceil(seconds / 60)} min left`;
}

export function formatFps(fps: number): string {
  return Number.isInteger(fps) ? String(fps) : fps.toFixed(2);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.slice(0, 16).replace('T', ' ');
}
