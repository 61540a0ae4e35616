import { describe, expect, it } from 'vitest';
import { protocolSchema } from '../../../../src-main/contract/screening.js';
import { evaluateRepeatedCv, type SplitRecord } from '../../../../src-main/domain/learn/crossValidation.js';
import { evaluateFusion } from '../../../../src-main/domain/learn/fusion.js';
import { trainScreeningModel } from '../../../../src-main/domain/learn/trainModel.js';
import { syntheticCnnScores, syntheticCohort } from '../../../helpers/syntheticCohort.js';

/**
 * Leakage, checked independently of the code under test: every split reported through onSplit
 * at every level is patient-disjoint (by our own set intersection), the outer test folds
 * partition the patients, and every inner split lies within its outer fold's training
 * patients. SYNTHETIC cohorts only.
 */
const sameSet = (a: readonly string[], b: readonly string[]) => expect([...a].sort()).toEqual([...b].sort());
const key = (s: SplitRecord) => `${s.repeat}/${s.fold}`;

function verify(splits: SplitRecord[], allCodes: readonly string[], outerPerRepeat: number[]): void {
  for (const s of splits) {
    const train = new Set(s.train);
    expect(s.test.filter((c) => train.has(c)), `patients on both sides at ${s.level} ${key(s)} ${s.innerFold ?? ''}`).toEqual([]);
  }
  const outer = new Map(splits.filter((s) => s.level === 'outer').map((s) => [key(s), s]));
  for (const repeat of outerPerRepeat) {
    const tests = [...outer.values()].filter((s) => s.repeat === repeat).flatMap((s) => s.test);
    sameSet(tests, allCodes); // each patient tested exactly once per repeat
  }
  for (const s of outer.values()) sameSet([...s.train, ...s.test], allCodes);
  const inner = splits.filter((s) => s.level === 'inner');
  for (const [k, o] of outer) {
    const mine = inner.filter((s) => key(s) === k);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    const outerTrain = new Set(o.train);
    for (const s of mine) {
      expect([...s.train, ...s.test].every((c) => outerTrain.has(c)), `inner split of ${k} holds a patient outside its outer training patients`).toBe(true);
      sameSet([...s.train, ...s.test], o.train);
    }
    sameSet(mine.flatMap((s) => s.test), o.train); // the inner folds partition the outer training patients
  }
}

describe('no patient on both sides of any split', () => {
  const { cohort } = syntheticCohort({ patientsPerClass: 15, segmentsPerPatient: [3, 8], effect: 0.8, seed: 11 });
  const codes = cohort.patients.map((p) => p.code);
  const protocol = protocolSchema.parse({ repeats: 3, folds: 4, innerFolds: 3, cGrid: [0.1, 1, 10], bootstrapReplicates: 200 });

  it('repeated CV: outer folds and every inner fold for C', () => {
    const splits: SplitRecord[] = [];
    const evaluation = evaluateRepeatedCv(cohort.patients, protocol, { onSplit: (s) => splits.push(s) });
    expect(evaluation.leakage).toEqual({ checkedSplits: splits.length, patientsOnBothSides: 0 });
    expect(splits.filter((s) => s.level === 'outer')).toHaveLength(3 * 4);
    expect(splits.filter((s) => s.level === 'inner')).toHaveLength(3 * 4 * 3);
    verify(splits, codes, [0, 1, 2]);
  });

  it('training: the final inner CV (repeat -1) splits all patients, and is checked too', () => {
    const splits: SplitRecord[] = [];
    trainScreeningModel(cohort, protocol, { name: 'SYNTHETIC', appVersion: 'test', createdAt: 'now', patientsSha256: '0'.repeat(64), hooks: { onSplit: (s) => splits.push(s) } });
    const final = splits.filter((s) => s.repeat === -1);
    expect(final.every((s) => s.level === 'inner')).toBe(true);
    expect(final).toHaveLength(3);
    sameSet(final.flatMap((s) => s.test), codes);
    verify(splits.filter((s) => s.repeat !== -1), codes, [0, 1, 2]);
  });

  it("fusion: the study's outer folds, the inner folds for C and for the weights, and the final gate's", () => {
    const cnn = syntheticCnnScores(cohort, { seed: 5 });
    const foldOfPatient = new Map(codes.map((c, i) => [c, (i % 3) + 1])); // a study's folds 1..3
    const splits: SplitRecord[] = [];
    const report = evaluateFusion(cohort.patients, cnn, foldOfPatient, protocol, { onSplit: (s) => splits.push(s) });
    expect(report.folds).toBe(3);
    for (const s of splits.filter((x) => x.level === 'outer')) sameSet(s.test, codes.filter((c) => foldOfPatient.get(c) === s.fold));
    verify(splits.filter((s) => s.repeat !== -1), codes, [0]);
    sameSet(splits.filter((s) => s.repeat === -1).flatMap((s) => s.test), codes);
    expect(report.notes.at(-1)).toBe(`${splits.length} splits checked: no patient on both sides of any`);
  });
});

describe('the fusion weights of a fold never see its test patients', () => {
  it("changing the test fold's CNN scores leaves that fold's gate and global weight unchanged", () => {
    const { cohort } = syntheticCohort({ patientsPerClass: 30, segmentsPerPatient: [5, 10], effect: 0.6, seed: 21 });
    const protocol = protocolSchema.parse({ cGrid: [0.1, 1], bootstrapReplicates: 200 });
    const codes = cohort.patients.map((p) => p.code);
    const foldOfPatient = new Map(codes.map((c, i) => [c, i % 4]));
    const cnn = syntheticCnnScores(cohort, { seed: 3 });
    const before = evaluateFusion(cohort.patients, cnn, foldOfPatient, protocol);
    // fold 0's patients: CNN scores turned upside down (a CNN that now lies)
    const changed = new Map([...cnn].map(([code, p]) => [code, foldOfPatient.get(code) === 0 ? 1 - p : p]));
    const after = evaluateFusion(cohort.patients, changed, foldOfPatient, protocol);
    expect(after.perFold.find((f) => f.fold === 0)).toEqual(before.perFold.find((f) => f.fold === 0));
    // the measurement model never reads CNN scores at all
    expect(after.methods.find((m) => m.method === 'measures')).toEqual(before.methods.find((m) => m.method === 'measures'));
    // and the change is real: the CNN's own metrics moved
    expect(after.methods.find((m) => m.method === 'cnn')!.metrics.auroc).not.toEqual(before.methods.find((m) => m.method === 'cnn')!.metrics.auroc);
  });
});
