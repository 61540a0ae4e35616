import { AppError } from '../../contract/errors.js';
import type { DesignMatrix } from './logisticProblem.js';

/**
 * Feature standardisation as scikit-learn's StandardScaler: subtract each column's mean and
 * divide by its population standard deviation (ddof 0). A column that is constant (its
 * variance no larger than rounding, by sklearn's own test) keeps scale 1, so it becomes 0
 * rather than a division by zero. Fitted on training rows only; the same numbers are stored
 * with the model so a new patient's segments are standardised exactly as training's were.
 */
export interface Standardisation {
  mean: number[];
  scale: number[];
}

export function fitStandardiser(rows: readonly (readonly number[])[]): Standardisation {
  const n = rows.length;
  if (n === 0) throw new AppError('STATS_INVALID', 'standardising needs at least one row, but there are none');
  const p = rows[0]!.length;
  const mean = new Array<number>(p).fill(0);
  for (const row of rows) {
    if (row.length !== p) throw new AppError('STATS_INVALID', `every row needs the same number of values (${p}), but one has ${row.length}`);
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(row[j])) throw new AppError('STATS_INVALID', `a value in column ${j + 1} is not a finite number (${row[j]})`);
      mean[j]! += row[j]!;
    }
  }
  for (let j = 0; j < p; j++) mean[j]! /= n;
  const scale = mean.map((m, j) => {
    // two passes with the correction term, as sklearn's _incremental_mean_and_var
    let squares = 0;
    let correction = 0;
    for (const row of rows) {
      const dev = row[j]! - m;
      squares += dev * dev;
      correction += dev;
    }
    const variance = (squares - (correction * correction) / n) / n;
    // sklearn: a variance within the rounding bound of its computation counts as constant
    const bound = n * Number.EPSILON * variance + (n * m * Number.EPSILON) ** 2;
    return variance <= bound ? 1 : Math.sqrt(variance);
  });
  return { mean, scale };
}

export function standardise(s: Standardisation, row: readonly number[]): number[] {
  if (row.length !== s.mean.length) throw new AppError('STATS_INVALID', `a row has ${row.length} values but the standardisation has ${s.mean.length}`);
  return row.map((v, j) => (v - s.mean[j]!) / s.scale[j]!);
}

/** The rows standardised straight into a row-major design matrix (the same values as `standardise` row by row). */
export function standardisedDesign(s: Standardisation, rows: readonly (readonly number[])[]): DesignMatrix {
  const p = s.mean.length;
  const values = new Float64Array(rows.length * p);
  rows.forEach((row, i) => {
    if (row.length !== p) throw new AppError('STATS_INVALID', `a row has ${row.length} values but the standardisation has ${p}`);
    const base = i * p;
    for (let j = 0; j < p; j++) values[base + j] = (row[j]! - s.mean[j]!) / s.scale[j]!;
  });
  return { rows: rows.length, columns: p, values };
}
