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

/**
 * A number as plain text with at most `decimals` decimals and no float artefacts:
 * 0.5 - 0.35 (0.15000000000000002) -> "0.15", 0.25 -> "0.25", 3 -> "3", -0.0000001 -> "0" (6 decimals).
 * `missing` stands in for null, undefined and non-finite values. The one formatter of numbers in
 * exported files (CSV cells, long-format scores).
 */
export function formatDecimal(value: number | null | undefined, decimals: number, missing = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return missing;
  const rounded = Number(value.toFixed(decimals));
  return String(rounded === 0 ? 0 : rounded);
}

/** 12.34 -> "12.3 s", 125 -> "2 min 05 s"; `missing` stands in for an unknown or non-finite length. */
export function formatDuration(seconds: number | null | undefined, missing = ''): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return missing;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

const sizeSuffixes: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

/**
 * A size typed by a person: "2G", "512 MB", "1.5GiB", "1000000" (bytes). Binary multiples, as
 * formatBytes prints them. Returns undefined for anything else (negative, empty, unknown unit).
 */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const multiple = sizeSuffixes[match[2]!.toLowerCase()];
  if (multiple === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * multiple);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
