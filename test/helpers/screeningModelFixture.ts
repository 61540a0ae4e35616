import type { z } from 'zod';
import { screeningModelBodySchema, type foldReportSchema, type LevelMetrics, type PointMetrics, type ScreeningModelBody } from '../../src-main/contract/screening.js';

type FoldReport = z.infer<typeof foldReportSchema>;

/**
 * A screening model body for the report tests. Every number in it is INVENTED for these tests
 * (chosen by hand to be plausible and self-consistent where a reader would check them, e.g. the
 * confusion matrix against the predictions); it is not the result of any training run and not
 * clinical data. 24 patients (12 ASD, 12 not ASD), 3 folds x 2 repeats, the five sagittal
 * measures, and a fusion with a 3D CNN unless `fusion: false`.
 *
 * `beatsChance: false` gives the same model with a patient-level balanced-accuracy interval
 * that includes 0.5. The result is parsed with `screeningModelBodySchema`, so it stays valid
 * when the contract changes.
 */
export function screeningModelFixture(options: { beatsChance?: boolean; fusion?: boolean } = {}): ScreeningModelBody {
  const beatsChance = options.beatsChance ?? true;
  const withFusion = options.fusion ?? true;

  // pooled out-of-fold probabilities: 9 of 12 ASD and 10 of 12 not-ASD patients on the right side of 0.5
  const asd = [0.91, 0.84, 0.78, 0.73, 0.69, 0.66, 0.61, 0.57, 0.52, 0.47, 0.38, 0.29];
  const notAsd = [0.08, 0.12, 0.17, 0.21, 0.26, 0.31, 0.35, 0.4, 0.44, 0.48, 0.55, 0.63];
  const pooled = [...asd.map((p) => ({ p, label: 1 as const })), ...notAsd.map((p) => ({ p, label: 0 as const }))];
  const predictions = pooled.map(({ p, label }, i) => {
    const spread = 0.01 * ((i % 4) + 1);
    return {
      code: `S${String(i + 1).padStart(3, '0')}`,
      label,
      segments: 8 + ((i * 5) % 11),
      perRepeat: [round(p + spread), round(p - spread)],
      probability: p,
    };
  });
  const segments = predictions.reduce((s, p) => s + p.segments, 0);

  const patient: LevelMetrics = {
    n: 24,
    positives: 12,
    threshold: 0.5,
    confusion: { tp: 9, fp: 2, tn: 10, fn: 3 },
    balancedAccuracy: beatsChance ? { estimate: 0.7917, lower: 0.625, upper: 0.9375 } : { estimate: 0.7917, lower: 0.4583, upper: 0.9375 },
    accuracy: { estimate: 0.7917, lower: 0.5953, upper: 0.9076 },
    sensitivity: { estimate: 0.75, lower: 0.4677, upper: 0.9111 },
    specificity: { estimate: 0.8333, lower: 0.552, upper: 0.953 },
    f1: { estimate: 0.7826, lower: 0.5714, upper: 0.9231 },
    auroc: { estimate: 0.8681, lower: 0.7212, upper: 1 },
    brier: 0.157,
    roc: {
      fpr: [0, 0, 0, 0, 0, 0, 0.0833, 0.0833, 0.0833, 0.1667, 0.1667, 0.25, 0.25, 0.3333, 0.4167, 0.4167, 0.5, 0.5833, 0.5833, 0.6667, 0.75, 0.8333, 0.9167, 1],
      tpr: [0, 0.0833, 0.1667, 0.25, 0.3333, 0.4167, 0.5, 0.5, 0.5833, 0.6667, 0.6667, 0.75, 0.75, 0.8333, 0.8333, 0.8333, 0.9167, 0.9167, 0.9167, 1, 1, 1, 1, 1],
    },
    calibration: [
      { lower: 0, upper: 0.1, n: 1, meanPredicted: 0.08, observedRate: 0 },
      { lower: 0.1, upper: 0.2, n: 2, meanPredicted: 0.145, observedRate: 0 },
      { lower: 0.2, upper: 0.3, n: 3, meanPredicted: 0.2533, observedRate: 0.3333 },
      { lower: 0.3, upper: 0.4, n: 3, meanPredicted: 0.3467, observedRate: 0.3333 },
      { lower: 0.4, upper: 0.5, n: 4, meanPredicted: 0.4475, observedRate: 0.25 },
      { lower: 0.5, upper: 0.6, n: 3, meanPredicted: 0.5467, observedRate: 0.6667 },
      { lower: 0.6, upper: 0.7, n: 4, meanPredicted: 0.6475, observedRate: 0.75 },
      { lower: 0.7, upper: 0.8, n: 2, meanPredicted: 0.755, observedRate: 1 },
      { lower: 0.8, upper: 0.9, n: 1, meanPredicted: 0.84, observedRate: 1 },
      { lower: 0.9, upper: 1, n: 1, meanPredicted: 0.91, observedRate: 1 },
    ],
  };

  const segment: LevelMetrics = {
    ...made(segments, 144, { tp: 104, fp: 31, tn: 117, fn: 40 }, 0.801, 0.2),
    roc: { fpr: [0, 0.05, 0.12, 0.21, 0.34, 0.52, 0.75, 1], tpr: [0, 0.31, 0.55, 0.72, 0.83, 0.91, 0.97, 1] },
  };

  const point = (ba: number, acc: number, sens: number, spec: number, f1: number, auroc: number | null, brier: number): PointMetrics => ({ balancedAccuracy: ba, accuracy: acc, sensitivity: sens, specificity: spec, f1, auroc, brier });
  const folds: FoldReport[] = [
    { repeat: 0, fold: 0, trainPatients: 16, testPatients: 8, testPositives: 4, trainSegments: 198, chosenC: 0.1, metrics: point(0.875, 0.875, 0.75, 1, 0.8571, 0.9375, 0.131) },
    { repeat: 0, fold: 1, trainPatients: 16, testPatients: 8, testPositives: 4, trainSegments: 203, chosenC: 1, metrics: point(0.75, 0.75, 0.75, 0.75, 0.75, 0.8125, 0.172) },
    { repeat: 0, fold: 2, trainPatients: 16, testPatients: 8, testPositives: 4, trainSegments: 195, chosenC: 0.1, metrics: point(0.75, 0.75, 0.75, 0.75, 0.75, 0.875, 0.168) },
    { repeat: 1, fold: 0, trainPatients: 16, testPatients: 8, testPositives: 4, trainSegments: 201, chosenC: 0.1, metrics: point(0.625, 0.625, 0.5, 0.75, 0.5714, 0.75, 0.201) },
    { repeat: 1, fold: 1, trainPatients: 16, testPatients: 8, testPositives: 4, trainSegments: 190, chosenC: 0.01, metrics: point(0.875, 0.875, 1, 0.75, 0.8889, 0.9375, 0.118) },
    { repeat: 1, fold: 2, trainPatients: 16, testPatients: 8, testPositives: 4, trainSegments: 205, chosenC: 0.1, metrics: point(0.875, 0.875, 0.75, 1, 0.8571, 0.875, 0.149) },
  ];
  const repeats = [
    { repeat: 0, seed: 2023, metrics: point(0.7917, 0.7917, 0.75, 0.8333, 0.7826, 0.8611, 0.157) },
    { repeat: 1, seed: 2024, metrics: point(0.7917, 0.7917, 0.75, 0.8333, 0.7826, 0.875, 0.156) },
  ];

  const body: ScreeningModelBody = {
    format: 'walkscope.screening-model',
    formatVersion: 1,
    name: 'Sagittal five, site A (test fixture)',
    createdAt: '2026-03-02T09:15:00.000Z',
    appVersion: '0.1.0',
    researchOnly: true,
    features: ['trunkLean', 'headForward', 'shoulderHipOffset', 'maxHipFlexion', 'hipRange'],
    standardisation: { mean: [8.42, 21.7, 0.112, 31.6, 38.9], scale: [4.91, 7.35, 0.061, 6.82, 7.44] },
    coefficients: [0.912, 0.384, 0.521, -0.447, -0.603],
    intercept: -0.118,
    c: 0.1,
    threshold: 0.5,
    norms: {
      trunkLean: { mean: 5.1, sd: 2.8, n: 12 },
      headForward: { mean: 18.4, sd: 5.9, n: 12 },
      shoulderHipOffset: { mean: 0.071, sd: 0.038, n: 12 },
      maxHipFlexion: { mean: 34.2, sd: 5.6, n: 12 },
      hipRange: { mean: 42.5, sd: 6.1, n: 12 },
    },
    cohort: {
      patients: 24,
      asd: 12,
      notAsd: 12,
      segments,
      byDiagnosis: { ASD: 12, DHS: 5, LCS: 4, HipOA: 2, other: 1 },
      excluded: 2,
      patientsSha256: '3f6c2a9be1d04f7a8c55e0b9d2a41c7e96b3f08d1a2e4c6b8d0f1a3c5e7b9d2f',
    },
    protocol: { folds: 3, repeats: 2, seed: 2023, innerFolds: 3, cGrid: [0.001, 0.01, 0.1, 1, 10, 100], classWeight: 'balanced', bootstrapReplicates: 2000 },
    evaluation: {
      patient,
      segment,
      repeats,
      repeatSummary: summarise(repeats.map((r) => r.metrics)),
      folds,
      foldSummary: summarise(folds.map((f) => f.metrics)),
      predictions,
      leakage: { checkedSplits: 24, patientsOnBothSides: 0 },
    },
    fusion: withFusion ? fusionFixture() : null,
    beatsChance,
    trainingSeconds: 12.4,
  };
  return screeningModelBodySchema.parse(body);
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** Mean and sample SD of each point metric over the rows (auroc over the rows that have one). */
function summarise(rows: PointMetrics[]): Record<string, { mean: number; sd: number; n: number }> {
  const out: Record<string, { mean: number; sd: number; n: number }> = {};
  for (const key of ['balancedAccuracy', 'accuracy', 'sensitivity', 'specificity', 'f1', 'auroc', 'brier'] as const) {
    const values = rows.map((r) => r[key]).filter((v): v is number => v !== null);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
    out[key] = { mean: round(mean), sd: round(sd), n: values.length };
  }
  return out;
}

/** Level metrics from a confusion matrix, an AUROC and a Brier score, with invented interval widths. */
function made(n: number, positives: number, confusion: LevelMetrics['confusion'], auroc: number, brier: number): LevelMetrics {
  const { tp, fp, tn, fn } = confusion;
  const sensitivity = tp / (tp + fn);
  const specificity = tn / (tn + fp);
  const around = (x: number, half: number) => ({ estimate: round(x), lower: round(Math.max(0, x - half)), upper: round(Math.min(1, x + half)) });
  const half = 1.6 / Math.sqrt(n);
  return {
    n,
    positives,
    threshold: 0.5,
    confusion,
    balancedAccuracy: around((sensitivity + specificity) / 2, half * 0.6),
    accuracy: around((tp + tn) / n, half * 0.6),
    sensitivity: around(sensitivity, half),
    specificity: around(specificity, half),
    f1: around((2 * tp) / (2 * tp + fp + fn), half * 0.7),
    auroc: around(auroc, half * 0.55),
    brier,
    roc: null,
    calibration: [],
  };
}

function fusionFixture(): NonNullable<ScreeningModelBody['fusion']> {
  const methods = [
    { method: 'measures' as const, metrics: made(22, 11, { tp: 8, fp: 2, tn: 9, fn: 3 }, 0.855, 0.161) },
    { method: 'cnn' as const, metrics: made(22, 11, { tp: 7, fp: 3, tn: 8, fn: 4 }, 0.773, 0.198) },
    { method: 'fixed' as const, metrics: made(22, 11, { tp: 9, fp: 2, tn: 9, fn: 2 }, 0.876, 0.149) },
    { method: 'global' as const, metrics: made(22, 11, { tp: 9, fp: 2, tn: 9, fn: 2 }, 0.884, 0.146) },
    { method: 'gate' as const, metrics: made(22, 11, { tp: 10, fp: 2, tn: 9, fn: 1 }, 0.901, 0.139) },
  ];
  const comparisons: NonNullable<ScreeningModelBody['fusion']>['comparisons'] = [];
  let k = 0;
  for (let i = 0; i < methods.length; i++) {
    for (let j = i + 1; j < methods.length; j++) {
      k++;
      const difference = round(methods[i]!.metrics.auroc!.estimate - methods[j]!.metrics.auroc!.estimate);
      const se = round(0.03 + 0.004 * k);
      comparisons.push({
        a: methods[i]!.method,
        b: methods[j]!.method,
        aRightBWrong: k % 3,
        aWrongBRight: (k % 4) + 1,
        mcNemarExactP: round(Math.min(1, 0.25 + 0.07 * k)),
        deLong: { difference, se, z: round(difference / se, 3), p: round(Math.min(1, 0.05 + 0.09 * k)) },
      });
    }
  }
  return {
    source: { kind: 'study', id: 3 },
    bundles: [
      { fold: 0, id: 'slow_r50-site-a-f0' },
      { fold: 1, id: 'slow_r50-site-a-f1' },
      { fold: 2, id: 'slow_r50-site-a-f2' },
    ],
    patients: 22,
    withoutCnn: ['S007', 'S019'],
    folds: 3,
    methods,
    perFold: [
      { fold: 0, globalWeight: 0.6, gate: { q: 0.5, wLo: 0.3, wHi: 0.8, threshold: 0.74 } },
      { fold: 1, globalWeight: 0.55, gate: { q: 0.6, wLo: 0.25, wHi: 0.85, threshold: 0.81 } },
      { fold: 2, globalWeight: 0.65, gate: { q: 0.5, wLo: 0.3, wHi: 0.75, threshold: 0.69 } },
    ],
    comparisons,
    finalGate: { q: 0.5, wLo: 0.3, wHi: 0.8, threshold: 0.76 },
    notes: ['2 patients have no CNN score and are left out of the comparison.'],
  };
}
