import { AppError } from '../../contract/errors.js';
import { NumpyRandomState } from './numpyRandomState.js';

/**
 * Stratified group k-fold (the algorithm of scikit-learn's StratifiedGroupKFold): every
 * group (a patient) lands in exactly one fold, and groups are placed, largest class-spread
 * first, into the fold that keeps the class proportions most even across folds (ties: the
 * fold with fewer samples, then the lower fold index).
 *
 * Shuffling (`seed` given) draws numpy's `RandomState(seed)` permutation of the groups with
 * our own MT19937, so the same integer seed gives the same folds as Python:
 * - `shuffle: 'grouped'` (the default with a seed): the groups are visited in that shuffled
 *   order (it breaks ties between groups of equal class spread) and keep their own class
 *   counts. This is the corrected behaviour described in scikit-learn PR #32540 (issue #32478).
 * - `shuffle: 'sklearn-1.2.1'`: bug-for-bug scikit-learn 1.2.1 (and up to that fix): the class
 *   counts are shuffled but the fold membership is recorded under the unshuffled group
 *   positions, so each group is placed using another group's counts. Folds stay disjoint by
 *   patient but are not stratified; use this only to reproduce published sklearn folds.
 * Without a seed the folds equal sklearn 1.2.1's with shuffle=False exactly.
 */
export interface FoldAssignment {
  /** fold index per sample, in input order */
  foldOfSample: number[];
  /** sample indices per fold, ascending */
  testIndices: number[][];
  /** class counts per fold: [fold][class] in sorted class order (the real counts of the samples in the fold) */
  classCounts: number[][];
  classes: Array<string | number>;
  /** distinct groups (patients) per fold */
  groupsPerFold: number[];
  shuffle: 'none' | 'grouped' | 'sklearn-1.2.1';
  seed: number | null;
}

export interface FoldOptions {
  /** numpy RandomState seed, an integer in 0..2^32-1; omit for no shuffling */
  seed?: number;
  shuffle?: 'grouped' | 'sklearn-1.2.1';
}

function compareLabels(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** numpy.unique(values, return_inverse=True): sorted distinct values and each value's position among them. */
function uniqueInverse<T extends string | number>(values: readonly T[]): { unique: T[]; inverse: number[] } {
  const unique = [...new Set(values)].sort(compareLabels);
  const index = new Map(unique.map((v, i) => [v, i]));
  return { unique, inverse: values.map((v) => index.get(v)!) };
}

/** Population standard deviation (numpy's default ddof=0), summing in order as numpy does for short rows. */
function std(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) {
    const d = v - mean;
    squares += d * d;
  }
  return Math.sqrt(squares / values.length);
}

/** numpy.isclose with its defaults (rtol 1e-5, atol 1e-8); infinities are close only to themselves. */
function isClose(a: number, b: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

function validate(labels: readonly unknown[], groups: readonly unknown[], folds: number): void {
  if (labels.length !== groups.length) throw new AppError('STUDY_INVALID', `every case needs both a label and a patient (${labels.length} labels, ${groups.length} patients)`);
  if (!Number.isInteger(folds) || folds < 2) throw new AppError('STUDY_INVALID', `the number of folds must be a whole number of 2 or more, not ${folds}`);
  if (labels.length < folds) throw new AppError('STUDY_INVALID', `${folds} folds need at least ${folds} cases, but there are ${labels.length}`);
}

export function stratifiedGroupKFold<L extends string | number, G extends string | number>(
  labels: readonly L[],
  groups: readonly G[],
  folds: number,
  seedOrOptions?: number | FoldOptions,
): FoldAssignment {
  const options: FoldOptions = typeof seedOrOptions === 'number' ? { seed: seedOrOptions } : (seedOrOptions ?? {});
  validate(labels, groups, folds);
  const { unique: classes, inverse: yInv } = uniqueInverse(labels);
  const yCnt = classes.map(() => 0);
  for (const c of yInv) yCnt[c]! += 1;
  if (yCnt.every((count) => folds > count)) {
    throw new AppError('STUDY_INVALID', `${folds} folds need at least ${folds} cases in some class, but the classes have ${yCnt.join(' and ')}`);
  }
  const { unique: groupLabels, inverse: gInv } = uniqueInverse(groups);
  if (groupLabels.length < folds) throw new AppError('STUDY_INVALID', `${folds} folds need at least ${folds} patients, but there are ${groupLabels.length}`);
  const countsPerGroup = groupLabels.map(() => new Array<number>(classes.length).fill(0));
  yInv.forEach((c, i) => (countsPerGroup[gInv[i]!]![c]! += 1));

  // rows[k] holds the class counts visited at position k; owner[k] is the group recorded for it.
  let rows = countsPerGroup;
  let owner = groupLabels.map((_, g) => g);
  let shuffle: FoldAssignment['shuffle'] = 'none';
  if (options.seed !== undefined) {
    const seed = options.seed;
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new AppError('STUDY_INVALID', `the fold seed must be a whole number from 0 to 4294967295, not ${seed}`);
    shuffle = options.shuffle ?? 'grouped';
    const permutation = new NumpyRandomState(seed).permutation(groupLabels.length);
    rows = permutation.map((g) => countsPerGroup[g]!);
    // sklearn 1.2.1 keeps recording the unshuffled position; the corrected version records the group itself.
    if (shuffle === 'grouped') owner = permutation;
  }

  // stable (merge) sort by decreasing spread of the class counts, as np.argsort(-std, kind="mergesort")
  const order = rows.map((row, k) => ({ k, key: -std(row) })).sort((a, b) => a.key - b.key || a.k - b.k).map((x) => x.k);

  const countsPerFold = Array.from({ length: folds }, () => new Array<number>(classes.length).fill(0));
  const foldOfGroup = new Array<number>(groupLabels.length).fill(-1);
  for (const k of order) {
    const groupCounts = rows[k]!;
    let best = -1;
    let minEval = Infinity;
    let minSamples = Infinity;
    for (let f = 0; f < folds; f++) {
      const fold = countsPerFold[f]!;
      groupCounts.forEach((v, c) => (fold[c]! += v));
      let evaluation = 0;
      for (let c = 0; c < classes.length; c++) evaluation += std(countsPerFold.map((row) => row[c]! / yCnt[c]!));
      evaluation /= classes.length;
      groupCounts.forEach((v, c) => (fold[c]! -= v));
      let samples = 0;
      for (const v of fold) samples += v;
      if (evaluation < minEval || (isClose(evaluation, minEval) && samples < minSamples)) {
        minEval = evaluation;
        minSamples = samples;
        best = f;
      }
    }
    groupCounts.forEach((v, c) => (countsPerFold[best]![c]! += v));
    foldOfGroup[owner[k]!] = best;
  }
  const foldOfSample = gInv.map((g) => foldOfGroup[g]!);
  const testIndices = Array.from({ length: folds }, (_, f) => foldOfSample.flatMap((x, i) => (x === f ? [i] : [])));
  const classCounts = Array.from({ length: folds }, () => new Array<number>(classes.length).fill(0));
  foldOfSample.forEach((f, i) => (classCounts[f]![yInv[i]!]! += 1));
  const groupsPerFold = Array.from({ length: folds }, () => 0);
  foldOfGroup.forEach((f) => (groupsPerFold[f]! += 1));
  return { foldOfSample, testIndices, classCounts, classes, groupsPerFold, shuffle, seed: options.seed ?? null };
}
