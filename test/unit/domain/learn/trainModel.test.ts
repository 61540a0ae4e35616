import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src-main/contract/errors.js';
import { englishOf, type Phrase } from '../../../../src-main/contract/phrase.js';
import { protocolSchema, screeningModelBodySchema } from '../../../../src-main/contract/screening.js';
import { chooseRegularisation } from '../../../../src-main/domain/learn/crossValidation.js';
import { patientMeans } from '../../../../src-main/domain/learn/norms.js';
import { trainScreeningModel, type TrainOptions } from '../../../../src-main/domain/learn/trainModel.js';
import { syntheticCnnScores, syntheticCohort } from '../../../helpers/syntheticCohort.js';

const { cohort } = syntheticCohort({ patientsPerClass: 12, segmentsPerPatient: [4, 9], effect: 1, seed: 8 });
const protocol = protocolSchema.parse({ repeats: 2, folds: 3, cGrid: [0.01, 1, 100], bootstrapReplicates: 200 });
const options: TrainOptions = { name: 'SYNTHETIC test model', appVersion: '0.1.0', createdAt: '2024-01-01T00:00:00Z', patientsSha256: 'a'.repeat(64) };

describe('trainScreeningModel (SYNTHETIC cohort)', () => {
  it('gives a body the contract accepts: final C from the inner CV on all patients, not-ASD norms, training time from now()', () => {
    let clock = 0;
    const body = trainScreeningModel(cohort, protocol, { ...options, now: () => (clock += 750) });
    expect(() => screeningModelBodySchema.parse(body)).not.toThrow();
    expect(body.trainingSeconds).toBe(0.75);
    expect(body.researchOnly).toBe(true);
    expect(body.threshold).toBe(0.5);
    expect(body.c).toBe(chooseRegularisation(cohort.patients, protocol, protocol.seed));
    expect(body.cohort).toMatchObject({ patients: 24, asd: 12, notAsd: 12, segments: cohort.counts.segments, excluded: 0, patientsSha256: 'a'.repeat(64) });
    expect(body.beatsChance).toBe(body.evaluation.patient.balancedAccuracy.lower > 0.5);
    const lean = cohort.patients.filter((p) => p.label === 0).map((p) => patientMeans(p.segments)[0]!);
    const mean = lean.reduce((s, v) => s + v, 0) / lean.length;
    const sd = Math.sqrt(lean.reduce((s, v) => s + (v - mean) ** 2, 0) / (lean.length - 1));
    expect(body.norms.trunkLean!.n).toBe(12);
    expect(body.norms.trunkLean!.mean).toBeCloseTo(mean, 12);
    expect(body.norms.trunkLean!.sd).toBeCloseTo(sd, 12);
    expect(body.fusion).toBeNull();
  });

  it('with fusion: the report carries its source and bundles and the body still parses', () => {
    const cnn = syntheticCnnScores(cohort, { seed: 2 });
    const body = trainScreeningModel(cohort, protocol, { ...options, fusion: { source: { kind: 'bundle', id: 'cnn-1', notTrainedOnThesePatients: true }, bundles: [{ fold: null, id: 'cnn-1' }], cnnScores: cnn, foldOfPatient: null } });
    expect(() => screeningModelBodySchema.parse(body)).not.toThrow();
    expect(body.fusion!.source).toEqual({ kind: 'bundle', id: 'cnn-1', notTrainedOnThesePatients: true });
    expect(body.fusion!.methods.map((m) => m.method)).toEqual(['measures', 'cnn', 'fixed', 'global', 'gate']);
  });

  it("refuses a cohort with a refusal, in the cohort's own sentence", () => {
    const refused = { ...cohort, refusal: 'there are 4 ASD patients; training needs at least 10 of each class' };
    try {
      trainScreeningModel(refused, protocol, options);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('STATS_INVALID');
      expect((error as AppError).detail).toBe(refused.refusal);
    }
  });

  it('says what each fit is as a phrase whose English names the place, the inner fold and C', () => {
    const said: Phrase[] = [];
    const body = trainScreeningModel(cohort, protocol, { ...options, hooks: { onProgress: (_f, message) => said.push(message) } });
    expect(said[0]).toEqual({ key: 'jobs.progress.train.innerOuter', vars: { repeat: 1, fold: 1, inner: 1, of: protocol.innerFolds, c: 0.01 } });
    expect(englishOf(said[0]!)).toBe(`repeat 1, fold 1: inner fold 1 of ${protocol.innerFolds}, C = 0.01`);
    expect(said.filter((p) => p.key === 'jobs.progress.train.outerFit').map((p) => [p.vars?.repeat, p.vars?.fold])).toEqual([[1, 1], [1, 2], [1, 3], [2, 1], [2, 2], [2, 3]]);
    expect(said.filter((p) => p.key === 'jobs.progress.train.innerAll')).toHaveLength(protocol.cGrid.length * protocol.innerFolds);
    expect(englishOf(said.at(-1)!)).toBe(`final model fitted on all 24 patients with C = ${body.c}`);
  });

  it('progress rises to 1; a stop request ends the work with JOB_CANCELLED between fits', () => {
    const fractions: number[] = [];
    trainScreeningModel(cohort, protocol, { ...options, hooks: { onProgress: (f) => fractions.push(f) } });
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    let fits = 0;
    let caught: unknown;
    try {
      trainScreeningModel(cohort, protocol, { ...options, hooks: { shouldStop: () => ++fits > 5 } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('JOB_CANCELLED');
    expect(fits).toBe(6);
  });

  it('a cohort that cannot be split is refused with STATS_INVALID in words, not a crash', () => {
    const tiny = syntheticCohort({ patientsPerClass: 2, segmentsPerPatient: [2, 2], effect: 1, seed: 1 }).cohort;
    expect(() => trainScreeningModel(tiny, protocolSchema.parse({ folds: 5, bootstrapReplicates: 200 }), options)).toThrow(/STATS_INVALID|statistics cannot be computed/);
  });
});
