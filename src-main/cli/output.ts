/** Plain-text rendering for the command line: aligned tables and a progress bar. */

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  align?: 'left' | 'right';
}

export function formatTable<T>(rows: T[], columns: Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => {
    const v = c.value(row);
    return v === null || v === undefined ? '' : String(v);
  }));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values.map((v, i) => (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export function progressBar(fraction: number, width = 28): string {
  const clamped = Math.max(0, Math.min(1, fraction));
  const filled = Math.round(clamped * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(clamped * 100).toFixed(0).padStart(3)}%`;
}

export { formatBytes, formatDuration } from '../domain/units.js';

/** Writes progress to stderr: a redrawn bar on a terminal, a line every 10% otherwise. */
export class ProgressReporter {
  private lastDecile = -1;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}
  update(label: string, fraction: number, message = ''): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r${label} ${progressBar(fraction)} ${message}`.slice(0, (this.stream.columns ?? 100) - 1).padEnd(Math.min(99, (this.stream.columns ?? 100) - 1)));
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile !== this.lastDecile) {
        this.lastDecile = decile;
        this.stream.write(`${label} ${progressBar(fraction)} ${message}\n`);
      }
    }
  }
  done(): void {
    if (this.stream.isTTY) this.stream.write('\n');
    this.lastDecile = -1;
  }
}
