/**
 * Made-up screening data for the component tests: every patient code, count, metric, norm and
 * coefficient here is invented for the test and describes no real patient or cohort (no real
 * clinical data exists in this project). The shapes follow src-main/contract/screening.ts.
 */
import type { Job } from '../../src-main/contract/entities.js';
import type {
  CohortPreview,
  FusionReport,
  LevelMetrics,
  PointMetrics,
  ScreeningExplanation,
  ScreeningModel,
  ScreeningModelSummary,
} from '../../src-main/contract/screening.js';

export const fakeModelId = 'lr-0123456789ab';
export const fakeSha = 'c0ffee12' + '0'.repeat(56);

const iv = (estimate: number, lower: number, upper: number) => ({ estimate, lower, upper });

/** Invented patient-level metrics (40 made-up patients). */
export function fakeLevelMetrics(overrides: Partial<LevelMetrics> = {}): LevelMetrics {
  return {
    n: 40,
    positives: 20,
    threshold: 0.5,
    confusion: { tp: 15, fp: 6, tn: 14, fn: 5 },
    balancedAccuracy: iv(0.725, 0.58, 0.86),
    accuracy: iv(0.725, 0.57, 0.84),
    sensitivity: iv(0.75, 0.53, 0.89),
    specificity: iv(0.7, 0.48, 0.85),
    f1: iv(0.732, 0.56, 0.86),
    auroc: iv(0.781, 0.63, 0.93),
    brier: 0.191,
    roc: { fpr: [0, 0.1, 0.3, 0.6, 1], tpr: [0, 0.45, 0.75, 0.9, 1] },
    calibration: [
      { lower: 0.1, upper: 0.2, n: 6, meanPredicted: 0.16, observedRate: 0.17 },
      { lower: 0.4, upper: 0.5, n: 12, meanPredicted: 0.45, observedRate: 0.42 },
      { lower: 0.7, upper: 0.8, n: 9, meanPredicted: 0.74, observedRate: 0.78 },
    ],
    ...overrides,
  };
}

const point = (balancedAccuracy: number): PointMetrics => ({ balancedAccuracy, accuracy: balancedAccuracy, sensitivity: 0.75, specificity: 0.7, f1: 0.73, auroc: 0.78, brier: 0.19 });
const summaryOf = (mean: number, n: number) => ({ mean, sd: 0.04, n });
const summaries = (n: number) => ({
  balancedAccuracy: summaryOf(0.72, n),
  accuracy: summaryOf(0.72, n),
  sensitivity: summaryOf(0.75, n),
  specificity: summaryOf(0.7, n),
  f1: summaryOf(0.73, n),
  auroc: summaryOf(0.78, n),
  brier: summaryOf(0.19, n),
});

export function fakeFusion(): FusionReport {
  const methods = (['measures', 'cnn', 'fixed', 'global', 'gate'] as const).map((method, i) => ({ method, metrics: fakeLevelMetrics({ balancedAccuracy: iv(0.7 + i * 0.01, 0.55, 0.85) }) }));
  return {
    source: { kind: 'study', id: 3 },
    bundles: [{ fold: 0, id: 'fold-0-bundle' }, { fold: 1, id: 'fold-1-bundle' }],
    patients: 38,
    withoutCnn: ['FAKE-039', 'FAKE-040'],
    folds: 2,
    methods,
    perFold: [
      { fold: 0, globalWeight: 0.6, gate: { q: 0.5, wLo: 0.2, wHi: 0.8, threshold: 1.1 } },
      { fold: 1, globalWeight: 0.55, gate: { q: 0.6, wLo: 0.3, wHi: 0.7, threshold: 1.2 } },
    ],
    comparisons: [{ a: 'gate', b: 'cnn', aRightBWrong: 5, aWrongBRight: 2, mcNemarExactP: 0.453, deLong: { difference: 0.04, se: 0.03, z: 1.33, p: 0.183 } }],
    finalGate: { q: 0.55, wLo: 0.25, wHi: 0.75, threshold: 1.15 },
    notes: ['Made-up note for the test.'],
  };
}

