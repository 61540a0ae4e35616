/** Human-readable sizes and durations, shared by the CLI's tables and the screens. */

const byteUnits = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 -> "1.5 KB" (binary multiples, one decimal above bytes). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${byteUnits[unit]}`;
}

/** 12.34 -> "12.3 s", 125 -> "2 min 05 s"; `missing` stands in for an unknown or non-finite length. */
export function formatDuration(seconds: number | null | undefined, missing = ''): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return missing;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m} min ${String(s).padStart(2, '0')} s`;
}
