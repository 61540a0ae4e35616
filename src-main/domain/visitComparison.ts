import { sagittalFive, type GaitSummary, type MeasureName, type MeasureSummary } from '../contract/measurements.js';

/**
 * Two visits side by side: where their clocks meet (the alignment), their measures in one
 * table with the difference, and a patient's measures over visits (the trend). Times are
 * seconds of each original; foot contacts are frames of the 30 fps timeline stage 1 made.
 */

export const timelineFps = 30;

/** Where the two videos are lined up: both starts, the first foot contact of one side, or a moment picked in each. */
export type AlignPoint = { kind: 'start' } | { kind: 'firstContact'; side: 'left' | 'right' } | { kind: 'picked'; timeA: number; timeB: number };

export interface Alignment {
  /** Seconds to add to video A's time to get video B's: B shows `timeA + offsetSec`. */
  offsetSec: number;
  /** Why the asked alignment could not be used (the starts are lined up instead), or null. */
  problem: string | null;
}

/** The first foot contact of `side`, in seconds of the original, or null when the measures found none. */
export function firstContactSec(gait: GaitSummary | null | undefined, side: 'left' | 'right'): number | null {
  const frames = (gait?.footContacts ?? []).filter((c) => c.side === side).map((c) => c.frame);
  return frames.length === 0 ? null : Math.min(...frames) / timelineFps;
}

export function alignmentOf(point: AlignPoint, gaitA: GaitSummary | null | undefined, gaitB: GaitSummary | null | undefined): Alignment {
  if (point.kind === 'start') return { offsetSec: 0, problem: null };
  if (point.kind === 'picked') return { offsetSec: point.timeB - point.timeA, problem: null };
  const a = firstContactSec(gaitA, point.side);
  const b = firstContactSec(gaitB, point.side);
  if (a === null || b === null) {
    const which = a === null && b === null ? 'either video' : a === null ? 'the first video' : 'the second video';
    return { offsetSec: 0, problem: `no ${point.side} foot contact was found in ${which}` };
  }
  return { offsetSec: b - a, problem: null };
}

/**
 * The time B shows when A shows `timeA`, kept inside B (null: B has not started yet or has
 * ended, so it waits at its first or last frame).
 */
export function followerTime(timeA: number, offsetSec: number, durationB: number): { time: number; inside: boolean } {
  const t = timeA + offsetSec;
  if (t < 0) return { time: 0, inside: false };
  if (t > durationB) return { time: durationB, inside: false };
  return { time: t, inside: true };
}

export type SagittalMeasure = (typeof sagittalFive)[number];

export interface ComparedMeasure {
  measure: SagittalMeasure | 'cadence';
  a: number | null;
  b: number | null;
  /** b − a, or null when either is missing. */
  difference: number | null;
}

/** The five sagittal measures and the cadence of two visits, with the later minus the earlier. */
export function compareMeasures(a: { summary: MeasureSummary; gait: GaitSummary } | null, b: { summary: MeasureSummary; gait: GaitSummary } | null): ComparedMeasure[] {
  const row = (measure: ComparedMeasure['measure'], x: number | null, y: number | null): ComparedMeasure => ({ measure, a: x, b: y, difference: x === null || y === null ? null : y - x });
  const rows = sagittalFive.map((m) => row(m, a?.summary.measures[m]?.mean ?? null, b?.summary.measures[m]?.mean ?? null));
  rows.push(row('cadence', a?.gait.cadence ?? null, b?.gait.cadence ?? null));
  return rows;
}

export interface TrendPoint {
  day: string;
  mean: number;
}

/**
 * One measure over a patient's visits, oldest first: per visit day the mean over its measured
 * videos' segment means (each video weighted by its segments, as the patient summary weights them).
 */
export function measureTrend(videos: ReadonlyArray<{ day: string | null; summary: MeasureSummary | null }>, measure: MeasureName): TrendPoint[] {
  const byDay = new Map<string, { sum: number; weight: number }>();
  for (const v of videos) {
    const m = v.summary?.measures[measure];
    if (!v.day || !m || m.segments <= 0) continue;
    const acc = byDay.get(v.day) ?? { sum: 0, weight: 0 };
    acc.sum += m.mean * m.segments;
    acc.weight += m.segments;
    byDay.set(v.day, acc);
  }
  return [...byDay.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([day, acc]) => ({ day, mean: acc.sum / acc.weight }));
}
