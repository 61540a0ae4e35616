import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src-main/contract/errors.js';
import { notShownToBeatChance, protocolSchema, screeningExplanationSchema, type FusionReport, type ScreeningModelBody } from '../../../../src-main/contract/screening.js';
import { chooseGate, chooseGlobalWeight, fuse, outlyingness, quantileType7, type FusionRow } from '../../../../src-main/domain/learn/fusion.js';
import { explainPatient } from '../../../../src-main/domain/learn/explain.js';
import { sigmoid } from '../../../../src-main/domain/learn/logisticRegression.js';
import { trainScreeningModel } from '../../../../src-main/domain/learn/trainModel.js';
import { syntheticCohort } from '../../../helpers/syntheticCohort.js';

describe('outlyingness, fuse and the type 7 quantile (exact)', () => {
  it('outlyingness is the mean |z| against the not-ASD norms; a norm without spread is left out', () => {
    expect(outlyingness([14, 20], [{ mean: 6, sd: 4 }, { mean: 25, sd: 2.5 }])).toBe(2);
    expect(outlyingness([14, 20, 3], [{ mean: 6, sd: 4 }, { mean: 25, sd: 2.5 }, { mean: 1, sd: 0 }])).toBe(2);
    expect(outlyingness([1], [{ mean: 1, sd: 0 }])).toBe(0);
  });
  it('fuse: wHi at or above the threshold, wLo below it', () => {
    const gate = { q: 0.5, wLo: 0.25, wHi: 0.75, threshold: 2 };
    expect(fuse(0.75, 0.25, 2, gate)).toBe(0.625);
    expect(fuse(0.75, 0.25, 1.999, gate)).toBe(0.375);
    expect(fuse(0.75, 0.25, 3, { ...gate, wHi: 1 })).toBe(0.75);
    expect(fuse(0.75, 0.25, 0, { ...gate, wLo: 0 })).toBe(0.25);
  });
  it('quantileType7 equals R quantile(x, q) (type 7)', () => {
    expect([0.25, 0.5, 0.75].map((q) => quantileType7([3, 1, 2, 4], q))).toEqual([1.75, 2.5, 3.25]); // R: 1.75 2.50 3.25
    expect([0, 0.25, 0.5, 1].map((q) => quantileType7([1, 2, 3, 4, 10], q))).toEqual([1, 2, 3, 10]);
    expect(quantileType7([7], 0.75)).toBe(7);
  });
});

describe('choosing the gate and the global weight', () => {
  // four typical-looking patients whom only the CNN gets right, four outlying ones whom only the measures get right
  const row = (label: 0 | 1, o: number, measuresKnow: boolean): FusionRow => {
    const right = label === 1 ? 0.99 : 0.01;
    return { label, outlyingness: o, pMeasures: measuresKnow ? right : 0.5, pCnn: measuresKnow ? 0.5 : right };
  };
  const rows = [row(1, 0.25, false), row(0, 0.5, false), row(1, 0.75, false), row(0, 1, false), row(1, 2, true), row(0, 3, true), row(1, 4, true), row(0, 5, true)];
  it('the gate splits at the median (q = 0.5: threshold 1.5) with the CNN below and the measures above', () => {
    // q = 0.25 (threshold 0.6875) and q = 0.75 (3.25) put two patients on the wrong side
    expect(chooseGate(rows)).toEqual({ q: 0.5, wLo: 0, wHi: 1, threshold: 1.5 });
  });
  it('one weight for all: 0.5 (the loss is symmetric in w and 1 - w here, and convex)', () => {
    expect(chooseGlobalWeight(rows)).toBe(0.5);
  });
  it('ties keep the earlier grid point: q = 0.25, wLo = 0, wHi = 0 when both branches agree; global w = 0', () => {
    const same = rows.map((r) => ({ ...r, pCnn: r.pMeasures }));
    expect(chooseGate(same)).toEqual({ q: 0.25, wLo: 0, wHi: 0, threshold: quantileType7(rows.map((r) => r.outlyingness), 0.25) });
    expect(chooseGlobalWeight(same)).toBe(0);
  });
  it('no rows is refused', () => {
    expect(() => chooseGate([])).toThrow(AppError);
  });
});