/** An invented model; `beatsChance` false gives a balanced-accuracy interval that includes 0.5. */
export function fakeModel(options: { beatsChance?: boolean; status?: ScreeningModel['status']; active?: boolean; fusion?: FusionReport | null } = {}): ScreeningModel {
  const beatsChance = options.beatsChance ?? true;
  const patient = fakeLevelMetrics(beatsChance ? {} : { balancedAccuracy: iv(0.6, 0.46, 0.74) });
  const status = options.status ?? 'trained';
  return {
    id: fakeModelId,
    name: 'Made-up posture model',
    sha256: fakeSha,
    status,
    active: options.active ?? false,
    createdAt: '2026-12-01T09:30:00.000Z',
    acceptedAt: status === 'accepted' ? '2026-12-01T10:00:00.000Z' : null,
    acceptedBy: status === 'accepted' ? 'tester' : null,
    features: ['trunkLean', 'headForward'],
    videoFeatures: null,
    headBundleId: null,
    patients: 40,
    balancedAccuracy: patient.balancedAccuracy,
    auroc: patient.auroc,
    beatsChance,
    fused: options.fusion !== undefined && options.fusion !== null,
    origin: 'job 77',
    body: {
      format: 'walkscope.screening-model',
      formatVersion: 1,
      name: 'Made-up posture model',
      createdAt: '2026-12-01T09:30:00.000Z',
      appVersion: '0.1.0-test',
      researchOnly: true,
      features: ['trunkLean', 'headForward'],
      standardisation: { mean: [8, 20], scale: [4, 6] },
      coefficients: [0.9, 0.4],
      intercept: -0.2,
      c: 1,
      threshold: 0.5,
      norms: { trunkLean: { mean: 6, sd: 3, n: 20 }, headForward: { mean: 18, sd: 5, n: 20 } },
      cohort: { patients: 40, asd: 20, notAsd: 20, segments: 900, byDiagnosis: { ASD: 20, DHS: 8, LCS: 7, HipOA: 5 }, excluded: 2, patientsSha256: 'd'.repeat(64) },
      protocol: { folds: 5, repeats: 2, seed: 2023, innerFolds: 3, cGrid: [0.01, 0.1, 1, 10], classWeight: 'balanced', bootstrapReplicates: 2000 },
      evaluation: {
        patient,
        segment: fakeLevelMetrics({ n: 900, positives: 450, balancedAccuracy: iv(0.69, 0.66, 0.72) }),
        repeats: [
          { repeat: 0, seed: 2023, metrics: point(0.7) },
          { repeat: 1, seed: 2024, metrics: point(0.74) },
        ],
        repeatSummary: summaries(2),
        folds: [
          { repeat: 0, fold: 0, trainPatients: 32, testPatients: 8, testPositives: 4, trainSegments: 720, chosenC: 1, metrics: point(0.71) },
          { repeat: 0, fold: 1, trainPatients: 32, testPatients: 8, testPositives: 4, trainSegments: 715, chosenC: 0.1, metrics: { ...point(0.69), auroc: null } },
        ],
        foldSummary: summaries(2),
        predictions: [{ code: 'FAKE-001', label: 1, segments: 20, perRepeat: [0.7, 0.74], probability: 0.72 }],
        leakage: { checkedSplits: 40, patientsOnBothSides: 0 },
      },
      fusion: options.fusion ?? null,
      beatsChance,
      trainingSeconds: 12.5,
    },
  };
}

export function fakeSummary(options: Parameters<typeof fakeModel>[0] & { id?: string; name?: string } = {}): ScreeningModelSummary {
  const { body: _body, ...summary } = fakeModel(options);
  return { ...summary, id: options.id ?? summary.id, name: options.name ?? summary.name };
}

/** An invented cohort preview; `refusal` set makes it one training refuses. */
export function fakeCohort(overrides: Partial<CohortPreview> = {}): CohortPreview {
  return {
    features: ['trunkLean', 'headForward', 'shoulderHipOffset', 'maxHipFlexion', 'hipRange'],
    patients: [
      { code: 'FAKE-001', diagnosis: 'ASD', label: 1, videos: 2, segments: 24 },
      { code: 'FAKE-002', diagnosis: 'DHS', label: 0, videos: 1, segments: 11 },
    ],
    excluded: [{ code: 'FAKE-099', diagnosis: 'unknown', reason: 'no diagnosis label' }],
    counts: { asd: 12, notAsd: 14, segments: 300, byDiagnosis: { ASD: 12, DHS: 6, LCS: 5, other: 3 } },
    warnings: ['Made-up warning: 3 segments were left out for a missing measure.'],
    refusal: null,
    ...overrides,
  };
}

export function fakeTrainJob(fields: Partial<Job> = {}): Job {
  return { id: 77, kind: 'train', status: 'queued', videoId: null, progress: 0, message: 'Waiting', messagePhrase: null, error: null, attempts: 0, runId: null, createdAt: '2026-12-01T09:29:00.000Z', startedAt: null, finishedAt: null, etaSec: null, ...fields };
}

/** An invented explanation of made-up patient FAKE-001. */
export function fakeExplanation(options: { beatsChance?: boolean; fused?: boolean } = {}): ScreeningExplanation {
  const beatsChance = options.beatsChance ?? true;
  return {
    model: { id: fakeModelId, name: 'Made-up posture model', sha256: fakeSha, beatsChance, status: 'accepted' },
    patientCode: 'FAKE-001',
    probability: 0.82,
    call: 'ASD',
    threshold: 0.5,
    segments: 24,
    videos: 2,
    logitOfMeans: 1.6,
    intercept: -0.2,
    features: [
      { name: 'trunkLean', label: 'Trunk lean', unit: 'deg', value: 14, norm: { mean: 6, sd: 3, n: 20 }, zScore: 2.67, contribution: 1.5, sentence: 'Trunk lean 14.0 deg, norm 6.0 ± 3.0 deg: +2.7 SD' },
      { name: 'hipRange', label: 'Hip range of motion', unit: 'deg', value: 38, norm: { mean: 40, sd: 5, n: 20 }, zScore: -0.4, contribution: -0.3, sentence: 'Hip range of motion 38.0 deg, norm 40.0 ± 5.0 deg: −0.4 SD' },
    ],
    outlyingness: 1.5,
    fused: options.fused ? { cnnProbability: 0.64, bundleIds: ['fold-0-bundle'], gateOpen: true, measurementWeight: 0.75, probability: 0.775, call: 'ASD' } : null,
    labels: beatsChance ? ['research only'] : ['research only', 'not shown to beat chance'],
    notes: [],
  };
}
