import { AppError } from '../../contract/errors.js';
import type { MrmcChiSquareTest, MrmcCovarianceMethod, MrmcDifference, MrmcFTest, MrmcResult } from '../../contract/mrmc.js';
import type { Binary } from './confusionMatrix.js';
import { placements, type Placements } from './deLong.js';
import { chiSquareUpper, fUpper, studentTQuantile, twoSidedTP } from './distributions.js';
import type { LongFormatRow } from './longFormatCsv.js';
import { normalQuantile, twoSidedNormalP } from './normal.js';

/**
 * Obuchowski-Rockette (1995) analysis of a multi-reader multi-case study, as the Iowa OR-DBM
 * MRMC program and RJafroc do it: each reader's AUC in each modality (Mann-Whitney, higher
 * scores mean disease, ties 1/2), the covariances of those AUC estimates over cases (case
 * jackknife by default, or DeLong), the ANOVA of the AUCs, and tests of equal reader-averaged
 * AUCs for random readers and random cases (Hillis 2007 degrees of freedom; the primary
 * analysis), fixed readers, and fixed cases. The design must be fully crossed: every reader
 * scores every case in every modality. Modalities, readers and cases keep the order in which
 * they first appear in the rows; differences are earlier modality minus later modality.
 *
 * References: Obuchowski & Rockette, Commun Stat Simul Comput 1995; Hillis, Stat Med 2007
 * ("A comparison of denominator degrees of freedom methods for multiple observer ROC
 * analysis"); Hillis, Obuchowski & Berbaum, Acad Radiol 2008 (formulas for all three analyses).
 */
export type MrmcRating = Pick<LongFormatRow, 'reader' | 'caseId' | 'modality' | 'score' | 'truth'>;

export interface MrmcOptions {
  /** How the covariances of the AUC estimates are estimated; jackknife (the default) reproduces OR-DBM MRMC. */
  covariance?: MrmcCovarianceMethod;
  /** Confidence level of every interval, 0.95 unless given. */
  level?: number;
}

/** A fully crossed design: scores[i][j][k] is reader j's score of case k in modality i. */
export interface CrossedDesign {
  modalities: string[];
  readers: string[];
  caseIds: string[];
  truth: Binary[];
  scores: number[][][];
}

const MAX_LISTED = 5;

const listSome = (items: readonly string[]) => (items.length <= MAX_LISTED ? items.join(', ') : `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more`);

function indexOrder(values: Iterable<string>): Map<string, number> {
  const index = new Map<string, number>();
  for (const v of values) if (!index.has(v)) index.set(v, index.size);
  return index;
}

function caseTruths(rows: readonly MrmcRating[], caseIndex: Map<string, number>): Binary[] {
  const truth: Array<Binary | undefined> = new Array<Binary | undefined>(caseIndex.size);
  for (const row of rows) {
    if (row.truth !== 0 && row.truth !== 1) throw new AppError('STATS_INVALID', `case ${row.caseId} has truth ${String(row.truth)}, not 0 or 1`);
    const k = caseIndex.get(row.caseId)!;
    const known = truth[k];
    if (known !== undefined && known !== row.truth) throw new AppError('STATS_INVALID', `case ${row.caseId} has truth ${known} in one row and ${row.truth} in another`);
    truth[k] = row.truth;
  }
  return truth as Binary[];
}

/** One sentence per reader x modality that lacks scores, naming the cases (or the whole modality). */
function missingCells(design: Omit<CrossedDesign, 'truth'>, filled: boolean[][][]): string[] {
  const gaps: string[] = [];
  design.modalities.forEach((modality, i) =>
    design.readers.forEach((reader, j) => {
      const missing = design.caseIds.filter((_, k) => !filled[i]![j]![k]);
      if (missing.length === design.caseIds.length) gaps.push(`reader ${reader} has no scores in modality ${modality}`);
      else if (missing.length > 0) gaps.push(`reader ${reader} in modality ${modality} has no score for ${missing.length} of ${design.caseIds.length} cases (${listSome(missing)})`);
    }),
  );
  return gaps;
}

/**
 * Arranges long-format ratings as a fully crossed design. Throws STATS_INVALID naming every
 * reader x modality that lacks cases (and which cases), a repeated rating, or a case whose
 * truth differs between rows.
 */
