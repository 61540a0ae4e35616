import { describe, expect, it } from 'vitest';
import { protocolSchema, type CohortPatient } from '../../../../src-main/contract/screening.js';
import { FitCounter, SplitLedger } from '../../../../src-main/domain/learn/hooks.js';
import { clearlyLess, meanLogLoss } from '../../../../src-main/domain/learn/logLoss.js';
import { fitLogisticRegression, logisticProbability } from '../../../../src-main/domain/learn/logisticRegression.js';
import { chooseRegularisation, innerCrossValidation, innerFoldCount } from '../../../../src-main/domain/learn/regularisation.js';
import { balancedWeights, fitSegmentModel, fitSegmentModelOn, segmentTrainingSet } from '../../../../src-main/domain/learn/segmentModel.js';
import { patientFolds } from '../../../../src-main/domain/learn/splits.js';
import { fitStandardiser, standardise } from '../../../../src-main/domain/learn/standardiser.js';
import { trainScreeningModel } from '../../../../src-main/domain/learn/trainModel.js';
import { generatedFeatureCohort } from '../../../helpers/generatedClipFeatures.js';

/**
 * The training path for wide video features reuses one standardised design per training set
 * across the C grid and, in the inner cross-validation, starts each C's fit from the previous
 * C's. These tests hold it to the path it replaced, written out here: every fit standardising
 * its own rows and fitting from zeros. GENERATED features, not from clips.
 */
const cohort = generatedFeatureCohort({ patientsPerClass: 10, videos: 2, clipsPerVideo: 3, featureSize: 40, signalColumns: 4, effect: 0.8, patientSd: 0.5, seed: 3 });
const protocol = protocolSchema.parse({ repeats: 1, folds: 3 });

/** The model as the old fitSegmentModel fitted it: rows standardised for this fit alone, a cold start. */
function referenceModel(patients: readonly CohortPatient[], c: number) {
  const rows = patients.flatMap((p) => p.segments);
  const labels = patients.flatMap((p) => p.segments.map(() => p.label));
  const standardisation = fitStandardiser(rows);
  const fit = fitLogisticRegression(rows.map((r) => standardise(standardisation, r)), labels, { c, sampleWeight: balancedWeights(labels) });
  return { standardisation, coefficients: fit.coefficients, intercept: fit.intercept };
}

function referenceProbability(model: ReturnType<typeof referenceModel>, patient: CohortPatient): number {
  const probabilities = patient.segments.map((s) => logisticProbability(model, standardise(model.standardisation, s)));
  return probabilities.reduce((a, b) => a + b, 0) / probabilities.length;
}

/** The inner cross-validation as it was: a fresh standardisation and a cold fit for every C of every inner fold. */
function referenceInnerCv(patients: readonly CohortPatient[], seed: number) {
  const splits = patientFolds(patients, innerFoldCount(patients, protocol), seed, 'reference');
  const byCode = new Map(patients.map((p) => [p.code, p]));
  const outOfFold = protocol.cGrid.map(() => new Map<string, number>());
  for (const split of splits) {
    const train = split.train.map((code) => byCode.get(code)!);
    protocol.cGrid.forEach((c, ci) => {
      const model = referenceModel(train, c);
      for (const code of split.test) outOfFold[ci]!.set(code, referenceProbability(model, byCode.get(code)!));
    });
  }
  const labels = patients.map((p) => p.label);
  const losses = outOfFold.map((m) => meanLogLoss(labels, patients.map((p) => m.get(p.code)!)));
  let best = 0;
  losses.forEach((loss, ci) => {
    if (clearlyLess(loss, losses[best]!) || (!clearlyLess(losses[best]!, loss) && protocol.cGrid[ci]! < protocol.cGrid[best]!)) best = ci;
  });
  return { c: protocol.cGrid[best]!, losses, outOfFold: outOfFold[best]! };
}

const maxDifference = (a: readonly number[], b: readonly number[]) => a.reduce((m, v, j) => Math.max(m, Math.abs(v - b[j]!)), 0);

describe('the wide training path (GENERATED features, 40 columns: newton-cg)', () => {
  it('a prepared training set fits every C of the grid as a fresh standardisation and fit do, to the bit', () => {
    const patients = cohort.patients.slice(0, 12);
    const set = segmentTrainingSet(patients, 'balanced');
    for (const c of protocol.cGrid) {
      const model = fitSegmentModelOn(set, c);
      const reference = referenceModel(patients, c);
      expect(model.standardisation).toEqual(reference.standardisation);
      expect(model.coefficients).toEqual(reference.coefficients);
      expect(model.intercept).toBe(reference.intercept);
      expect(fitSegmentModel(patients, { c, classWeight: 'balanced' }).coefficients).toEqual(reference.coefficients);
    }
  });

  it('the inner cross-validation picks the same C, with the same losses and out-of-fold probabilities as cold fits from the rows', () => {
    const seed = 11;
    const result = innerCrossValidation(cohort.patients, protocol, seed, { ledger: new SplitLedger({}), repeat: 0, fold: 0, fits: new FitCounter({}, 18), where: 'test', fitPhrase: () => ({ key: 'jobs.progress.train.innerAll', params: {} }) as never });
    const reference = referenceInnerCv(cohort.patients, seed);
    expect(result.c).toBe(reference.c);
    expect(maxDifference(result.candidates.map((c) => c.logLoss), reference.losses)).toBeLessThanOrEqual(1e-9);
    const codes = cohort.patients.map((p) => p.code);
    expect(maxDifference(codes.map((code) => result.outOfFold.get(code)!), codes.map((code) => reference.outOfFold.get(code)!))).toBeLessThanOrEqual(1e-9);
  });

  it('warm starts along the grid reach the cold fits\' coefficients within 1e-9', () => {
    const set = segmentTrainingSet(cohort.patients, 'balanced');
    let previous: ReturnType<typeof fitSegmentModelOn> | undefined;
    for (const c of protocol.cGrid) {
      const warm = fitSegmentModelOn(set, c, previous);
      const cold = fitSegmentModelOn(set, c);
      expect(maxDifference([...warm.coefficients, warm.intercept], [...cold.coefficients, cold.intercept])).toBeLessThanOrEqual(1e-9);
      previous = warm;
    }
  });

  it('the trained head is the cold fit on all patients at the C the old inner cross-validation picks, to the bit', () => {
    const body = trainScreeningModel(cohort, protocol, { name: 'GENERATED', appVersion: 'test', createdAt: '2026-12-04', patientsSha256: 'x' });
    expect(body.c).toBe(referenceInnerCv(cohort.patients, protocol.seed).c);
    expect(chooseRegularisation(cohort.patients, protocol, protocol.seed)).toBe(body.c);
    const reference = referenceModel(cohort.patients, body.c);
    expect(body.coefficients).toEqual(reference.coefficients);
    expect(body.intercept).toBe(reference.intercept);
    expect(body.standardisation).toEqual(reference.standardisation);
  });
});
