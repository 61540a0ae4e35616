import type { CohortPatient, Evaluation, Protocol } from '../../contract/screening.js';
import { phrase } from '../../contract/phrase.js';
import { checkCohortPatients } from './cohortChecks.js';
import { FitCounter, SplitLedger, type CvHooks } from './hooks.js';
import { levelMetrics, pointMetrics, summariseMeanSd } from './levelMetrics.js';
import { innerCrossValidation, innerFits } from './regularisation.js';
import { fitSegmentModel, segmentProbabilities } from './segmentModel.js';
import { deriveSeed, patientFolds } from './splits.js';

export type { CvHooks, SplitRecord } from './hooks.js';
export { chooseRegularisation } from './regularisation.js';

/**
 * Repeated, nested, patient-disjoint cross-validation of the screening model.
 *
 * For each repeat r (0..R-1) the patients are split by stratified group k-fold (one row per
 * patient: label as class, code as group) shuffled with seed protocol.seed + r. In each outer
 * fold, C is chosen by an inner cross-validation on that fold's training patients only (see
 * regularisation.ts; its folds are shuffled with a seed derived from protocol.seed, r and the
 * fold), the model is refitted on all the training patients with that C, and the test patients
 * are predicted (patient probability = mean of segment probabilities). Every split at both
 * levels is checked for patients on both sides before anything is fitted on it.
 *
 * Headline: every patient's out-of-fold probability averaged over the repeats, with
 * levelMetrics (bootstrap seed protocol.seed, protocol.bootstrapReplicates replicates).
 * Segments likewise (secondary). Per repeat and per fold: point metrics at the patient level.
 *
 * Missing classes: an outer test fold with one class is kept (its AUROC is null); an outer
 * training part with one class, or one too small for the inner cross-validation, is refused
 * with STATS_INVALID and a sentence (with at least `minimumPatientsPerClass` per class and the
 * protocol's fold limits this does not happen; regularisation.ts says how inner folds shrink).
 */
export function evaluateRepeatedCv(patients: readonly CohortPatient[], protocol: Protocol, hooks: CvHooks = {}): Evaluation {
  checkCohortPatients(patients);
  const ledger = new SplitLedger(hooks);
  const fits = new FitCounter(hooks, protocol.repeats * protocol.folds * (innerFits(protocol) + 1));
  const index = new Map(patients.map((p, i) => [p.code, i]));
  const rows = patients.map((p) => ({ code: p.code, label: p.label }));
  const labels = patients.map((p) => p.label);
  const perRepeat: number[][] = patients.map(() => []);
  const segmentSums = patients.map((p) => new Float64Array(p.segments.length));
  const folds: Evaluation['folds'] = [];
  const repeats: Evaluation['repeats'] = [];

  for (let r = 0; r < protocol.repeats; r++) {
    const seed = protocol.seed + r;
    const splits = patientFolds(rows, protocol.folds, seed, `repeat ${r + 1}`);
    const thisRepeat = new Array<number>(patients.length).fill(Number.NaN);
    splits.forEach((split, f) => {
      const where = `repeat ${r + 1}, fold ${f + 1}`;
      ledger.check({ level: 'outer', repeat: r, fold: f, train: split.train, test: split.test }, where);
      const train = split.train.map((code) => patients[index.get(code)!]!);
      const test = split.test.map((code) => patients[index.get(code)!]!);
      const place = { repeat: r + 1, fold: f + 1 };
      const fitPhrase = (inner: number, of: number, c: number) => phrase('jobs.progress.train.innerOuter', { ...place, inner, of, c });
      const inner = innerCrossValidation(train, protocol, deriveSeed(protocol.seed, r, f), { ledger, repeat: r, fold: f, fits, where, fitPhrase });
      fits.before();
      const model = fitSegmentModel(train, { c: inner.c, classWeight: protocol.classWeight });
      fits.after(phrase('jobs.progress.train.outerFit', { ...place, c: inner.c }));
      const testProbabilities = test.map((p) => {
        const i = index.get(p.code)!;
        const segments = segmentProbabilities(model, p.segments);
        segments.forEach((q, s) => (segmentSums[i]![s]! += q));
        const probability = segments.reduce((s, q) => s + q, 0) / segments.length;
        thisRepeat[i] = probability;
        perRepeat[i]!.push(probability);
        return probability;
      });
      const testLabels = test.map((p) => p.label);
      folds.push({
        repeat: r,
        fold: f,
        trainPatients: train.length,
        testPatients: test.length,
        testPositives: testLabels.reduce<number>((s, y) => s + y, 0),
        trainSegments: train.reduce((s, p) => s + p.segments.length, 0),
        chosenC: inner.c,
        metrics: pointMetrics(testLabels, testProbabilities),
      });
    });
    repeats.push({ repeat: r, seed, metrics: pointMetrics(labels, thisRepeat) });
  }

  const pooled = perRepeat.map((list) => list.reduce((s, q) => s + q, 0) / list.length);
  const segmentTruth: (0 | 1)[] = [];
  const segmentPooled: number[] = [];
  patients.forEach((p, i) => {
    const n = perRepeat[i]!.length;
    segmentSums[i]!.forEach((sum) => {
      segmentTruth.push(p.label);
      segmentPooled.push(sum / n);
    });
  });
  const metricOptions = { replicates: protocol.bootstrapReplicates, seed: protocol.seed };
  return {
    patient: levelMetrics(labels, pooled, metricOptions),
    segment: levelMetrics(segmentTruth, segmentPooled, metricOptions),
    repeats,
    repeatSummary: summariseMeanSd(repeats.map((r) => r.metrics)),
    folds,
    foldSummary: summariseMeanSd(folds.map((f) => f.metrics)),
    predictions: patients.map((p, i) => ({ code: p.code, label: p.label, segments: p.segments.length, perRepeat: perRepeat[i]!, probability: pooled[i]! })),
    leakage: { checkedSplits: ledger.checked, patientsOnBothSides: 0 },
  };
}
