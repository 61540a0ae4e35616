import { AppError } from '../../contract/errors.js';
import { seededShuffle } from '../studies/seededOrder.js';

/**
 * Stratified group k-fold (the algorithm of scikit-learn's StratifiedGroupKFold): every
 * group (a patient) lands in exactly one fold, and groups are placed, largest class-spread
 * first, into the fold that keeps the class proportions most even across folds.
 *
 * With `seed` undefined the group order is sklearn's (sorted group labels) and the folds
 * equal sklearn 1.2.1's with shuffle=False exactly. With a seed, groups are first put in a
 * seeded random order. (sklearn 1.2.1's shuffle=True permutes the class counts without their
 * group labels, so its shuffled folds are not reproduced; ours keep each group's counts.)
 */
export interface FoldAssignment {
  /** fold index per sample, in input order */
  foldOfSample: number[];
  /** sample indices per fold, ascending */
  testIndices: number[][];
  /** class counts per fold: [fold][class] in sorted class order */
  classCounts: number[][];
  classes: Array<string | number>;
}

function compareLabels(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function uniqueInverse<T extends string | number>(values: readonly T[]): { unique: T[]; inverse: number[] } {
  const unique = [...new Set(values)].sort(compareLabels);
  const index = new Map(unique.map((v, i) => [v, i]));
  return { unique, inverse: values.map((v) => index.get(v)!) };
}

/** Population standard deviation (numpy's default ddof=0). */
function std(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

const isClose = (a: number, b: number) => Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);

export function stratifiedGroupKFold<L extends string | number, G extends string | number>(
  labels: readonly L[],
  groups: readonly G[],
  folds: number,
  seed?: number,
): FoldAssignment {
  if (labels.length !== groups.length) throw new AppError('STUDY_INVALID', 'every case needs both a label and a patient');
  if (!Number.isInteger(folds) || folds < 2) throw new AppError('STUDY_INVALID', `the number of folds must be 2 or more, not ${folds}`);
  const { unique: classes, inverse: yInv } = uniqueInverse(labels);
  const yCnt = classes.map((_, c) => yInv.filter((v) => v === c).length);
  if (yCnt.every((count) => folds > count)) {
    throw new AppError('STUDY_INVALID', `${folds} folds need at least ${folds} cases in some class, but the classes have ${yCnt.join(' and ')}`);
  }
  const { unique: groupLabels, inverse: gInv } = uniqueInverse(groups);
  if (groupLabels.length < folds) throw new AppError('STUDY_INVALID', `${folds} folds need at least ${folds} patients, but there are ${groupLabels.length}`);
  const countsPerGroup = groupLabels.map(() => new Array<number>(classes.length).fill(0));
  yInv.forEach((c, i) => (countsPerGroup[gInv[i]!]![c]! += 1));

  let groupOrder = groupLabels.map((_, g) => g);
  if (seed !== undefined) groupOrder = seededShuffle(groupOrder, seed);
  // stable sort by decreasing spread of the group's class counts
  const spread = groupOrder.map((g) => -std(countsPerGroup[g]!));
  const sorted = groupOrder.map((g, i) => ({ g, key: spread[i]!, i })).sort((a, b) => a.key - b.key || a.i - b.i).map((x) => x.g);

  const countsPerFold = Array.from({ length: folds }, () => new Array<number>(classes.length).fill(0));
  const foldOfGroup = new Array<number>(groupLabels.length).fill(-1);
  for (const g of sorted) {
    const groupCounts = countsPerGroup[g]!;
    let best = -1;
    let minEval = Infinity;
    let minSamples = Infinity;
    for (let f = 0; f < folds; f++) {
      const fold = countsPerFold[f]!;
      groupCounts.forEach((v, c) => (fold[c]! += v));
      const stdPerClass = classes.map((_, c) => std(countsPerFold.map((row) => row[c]! / yCnt[c]!)));
      groupCounts.forEach((v, c) => (fold[c]! -= v));
      const evaluation = stdPerClass.reduce((s, v) => s + v, 0) / stdPerClass.length;
      const samples = fold.reduce((s, v) => s + v, 0);
      if (evaluation < minEval || (isClose(evaluation, minEval) && samples < minSamples)) {
        minEval = evaluation;
        minSamples = samples;
        best = f;
      }
    }
    groupCounts.forEach((v, c) => (countsPerFold[best]![c]! += v));
    foldOfGroup[g] = best;
  }
  const foldOfSample = gInv.map((g) => foldOfGroup[g]!);
  const testIndices = Array.from({ length: folds }, (_, f) => foldOfSample.flatMap((x, i) => (x === f ? [i] : [])));
  return { foldOfSample, testIndices, classCounts: countsPerFold, classes };
}