export function crossedDesign(rows: readonly MrmcRating[]): CrossedDesign {
  if (rows.length === 0) throw new AppError('STATS_INVALID', 'MRMC needs ratings, but there are none');
  const modalityIndex = indexOrder(rows.map((r) => r.modality));
  const readerIndex = indexOrder(rows.map((r) => r.reader));
  const caseIndex = indexOrder(rows.map((r) => r.caseId));
  const [t, r, c] = [modalityIndex.size, readerIndex.size, caseIndex.size];
  const truth = caseTruths(rows, caseIndex);
  const scores = Array.from({ length: t }, () => Array.from({ length: r }, () => new Array<number>(c).fill(0)));
  const filled = Array.from({ length: t }, () => Array.from({ length: r }, () => new Array<boolean>(c).fill(false)));
  for (const row of rows) {
    const [i, j, k] = [modalityIndex.get(row.modality)!, readerIndex.get(row.reader)!, caseIndex.get(row.caseId)!];
    if (!Number.isFinite(row.score)) throw new AppError('STATS_INVALID', `reader ${row.reader}'s score of case ${row.caseId} in modality ${row.modality} is not a finite number`);
    if (filled[i]![j]![k]) throw new AppError('STATS_INVALID', `reader ${row.reader} scored case ${row.caseId} twice in modality ${row.modality}`);
    filled[i]![j]![k] = true;
    scores[i]![j]![k] = row.score;
  }
  const design = { modalities: [...modalityIndex.keys()], readers: [...readerIndex.keys()], caseIds: [...caseIndex.keys()], scores };
  const gaps = missingCells(design, filled);
  if (gaps.length > 0) {
    const shown = gaps.slice(0, MAX_LISTED).join('; ');
    const more = gaps.length > MAX_LISTED ? `; and ${gaps.length - MAX_LISTED} more reader x modality combinations` : '';
    throw new AppError('STATS_INVALID', `the design is not fully crossed (MRMC needs every reader to score every case in every modality): ${shown}${more}`);
  }
  return { ...design, truth };
}

function requireTwoPerClass(truth: readonly Binary[]): { positives: number; negatives: number } {
  const positives = truth.filter((x) => x === 1).length;
  const negatives = truth.length - positives;
  if (positives === 0 || negatives === 0) throw new AppError('STATS_INVALID', `every case has truth ${positives === 0 ? 0 : 1}, so no AUC can be computed; MRMC needs cases with and without disease`);
  if (positives < 2 || negatives < 2) throw new AppError('STATS_INVALID', `the covariances of the AUCs need at least 2 cases with disease and 2 without (there are ${positives} and ${negatives})`);
  return { positives, negatives };
}

/**
 * The leave-one-case-out AUCs from the placement values: without positive k the AUC is
 * (m AUC - V10_k) / (m - 1), without negative k it is (n AUC - V01_k) / (n - 1).
 */
