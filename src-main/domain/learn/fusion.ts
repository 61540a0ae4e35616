import { fusionMethodNames, type CohortPatient, type FusionMethod, type FusionReport, type Protocol } from '../../contract/screening.js';
import { phrase } from '../../contract/phrase.js';
import { AppError, isAppError } from '../../contract/errors.js';
import { deLongPairedTest } from '../stats/deLong.js';
import { mcNemar } from '../stats/mcNemar.js';
import { checkCohortPatients } from './cohortChecks.js';
import { chooseGate, chooseGlobalWeight, fuse, outlyingness, type FusionRow } from './gate.js';
import { FitCounter, SplitLedger, type CvHooks } from './hooks.js';
import { levelMetrics } from './levelMetrics.js';
import { notAsdNorms, patientMeans } from './norms.js';
import { innerCrossValidation, innerFits } from './regularisation.js';
import { fitSegmentModel, patientProbability } from './segmentModel.js';
import { deriveSeed, patientFolds, type PatientSplit } from './splits.js';

export { chooseGate, chooseGlobalWeight, fuse, fusionWeights, gateQuantiles, measurementWeight, outlyingness, quantileType7, type FusionRow } from './gate.js';

/**
 * The comparison of the measurement model, the 3D CNN and three ways of fusing them, each
 * patient predicted out of fold by every method (see gate.ts for the gate).
 *
 * Only patients with a CNN score take part; the others are listed in `withoutCnn`. The outer
 * folds are the study's (`foldOfPatient`: the CNN bundle of each fold never saw that fold's
 * patients, so every CNN score is out of fold) or, for one bundle the user says was trained
 * elsewhere, one stratified group k-fold with protocol.seed. In each outer fold, on the
 * training patients only:
 * - C is chosen by the inner cross-validation (regularisation.ts) and the measurement model
 *   refitted on all training patients predicts the test patients;
 * - the training patients' own measurement probabilities are that inner cross-validation's
 *   out-of-fold probabilities at the chosen C (never in-sample: an in-sample probability is
 *   overconfident and would pull the weights towards the measures);
 * - the norms are those of the training fold's not-ASD patients (patient means, sample SD),
 *   and every patient's outlyingness is measured against them;
 * - the gate and the global weight are chosen on the training rows, then applied to the test
 *   fold.
 * Methods: measures, cnn, fixed (w = 0.5), global (nested single weight) and gate (nested).
 * Each gets levelMetrics over every patient's out-of-fold probability; every pair is compared
 * by McNemar's exact test on per-patient correctness at 0.5 and by DeLong's paired test (null,
 * with a note, where it is undefined).
 *
 * The final gate, stored with the model, is chosen the same way on all patients with a CNN
 * score: the inner cross-validation on all of them gives the out-of-fold measurement
 * probabilities, and the norms are those of all not-ASD patients in `patients` (the norms the
 * stored model keeps, so a new patient's outlyingness is on the same scale).
 */
