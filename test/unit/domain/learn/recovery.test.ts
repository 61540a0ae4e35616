import { describe, expect, it } from 'vitest';
import { notShownToBeatChance, protocolSchema } from '../../../../src-main/contract/screening.js';
import { evaluateRepeatedCv } from '../../../../src-main/domain/learn/crossValidation.js';
import { explainPatient } from '../../../../src-main/domain/learn/explain.js';
import { trainScreeningModel } from '../../../../src-main/domain/learn/trainModel.js';
import { syntheticCohort } from '../../../helpers/syntheticCohort.js';

/**
 * Does the cross-validation recover what the generator put in? On SYNTHETIC cohorts (generated
 * numbers, not patients) with the default protocol (10 repeats x 5 folds, C by a 3-fold inner
 * cross-validation, 2000 bootstrap replicates).
 */
const protocol = protocolSchema.parse({});
const train = (cohort: Parameters<typeof trainScreeningModel>[0]) =>
  trainScreeningModel(cohort, protocol, { name: 'SYNTHETIC', appVersion: 'test', createdAt: '2024-01-01T00:00:00Z', patientsSha256: '0'.repeat(64) });

describe('recovery on SYNTHETIC cohorts', () => {
  it('a real effect: the patient AUROC DeLong interval contains the generator AUROC, and balanced accuracy beats chance', () => {
    // 0.5 SD per measure on 5 measures, 10-30 segments a patient: known AUROC 0.779
    const { cohort, knownAuroc } = syntheticCohort({ patientsPerClass: 50, segmentsPerPatient: [10, 30], effect: 0.5, seed: 1 });
    const evaluation = evaluateRepeatedCv(cohort.patients, protocol);
    const auroc = evaluation.patient.auroc!;
    const ba = evaluation.patient.balancedAccuracy;
    console.log(
      `recovery: known AUROC ${knownAuroc.toFixed(4)}; CV patient AUROC ${auroc.estimate.toFixed(4)} (DeLong 95% ${auroc.lower.toFixed(4)}-${auroc.upper.toFixed(4)}); balanced accuracy ${ba.estimate.toFixed(4)} (${ba.lower.toFixed(4)}-${ba.upper.toFixed(4)}); segment AUROC ${evaluation.segment.auroc!.estimate.toFixed(4)}`,
    );
    expect(knownAuroc).toBeCloseTo(0.7792, 4);
    expect(auroc.lower).toBeLessThanOrEqual(knownAuroc);
    expect(auroc.upper).toBeGreaterThanOrEqual(knownAuroc);
    expect(ba.lower).toBeGreaterThan(0.5);
    expect(evaluation.predictions).toHaveLength(100);
    expect(evaluation.predictions.every((p) => p.perRepeat.length === 10)).toBe(true);
    expect(evaluation.repeats).toHaveLength(10);
    expect(evaluation.folds).toHaveLength(50);
    expect(evaluation.repeatSummary.auroc!.n).toBe(10);
  });

  it('no effect: the balanced-accuracy interval includes 0.5, the model is not shown to beat chance and its explanations say so', () => {
    // Under the null, cross-validated predictions lean slightly against the truth (leaving a
    // patient out moves their class's training mean away from them), so with some seeds the
    // interval lies below 0.5; beatsChance is one-sided (lower > 0.5) and is false either way.
    const { cohort, knownAuroc } = syntheticCohort({ patientsPerClass: 40, segmentsPerPatient: [10, 30], effect: 0, seed: 1 });
    expect(knownAuroc).toBe(0.5);
    const model = train(cohort);
    const ba = model.evaluation.patient.balancedAccuracy;
    console.log(`zero effect: balanced accuracy ${ba.estimate.toFixed(4)} (95% ${ba.lower.toFixed(4)}-${ba.upper.toFixed(4)}); AUROC ${model.evaluation.patient.auroc!.estimate.toFixed(4)}; beatsChance ${model.beatsChance}`);
    expect(ba.lower).toBeLessThanOrEqual(0.5);
    expect(ba.upper).toBeGreaterThanOrEqual(0.5);
    expect(model.beatsChance).toBe(false);
    const patient = cohort.patients[0]!;
    const explanation = explainPatient(model, { code: patient.code, segments: patient.segments, videos: patient.videos });
    expect(explanation.labels).toContain('research only');
    expect(explanation.labels).toContain(notShownToBeatChance);
  });
});