function leaveOneOutAucs(p: Placements, truth: readonly Binary[]): number[] {
  const [m, n] = [p.positives.length, p.negatives.length];
  let [nextPositive, nextNegative] = [0, 0];
  return truth.map((t) => (t === 1 ? (m * p.auc - p.positives[nextPositive++]!) / (m - 1) : (n * p.auc - p.negatives[nextNegative++]!) / (n - 1)));
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

/** Sum of products of deviations from the means. */
function crossDeviations(a: readonly number[], b: readonly number[]): number {
  const [ma, mb] = [mean(a), mean(b)];
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += (a[k]! - ma) * (b[k]! - mb);
  return sum;
}

/** Case jackknife covariances, OR-DBM's convention: (c-1)/c times the sum over all c cases. */
export function jackknifeCovariances(all: readonly Placements[], truth: readonly Binary[]): number[][] {
  const pseudo = all.map((p) => leaveOneOutAucs(p, truth));
  const c = truth.length;
  return pseudo.map((a) => pseudo.map((b) => ((c - 1) / c) * crossDeviations(a, b)));
}

/** DeLong covariances: Cov(V10_a, V10_b) / m + Cov(V01_a, V01_b) / n with sample covariances (pROC's cov(roc1, roc2)). */
export function deLongCovariances(all: readonly Placements[]): number[][] {
  return all.map((a) =>
    all.map((b) => crossDeviations(a.positives, b.positives) / (a.positives.length - 1) / a.positives.length + crossDeviations(a.negatives, b.negatives) / (a.negatives.length - 1) / a.negatives.length),
  );
}

interface OrCovariances {
  varError: number;
  cov1: number | null;
  cov2: number | null;
  cov3: number | null;
}

/** Averages the matching entries of the covariance matrix, keys in modality-major order (index i * r + j). */
function orCovariances(matrix: readonly number[][], t: number, r: number): OrCovariances {
  type Kind = keyof OrCovariances;
  const sums: Record<Kind, { sum: number; count: number }> = { varError: { sum: 0, count: 0 }, cov1: { sum: 0, count: 0 }, cov2: { sum: 0, count: 0 }, cov3: { sum: 0, count: 0 } };
  for (let a = 0; a < t * r; a++) {
    for (let b = 0; b < t * r; b++) {
      const sameModality = Math.floor(a / r) === Math.floor(b / r);
      const sameReader = a % r === b % r;
      const kind: Kind = sameModality && sameReader ? 'varError' : sameReader ? 'cov1' : sameModality ? 'cov2' : 'cov3';
      sums[kind].sum += matrix[a]![b]!;
      sums[kind].count += 1;
    }
  }
  const average = ({ sum, count }: { sum: number; count: number }) => (count > 0 ? sum / count : null);
  return { varError: average(sums.varError)!, cov1: average(sums.cov1), cov2: average(sums.cov2), cov3: average(sums.cov3) };
}

interface Anova {
  msT: number | null;
  msR: number | null;
  msTR: number | null;
}

/** Mean squares of the modality x reader ANOVA of the AUCs (one observation per cell). */
function anovaOfAucs(aucs: readonly number[][]): Anova {
  const [t, r] = [aucs.length, aucs[0]!.length];
  const modalityMeans = aucs.map(mean);
  const readerMeans = aucs[0]!.map((_, j) => mean(aucs.map((row) => row[j]!)));
  const grand = mean(modalityMeans);
  const sumSq = (values: readonly number[]) => values.reduce((s, v) => s + (v - grand) ** 2, 0);
  let interaction = 0;
  aucs.forEach((row, i) => row.forEach((x, j) => (interaction += (x - modalityMeans[i]! - readerMeans[j]! + grand) ** 2)));
  return {
    msT: t > 1 ? (r * sumSq(modalityMeans)) / (t - 1) : null,
    msR: r > 1 ? (t * sumSq(readerMeans)) / (r - 1) : null,
    msTR: t > 1 && r > 1 ? interaction / ((t - 1) * (r - 1)) : null,
  };
}

/** A difference with its test and interval: t on `df` degrees of freedom, or normal when df is null. */
function differenceOf(modalityA: string, modalityB: string, difference: number, stdErr: number, df: number | null, level: number): MrmcDifference {
  const critical = df === null ? normalQuantile(1 - (1 - level) / 2) : studentTQuantile(1 - (1 - level) / 2, df);
  const half = critical * stdErr;
  const base = { modalityA, modalityB, difference, stdErr, df, lower: difference - half, upper: difference + half };
  if (stdErr === 0) return { ...base, statistic: difference === 0 ? 0 : null, p: difference === 0 ? 1 : null };
  const statistic = difference / stdErr;
  return { ...base, statistic, p: df === null ? twoSidedNormalP(statistic) : twoSidedTP(statistic, df) };
}

/** Every pair of modalities (earlier minus later) of the reader-averaged AUCs, with one standard error. */
function pairwise(modalities: readonly string[], averages: readonly number[], stdErr: number, df: number | null, level: number): MrmcDifference[] {
  const out: MrmcDifference[] = [];
  for (let a = 0; a < modalities.length; a++) {
    for (let b = a + 1; b < modalities.length; b++) out.push(differenceOf(modalities[a]!, modalities[b]!, averages[a]! - averages[b]!, stdErr, df, level));
  }
  return out;
}

/** ddf = (numerator)^2 / (MS^2 / dfOfMs); null when MS = 0 (infinite). */
const satterthwaiteDf = (numerator: number, ms: number, dfOfMs: number) => (ms > 0 ? numerator ** 2 / (ms ** 2 / dfOfMs) : null);

interface Inputs {
  modalities: string[];
  averages: number[];
  r: number;
  anova: Anova;
  cov: OrCovariances;
  level: number;
  notes: string[];
}

/** Random readers, random cases: F = MS(T) / (MS(T*R) + r max(Cov2 - Cov3, 0)), Hillis' ddf. */
function randomReadersRandomCases({ modalities, averages, r, anova, cov, level, notes }: Inputs): MrmcFTest | null {
  if (anova.msT === null || anova.msTR === null || cov.cov2 === null || cov.cov3 === null) return null;
  const t = modalities.length;
  if (cov.cov2 < cov.cov3) notes.push(`random readers and cases: Cov2 - Cov3 is negative (${(cov.cov2 - cov.cov3).toExponential(3)}) and is set to 0, as Hillis (2007) prescribes`);
  const denominator = anova.msTR + r * Math.max(cov.cov2 - cov.cov3, 0);
  if (!(denominator > 0)) {
    notes.push('random readers and cases: MS(T*R) + r max(Cov2 - Cov3, 0) is 0 (the modality differences vary neither between readers nor over cases, as with identical modalities), so F is not defined');
    return null;
  }
  const ddf = satterthwaiteDf(denominator, anova.msTR, (t - 1) * (r - 1));
  if (ddf === null) notes.push('random readers and cases: MS(T*R) is 0, so Hillis\' ddf is infinite: the p-value uses chi-square and the intervals the normal distribution');
  const f = anova.msT / denominator;
  return { f, ndf: t - 1, ddf, p: fUpper(f, t - 1, ddf ?? Infinity), denominator, differences: pairwise(modalities, averages, Math.sqrt((2 * denominator) / r), ddf, level) };
}

/** Fixed readers, random cases: X2 = (t-1) MS(T) / (Var - Cov1 + (r-1) max(Cov2 - Cov3, 0)) on t-1 df. */
function fixedReadersRandomCases({ modalities, averages, r, anova, cov, level, notes }: Inputs): MrmcChiSquareTest | null {
  if (anova.msT === null || cov.cov1 === null) return null;
  const t = modalities.length;
  const denominator = cov.varError - cov.cov1 + (r - 1) * Math.max((cov.cov2 ?? 0) - (cov.cov3 ?? 0), 0);
  if (!(denominator > 0)) {
    notes.push('fixed readers: Var - Cov1 + (r-1) max(Cov2 - Cov3, 0) is not positive (the modality differences do not vary over cases), so the chi-square statistic is not defined');
    return null;
  }
  const chiSquare = ((t - 1) * anova.msT) / denominator;
  return { chiSquare, df: t - 1, p: chiSquareUpper(chiSquare, t - 1), denominator, differences: pairwise(modalities, averages, Math.sqrt((2 * denominator) / r), null, level) };
}

/** Random readers, fixed cases: F = MS(T) / MS(T*R) on (t-1, (t-1)(r-1)) df. */
function randomReadersFixedCases({ modalities, averages, r, anova, level, notes }: Inputs): MrmcFTest | null {
  if (anova.msT === null || anova.msTR === null) return null;
  const t = modalities.length;
  if (!(anova.msTR > 0)) {
    notes.push('fixed cases: MS(T*R) is 0 (every reader shows the same difference between modalities), so F is not defined');
    return null;
  }
  const ddf = (t - 1) * (r - 1);
  const f = anova.msT / anova.msTR;
  return { f, ndf: t - 1, ddf, p: fUpper(f, t - 1, ddf), denominator: anova.msTR, differences: pairwise(modalities, averages, Math.sqrt((2 * anova.msTR) / r), ddf, level) };
}

/** Each modality's reader-averaged AUC, with SE sqrt((MS(R)_i + r max(Cov2_i, 0)) / r) and its own Hillis df. */
function singleModality(design: CrossedDesign, aucs: readonly number[][], matrix: readonly number[][], level: number, notes: string[]): MrmcResult['singleModality'] {
  const r = design.readers.length;
  return design.modalities.map((modality, i) => {
    const auc = mean(aucs[i]!);
    if (r < 2) return { modality, auc, msR: null, cov2: null, randomReadersRandomCases: null };
    const msR = aucs[i]!.reduce((s, x) => s + (x - auc) ** 2, 0) / (r - 1);
    let sum = 0;
    for (let j = 0; j < r; j++) for (let k = 0; k < r; k++) if (j !== k) sum += matrix[i * r + j]![i * r + k]!;
    const cov2 = sum / (r * (r - 1));
    const numerator = msR + r * Math.max(cov2, 0);
    const stdErr = Math.sqrt(numerator / r);
    const df = satterthwaiteDf(numerator, msR, r - 1);
    if (df === null) notes.push(`modality ${modality}: every reader has the same AUC, so the interval's df is infinite and it uses the normal distribution`);
    const half = (df === null ? normalQuantile(1 - (1 - level) / 2) : studentTQuantile(1 - (1 - level) / 2, df)) * stdErr;
    return { modality, auc, msR, cov2, randomReadersRandomCases: { stdErr, df, lower: auc - half, upper: auc + half } };
  });
}

/** Each reader's differences between modalities, SE sqrt(Var_A + Var_B - 2 Cov_AB), normal test. */
function singleReader(design: CrossedDesign, aucs: readonly number[][], matrix: readonly number[][], level: number, notes: string[]): MrmcResult['singleReader'] {
  const [t, r] = [design.modalities.length, design.readers.length];
  return design.readers.map((reader, j) => {
    const differences: MrmcDifference[] = [];
    for (let a = 0; a < t; a++) {
      for (let b = a + 1; b < t; b++) {
        const [ka, kb] = [a * r + j, b * r + j];
        const variance = matrix[ka]![ka]! + matrix[kb]![kb]! - 2 * matrix[ka]![kb]!;
        const d = differenceOf(design.modalities[a]!, design.modalities[b]!, aucs[a]![j]! - aucs[b]![j]!, Math.sqrt(Math.max(0, variance)), null, level);
        if (d.p === null) notes.push(`reader ${reader}, ${d.modalityA} vs ${d.modalityB}: the AUCs differ but the difference has zero variance, so there is no finite test statistic`);
        differences.push(d);
      }
    }
    return { reader, differences };
  });
}

function designNotes(t: number, r: number): string[] {
  const notes: string[] = [];
  if (t < 2) notes.push('there is one modality, so there is nothing to compare: only its reader-averaged AUC is reported');
  if (r < 2) notes.push('there is one reader, so reader variability cannot be estimated: the random-reader analyses are not computed (fixed readers and the single-reader differences are)');
  return notes;
}

/**
 * The full OR analysis of long-format ratings (see the file comment). Throws STATS_INVALID
 * when the design is not fully crossed (naming what is missing), when fewer than 2 cases of
 * either class exist, or when the level is not between 0 and 1.
 */
export function mrmcAnalysis(rows: readonly MrmcRating[], options: MrmcOptions = {}): MrmcResult {
  const covariance = options.covariance ?? 'jackknife';
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new AppError('STATS_INVALID', `the confidence level must be between 0 and 1, not ${level}`);
  const design = crossedDesign(rows);
  const { positives, negatives } = requireTwoPerClass(design.truth);
  const [t, r] = [design.modalities.length, design.readers.length];
  const cells = design.scores.flatMap((byReader) => byReader.map((scores) => placements(design.truth, scores)));
  const aucs = design.modalities.map((_, i) => design.readers.map((__, j) => cells[i * r + j]!.auc));
  const matrix = covariance === 'jackknife' ? jackknifeCovariances(cells, design.truth) : deLongCovariances(cells);
  const notes = designNotes(t, r);
  const inputs: Inputs = { modalities: design.modalities, averages: aucs.map(mean), r, anova: anovaOfAucs(aucs), cov: orCovariances(matrix, t, r), level, notes };
  return {
    covariance,
    level,
    modalities: design.modalities,
    readers: design.readers,
    cases: design.caseIds.length,
    positives,
    negatives,
    aucs,
    covarianceMatrix: { keys: design.modalities.flatMap((modality) => design.readers.map((reader) => ({ modality, reader }))), values: matrix },
    anova: inputs.anova,
    covariances: inputs.cov,
    randomReadersRandomCases: randomReadersRandomCases(inputs),
    fixedReadersRandomCases: fixedReadersRandomCases(inputs),
    randomReadersFixedCases: randomReadersFixedCases(inputs),
    singleModality: singleModality(design, aucs, matrix, level, notes),
    singleReader: singleReader(design, aucs, matrix, level, notes),
    notes,
  };
}
