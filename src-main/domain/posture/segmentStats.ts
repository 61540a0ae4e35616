import { measureInfo, type MeasureName, type MeasureStat } from '../../contract/measurements.js';
import { frameMeasureNames, type FrameMeasureName } from './frameMeasures.js';

/**
 * A segment's statistics from its frames' values:
 *
 * - a per-frame measure: mean, sample SD, min, max and n over the frames where it was measured,
 *   given only when measured on at least half the segment's frames (a note says so otherwise);
 * - `maxHipFlexion` and `hipRange`: each side's largest hip flexion and its max - min, over
 *   the sides seen (a side is seen when its hip flexion is given by the rule above); the stat
 *   is over those one or two values (mean = the mean of the sides seen, n = the sides);
 * - `kneeRangeLeft` / `kneeRangeRight`: max - min of that side's knee flexion when given (n = 1).
 *
 * SD is the sample SD (n - 1); with one value it is 0, there being no spread to show.
 */

export const minMeasuredShare = 0.5;

export function stat(values: readonly number[]): MeasureStat | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { mean, sd, min, max, n };
}

export interface SegmentMeasures {
  stats: Partial<Record<MeasureName, MeasureStat>>;
  notes: string[];
}

/** Statistics of one segment from its per-frame values (nulls: not measured), `segmentFrames` long. */
export function segmentMeasures(values: Record<FrameMeasureName, ReadonlyArray<number | null>>, segmentFrames: number): SegmentMeasures {
  const stats: Partial<Record<MeasureName, MeasureStat>> = {};
  const notes: string[] = [];
  const seen: Partial<Record<FrameMeasureName, number[]>> = {};
  for (const name of frameMeasureNames) {
    const v = values[name].filter((x): x is number => x !== null);
    if (v.length === 0) {
      notes.push(`${measureInfo[name].label}: not measurable on any frame (its keypoints were not confident)`);
    } else if (v.length < minMeasuredShare * segmentFrames) {
      notes.push(`${measureInfo[name].label}: measurable on ${v.length} of ${segmentFrames} frames (fewer than half): not given`);
    } else {
      stats[name] = stat(v)!;
      seen[name] = v;
    }
  }
  const sides = [seen.hipFlexionLeft, seen.hipFlexionRight].filter((v): v is number[] => v !== undefined);
  if (sides.length > 0) {
    stats.maxHipFlexion = stat(sides.map((v) => maxOf(v)))!;
    stats.hipRange = stat(sides.map((v) => maxOf(v) - minOf(v)))!;
  } else {
    notes.push('Maximum hip flexion and hip range: neither hip seen on half the frames: not given');
  }
  for (const [side, name] of [['Left', 'kneeFlexionLeft'], ['Right', 'kneeFlexionRight']] as const) {
    const v = seen[name];
    if (v) stats[`kneeRange${side}`] = stat([maxOf(v) - minOf(v)])!;
  }
  return { stats, notes };
}

function maxOf(v: readonly number[]): number {
  return v.reduce((m, x) => (x > m ? x : m), -Infinity);
}

function minOf(v: readonly number[]): number {
  return v.reduce((m, x) => (x < m ? x : m), Infinity);
}