export function evaluateFusion(
  patients: readonly CohortPatient[],
  cnnScores: ReadonlyMap<string, number>,
  foldOfPatient: ReadonlyMap<string, number> | null,
  protocol: Protocol,
  hooks: CvHooks = {},
): Omit<FusionReport, 'source' | 'bundles'> {
  const { features } = checkCohortPatients(patients);
  const included = patients.filter((p) => cnnScores.has(p.code));
  const withoutCnn = patients.filter((p) => !cnnScores.has(p.code)).map((p) => p.code);
  for (const p of included) {
    const score = cnnScores.get(p.code)!;
    if (!(Number.isFinite(score) && score >= 0 && score <= 1)) throw new AppError('STATS_INVALID', `the CNN score of patient ${p.code} is ${score}, not a probability from 0 to 1`);
  }
  if (included.length === 0) throw new AppError('STATS_INVALID', 'no patient of the cohort has a CNN score, so nothing can be fused');
  checkCohortPatients(included);
  const notes: string[] = [];
  if (withoutCnn.length > 0) notes.push(`${withoutCnn.length} patient(s) without a CNN score are left out of the comparison`);

  const { splits, foldNumbers } = outerSplits(included, foldOfPatient, protocol);
  notes.push(
    foldOfPatient
      ? `outer folds: the study's ${splits.length} folds (each fold's CNN bundle never saw that fold's patients)`
      : `outer folds: one stratified group ${splits.length}-fold split with seed ${protocol.seed} (the CNN bundle must not have been trained on these patients)`,
  );
  notes.push("training patients' measurement probabilities for choosing the weights are out of fold (the inner cross-validation's, at the chosen C)");

  const ledger = new SplitLedger(hooks);
  const fits = new FitCounter(hooks, (splits.length + 1) * (innerFits(protocol) + 1));
  const index = new Map(included.map((p, i) => [p.code, i]));
  const byMethod: Record<FusionMethod, number[]> = { measures: [], cnn: [], fixed: [], global: [], gate: [] };
  for (const method of fusionMethodNames) byMethod[method] = new Array<number>(included.length).fill(Number.NaN);
  const perFold: FusionReport['perFold'] = [];
  const fusionSeed = (fold: number) => deriveSeed(protocol.seed, 0x66757365, fold); // 'fuse'

  splits.forEach((split, k) => {
    const fold = foldNumbers[k]!;
    const where = `fusion, fold ${fold}`;
    ledger.check({ level: 'outer', repeat: 0, fold, train: split.train, test: split.test }, where);
    const train = split.train.map((code) => included[index.get(code)!]!);
    const test = split.test.map((code) => included[index.get(code)!]!);
    const fitPhrase = (innerFold: number, of: number, c: number) => phrase('jobs.progress.train.innerFusion', { fold, inner: innerFold, of, c });
    const inner = innerCrossValidation(train, protocol, fusionSeed(fold), { ledger, repeat: 0, fold, fits, where, fitPhrase });
    fits.before();
    const model = fitSegmentModel(train, { c: inner.c, classWeight: protocol.classWeight });
    fits.after(phrase('jobs.progress.train.fusionFit', { fold, c: inner.c }));
    const norms = notAsdNorms(train, features);
    const trainRows: FusionRow[] = train.map((p) => ({
      label: p.label,
      pMeasures: inner.outOfFold.get(p.code)!,
      pCnn: cnnScores.get(p.code)!,
      outlyingness: outlyingness(patientMeans(p.segments), norms),
    }));
    const gate = chooseGate(trainRows);
    const globalWeight = chooseGlobalWeight(trainRows);
    perFold.push({ fold, globalWeight, gate });
    for (const p of test) {
      const i = index.get(p.code)!;
      const pM = patientProbability(model, p.segments);
      const pC = cnnScores.get(p.code)!;
      byMethod.measures[i] = pM;
      byMethod.cnn[i] = pC;
      byMethod.fixed[i] = 0.5 * pM + 0.5 * pC;
      byMethod.global[i] = globalWeight * pM + (1 - globalWeight) * pC;
      byMethod.gate[i] = fuse(pM, pC, outlyingness(patientMeans(p.segments), norms), gate);
    }
  });

  const labels = included.map((p) => p.label);
  const metricOptions = { replicates: protocol.bootstrapReplicates, seed: protocol.seed };
  const methods = fusionMethodNames.map((method) => ({ method, metrics: levelMetrics(labels, byMethod[method], metricOptions) }));
  const comparisons = compareMethods(labels, byMethod, notes);

  // the final gate: all patients with a CNN score, out-of-fold measurement probabilities, the model's norms
  const finalInner = innerCrossValidation(included, protocol, fusionSeed(-1), {
    ledger,
    repeat: -1,
    fold: -1,
    fits,
    where: 'fusion, all patients',
    fitPhrase: (inner, of, c) => phrase('jobs.progress.train.innerFusionAll', { inner, of, c }),
  });
  const finalNorms = notAsdNorms(patients, features);
  const finalGate = chooseGate(
    included.map((p) => ({ label: p.label, pMeasures: finalInner.outOfFold.get(p.code)!, pCnn: cnnScores.get(p.code)!, outlyingness: outlyingness(patientMeans(p.segments), finalNorms) })),
  );
  notes.push(`${ledger.checked} splits checked: no patient on both sides of any`);
  return { patients: included.length, withoutCnn, folds: splits.length, methods, perFold, comparisons, finalGate, notes };
}

/** The outer folds: the study's (by fold number, ascending) or one stratified group k-fold. */
function outerSplits(included: readonly CohortPatient[], foldOfPatient: ReadonlyMap<string, number> | null, protocol: Protocol): { splits: PatientSplit[]; foldNumbers: number[] } {
  if (!foldOfPatient) {
    const splits = patientFolds(included, protocol.folds, protocol.seed, 'the fusion comparison');
    return { splits, foldNumbers: splits.map((_, f) => f) };
  }
  const missing = included.filter((p) => !foldOfPatient.has(p.code)).map((p) => p.code);
  if (missing.length > 0) throw new AppError('STATS_INVALID', `patient(s) ${missing.slice(0, 10).join(', ')} have a CNN score but no fold in the study`);
  const foldNumbers = [...new Set(included.map((p) => foldOfPatient.get(p.code)!))].sort((a, b) => a - b);
  if (foldNumbers.length < 2) throw new AppError('STATS_INVALID', 'the study puts every patient with a CNN score in one fold, so there is nothing to train the fusion on');
  const splits = foldNumbers.map((fold) => ({
    train: included.filter((p) => foldOfPatient.get(p.code) !== fold).map((p) => p.code),
    test: included.filter((p) => foldOfPatient.get(p.code) === fold).map((p) => p.code),
  }));
  return { splits, foldNumbers };
}

/** Every pair of methods: McNemar exact on correctness at 0.5, DeLong paired (null with a note when undefined). */
function compareMethods(labels: readonly (0 | 1)[], byMethod: Record<FusionMethod, number[]>, notes: string[]): FusionReport['comparisons'] {
  const correct = (method: FusionMethod) => byMethod[method].map((p, i) => (p >= 0.5 ? 1 : 0) === labels[i]);
  const comparisons: FusionReport['comparisons'] = [];
  fusionMethodNames.forEach((a, i) => {
    for (const b of fusionMethodNames.slice(i + 1)) {
      const right = { a: correct(a), b: correct(b) };
      let aRightBWrong = 0;
      let aWrongBRight = 0;
      right.a.forEach((ra, k) => {
        if (ra && !right.b[k]) aRightBWrong++;
        else if (!ra && right.b[k]) aWrongBRight++;
      });
      let deLong: FusionReport['comparisons'][number]['deLong'] = null;
      try {
        const t = deLongPairedTest(labels, byMethod[a], byMethod[b]);
        deLong = { difference: t.difference, se: t.se, z: t.z, p: t.p };
      } catch (error) {
        if (!isAppError(error)) throw error;
        notes.push(`DeLong test of ${a} against ${b} undefined: ${error.detail}`);
      }
      comparisons.push({ a, b, aRightBWrong, aWrongBRight, mcNemarExactP: mcNemar(aRightBWrong, aWrongBRight).pExact, deLong });
    }
  });
  return comparisons;
}