describe('explainPatient', () => {
  // a real body from a small SYNTHETIC cohort, then hand-set numbers so every value below is known
  const { cohort } = syntheticCohort({ patientsPerClass: 10, segmentsPerPatient: [3, 5], effect: 1, seed: 4, features: ['trunkLean', 'shoulderHipOffset'] });
  const trained = trainScreeningModel(cohort, protocolSchema.parse({ repeats: 1, folds: 2, innerFolds: 2, cGrid: [1], bootstrapReplicates: 200 }), {
    name: 'SYNTHETIC',
    appVersion: 'test',
    createdAt: '2024-01-01T00:00:00Z',
    patientsSha256: '0'.repeat(64),
  });
  const model: ScreeningModelBody = {
    ...trained,
    standardisation: { mean: [6, 0.05], scale: [3, 0.02] },
    coefficients: [0.5, 1],
    intercept: -0.25,
    norms: { trunkLean: { mean: 6, sd: 3, n: 10 }, shoulderHipOffset: { mean: 0.05, sd: 0.02, n: 10 } },
    beatsChance: true,
  };
  const patient = { code: 'SYN-900', segments: [[12, 0.09], [15, 0.11]], videos: 2 };

  it('probability, values, z, contributions, logit of the means and the sentences', () => {
    const e = explainPatient(model, patient);
    // segment logits: -0.25 + 0.5 * 2 + 2 = 2.75 and -0.25 + 0.5 * 3 + 3 = 4.25
    expect(e.probability).toBeCloseTo((sigmoid(2.75) + sigmoid(4.25)) / 2, 14);
    expect(e.call).toBe('ASD');
    expect(e.segments).toBe(2);
    expect(e.videos).toBe(2);
    const [lean, offset] = e.features;
    expect(lean).toMatchObject({ name: 'trunkLean', label: 'Trunk lean', unit: 'deg', value: 13.5, zScore: 2.5, contribution: 1.25, sentence: 'Trunk lean 13.5 deg, norm 6.0 ± 3.0 deg: +2.5 SD' });
    expect(offset!.value).toBeCloseTo(0.1, 15);
    expect(offset!.zScore).toBeCloseTo(2.5, 12);
    expect(offset!.contribution).toBeCloseTo(2.5, 12);
    expect(offset!.sentence).toBe('Shoulder-hip offset 0.10 trunk lengths, norm 0.05 ± 0.02 trunk lengths: +2.5 SD');
    expect(e.logitOfMeans).toBeCloseTo(3.5, 12);
    expect(e.intercept).toBe(-0.25);
    expect(e.outlyingness).toBeCloseTo(2.5, 12);
    expect(e.fused).toBeNull();
    expect(e.labels).toEqual(['research only']);
    expect(() => screeningExplanationSchema.omit({ model: true }).parse(e)).not.toThrow();
  });
  it('a negative z reads with a minus sign; a model not shown to beat chance says so', () => {
    const e = explainPatient({ ...model, beatsChance: false }, { code: 'SYN-901', segments: [[3, 0.05]], videos: 1 });
    expect(e.features[0]!.sentence).toBe('Trunk lean 3.0 deg, norm 6.0 ± 3.0 deg: -1.0 SD');
    expect(e.features[1]!.sentence).toBe('Shoulder-hip offset 0.05 trunk lengths, norm 0.05 ± 0.02 trunk lengths: 0.0 SD');
    expect(e.labels).toEqual(['research only', notShownToBeatChance]);
  });
  it('fused with the CNN through the final gate: outlying patient, so the measures weigh wHi', () => {
    const fusion = { finalGate: { q: 0.5, wLo: 0.25, wHi: 0.75, threshold: 1.5 } } as FusionReport;
    const e = explainPatient({ ...model, fusion }, patient, { probability: 0.25, bundleIds: ['cnn-fold-1'] });
    expect(e.fused).toMatchObject({ cnnProbability: 0.25, bundleIds: ['cnn-fold-1'], gateOpen: true, measurementWeight: 0.75 });
    expect(e.fused!.probability).toBeCloseTo(0.75 * e.probability + 0.25 * 0.25, 15);
    expect(e.fused!.call).toBe('ASD');
    const typical = explainPatient({ ...model, fusion }, { code: 'SYN-902', segments: [[6.5, 0.05]], videos: 1 }, { probability: 0.25, bundleIds: ['cnn'] });
    expect(typical.fused).toMatchObject({ gateOpen: false, measurementWeight: 0.25 });
  });
  it('a CNN probability with a model trained without fusion is not combined (and a note says so)', () => {
    const e = explainPatient({ ...model, fusion: null }, patient, { probability: 0.9, bundleIds: ['x'] });
    expect(e.fused).toBeNull();
    expect(e.notes.join(' ')).toMatch(/trained without a CNN/);
  });
  it('a patient without segments is refused with NOT_MEASURABLE', () => {
    let code = '';
    try {
      explainPatient(model, { code: 'SYN-903', segments: [], videos: 1 });
    } catch (error) {
      code = error instanceof AppError ? `${error.code}: ${error.detail}` : String(error);
    }
    expect(code).toBe("NOT_MEASURABLE: patient SYN-903 has no segment with all of the model's measures (trunk lean, shoulder-hip offset)");
  });
});
