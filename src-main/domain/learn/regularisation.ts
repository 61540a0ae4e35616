import type { CohortPatient, Protocol } from '../../contract/screening.js';
import { phrase, type Phrase } from '../../contract/phrase.js';
import { AppError } from '../../contract/errors.js';
import { checkCohortPatients } from './cohortChecks.js';
import { FitCounter, SplitLedger, type CvHooks } from './hooks.js';
import { clearlyLess, meanLogLoss } from './logLoss.js';
import { DENSE_NEWTON_MAX_FEATURES } from './logisticRegression.js';
import { fitSegmentModelOn, patientProbability, segmentTrainingSet, type SegmentModel } from './segmentModel.js';
import { patientFolds } from './splits.js';

/**
 * The inner cross-validation that picks the regularisation C on a set of training patients
 * only: stratified group k-fold over those patients, every candidate C of the protocol fitted
 * on each inner training part and scored on the patients it left out, the criterion the mean
 * patient-level log loss of those out-of-fold patient probabilities (a patient's probability
 * is the mean of their segments'). Ties (losses equal to 1e-12 relative) go to the smaller C,
 * the stronger regularisation.
 *
 * Fewer patients of a class than `innerFolds`: the inner cross-validation uses as many folds
 * as the smaller class has patients (so each inner fold can hold one of each); fewer than 2
 * patients in a class is refused with STATS_INVALID. An inner training part left with one
 * class (not seen with stratified folds of at least 2 per class) is refused with STATS_INVALID
 * too rather than silently skipped.
 *
 * Cost: each inner training part is standardised once for the whole grid. Wide rows (video
 * features, more than DENSE_NEWTON_MAX_FEATURES columns: newton-cg) start each C's fit from the
 * previous C's, in the grid's order: the same minimiser to the solver's tolerance in fewer
 * Newton steps (1600 generated clips of 2048: a 6-C path 44% faster; coefficients within 4e-9
 * of cold starts, the largest at C = 100, whose gradient target is 1e-12 x C x sum w). The final
 * and the outer models are fitted from zeros. Narrow rows (posture measures) keep cold starts,
 * so their numbers are the same to the bit.
 */
export interface InnerCvResult {
  /** The chosen C. */
  c: number;
  /** The candidates in the protocol's order and their mean patient log loss. */
  candidates: { c: number; logLoss: number }[];
  /** Inner folds used (the protocol's, or fewer: see above). */
  folds: number;
  /** Every patient's out-of-fold probability at the chosen C (a model that never saw the patient). */
  outOfFold: Map<string, number>;
}

export interface InnerCvContext {
  ledger: SplitLedger;
  /** Where this inner cross-validation sits, for the split records (-1: not inside an outer split). */
  repeat: number;
  fold: number;
  fits: FitCounter;
  /** Words for messages, e.g. "repeat 2, fold 3". */
  where: string;
  /** What each fit says in the job's progress: the same place as `where`, as a phrase (inner fold 1-based). */
  fitPhrase: (inner: number, of: number, c: number) => Phrase;
}

/** Inner folds actually used for a set of patients: at most the smaller class's count. */
export function innerFoldCount(patients: readonly CohortPatient[], protocol: Protocol): number {
  let positives = 0;
  for (const p of patients) positives += p.label;
  return Math.min(protocol.innerFolds, positives, patients.length - positives);
}

/** Fits of one inner cross-validation (for progress totals). */
export const innerFits = (protocol: Protocol) => protocol.cGrid.length * protocol.innerFolds;

export function innerCrossValidation(patients: readonly CohortPatient[], protocol: Protocol, seed: number, context: InnerCvContext): InnerCvResult {
  let positives = 0;
  for (const p of patients) positives += p.label;
  const negatives = patients.length - positives;
  const k = innerFoldCount(patients, protocol);
  if (k < 2) {
    throw new AppError('STATS_INVALID', `choosing the regularisation (${context.where}) needs at least 2 patients of each class among the training patients, but there are ${positives} ASD and ${negatives} not ASD`);
  }
  const index = new Map(patients.map((p, i) => [p.code, i]));
  const splits = patientFolds(patients, k, seed, `the inner cross-validation (${context.where})`);
  const grid = protocol.cGrid;
  const outOfFold = grid.map(() => new Float64Array(patients.length).fill(Number.NaN));
  splits.forEach((split, innerFold) => {
    const where = `${context.where}, inner fold ${innerFold + 1}`;
    context.ledger.check({ level: 'inner', repeat: context.repeat, fold: context.fold, innerFold, train: split.train, test: split.test }, where);
    const train = split.train.map((code) => patients[index.get(code)!]!);
    const test = split.test.map((code) => patients[index.get(code)!]!);
    if (!train.some((p) => p.label === 1) || !train.some((p) => p.label === 0)) {
      throw new AppError('STATS_INVALID', `the inner training patients of ${where} hold one class only, so the regularisation cannot be chosen`);
    }
    // one standardised design for every C of the grid
    const trainingSet = segmentTrainingSet(train, protocol.classWeight);
    const warmStarts = trainingSet.design.columns > DENSE_NEWTON_MAX_FEATURES;
    let previous: SegmentModel | undefined;
    grid.forEach((c, ci) => {
      context.fits.before();
      const model = fitSegmentModelOn(trainingSet, c, warmStarts ? previous : undefined);
      previous = model;
      for (const p of test) outOfFold[ci]![index.get(p.code)!] = patientProbability(model, p.segments);
      context.fits.after(context.fitPhrase(innerFold + 1, splits.length, c));
    });
  });
  const labels = patients.map((p) => p.label);
  const candidates = grid.map((c, ci) => ({ c, logLoss: meanLogLoss(labels, outOfFold[ci]!) }));
  let best = 0;
  for (let ci = 1; ci < candidates.length; ci++) {
    const a = candidates[ci]!;
    const b = candidates[best]!;
    if (clearlyLess(a.logLoss, b.logLoss) || (!clearlyLess(b.logLoss, a.logLoss) && a.c < b.c)) best = ci;
  }
  const chosen = outOfFold[best]!;
  return { c: candidates[best]!.c, candidates, folds: splits.length, outOfFold: new Map(patients.map((p, i) => [p.code, chosen[i]!])) };
}

/**
 * The C the inner cross-validation picks on all the given patients (for the final model),
 * with its folds shuffled by `seed`. Its splits are reported with repeat and fold -1.
 */
export function chooseRegularisation(patients: readonly CohortPatient[], protocol: Protocol, seed: number, hooks: CvHooks = {}): number {
  checkCohortPatients(patients);
  const fits = new FitCounter(hooks, innerFits(protocol));
  return innerCrossValidation(patients, protocol, seed, {
    ledger: new SplitLedger(hooks),
    repeat: -1,
    fold: -1,
    fits,
    where: 'all patients',
    fitPhrase: (inner, of, c) => phrase('jobs.progress.train.innerAll', { inner, of, c }),
  }).c;
}
