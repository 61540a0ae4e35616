import { z } from 'zod';
import { diagnosisSchema } from './entities.js';
import { measureNameSchema, sagittalFive } from './measurements.js';

/**
 * The screening model a site trains on its own patients: an L2-regularised logistic regression
 * on the posture measures of 1 s sagittal segments, evaluated by repeated patient-disjoint
 * stratified cross-validation with every headline metric at the patient level (a patient's
 * probability is the mean of their segments' probabilities). What the cohort is, what training
 * takes and gives back, the stored model (also its exchange file), and the explanation of one
 * patient's verdict. Research only, always: no model trained here is a clinical device.
 */

// ---- the cohort ----

/** ASD vs not ASD: DHS, LCS, HipOA, other and control count as not ASD; unknown is left out (and listed). */
export const screeningClassOf = (diagnosis: z.infer<typeof diagnosisSchema>): 0 | 1 | null => (diagnosis === 'ASD' ? 1 : diagnosis === 'unknown' ? null : 0);

/** Fewer patients than this in either class and training is refused. */
export const minimumPatientsPerClass = 10;

export const featureListSchema = z
  .array(measureNameSchema)
  .min(1, 'choose at least one measure')
  .max(12)
  .refine((names) => new Set(names).size === names.length, 'a measure is listed twice');

export const defaultFeatures = [...sagittalFive];

/**
 * Where a head's inputs come from: the pooled features of every sampled clip of the patients'
 * videos, from one feature backbone (by id and SHA-256, the weights). Each clip is a row (the
 * "segments" of a video-features cohort are its clips), and a patient's probability is the mean
 * of their clips' (the clip to patient soft vote).
 */
export const videoFeaturesSourceSchema = z.object({
  bundleId: z.string().min(1),
  bundleName: z.string(),
  bundleSha256: z.string().regex(/^[a-f0-9]{64}$/),
  featureSize: z.number().int().positive(),
});
export type VideoFeaturesSource = z.infer<typeof videoFeaturesSourceSchema>;

/** Which patients, and which measures of their segments. */
export const cohortRequestSchema = z
  .object({
    /** Absent: every patient with a diagnosis label. */
    patientCodes: z.array(z.string().min(1).max(64)).min(1).max(10_000).optional(),
    /** Absent: the five sagittal quantities. */
    features: featureListSchema.optional(),
    /** Train on the clip features of this installed feature backbone (a bundle id) instead of posture measures. */
    videoFeaturesFrom: z.string().min(1).max(120).optional(),
  })
  .strict()
  .refine((r) => !(r.videoFeaturesFrom && r.features), { message: 'choose posture measures or video features, not both', path: ['features'] });
export type CohortRequest = z.infer<typeof cohortRequestSchema>;

/** One patient's measured segments, as training reads them: one row of feature values per segment. */
export const cohortPatientSchema = z.object({
  code: z.string(),
  diagnosis: diagnosisSchema,
  /** 1: ASD, 0: not ASD. */
  label: z.union([z.literal(0), z.literal(1)]),
  videos: z.number().int(),
  /** Per segment: the values of `features`, in order. */
  segments: z.array(z.array(z.number())),
});
export type CohortPatient = z.infer<typeof cohortPatientSchema>;

export const cohortExclusionSchema = z.object({ code: z.string(), diagnosis: diagnosisSchema, reason: z.string() });

/** The cohort as the Models screen shows it before training, and as a training job takes it. */
export const cohortSchema = z.object({
  /** The measures of each row (empty for a video-features cohort: its rows are `videoFeatures.featureSize` features of a clip). */
  features: z.array(measureNameSchema),
  /** Set for a cohort of video features (absent: posture measures). */
  videoFeatures: videoFeaturesSourceSchema.optional(),
  patients: z.array(cohortPatientSchema),
  excluded: z.array(cohortExclusionSchema),
  counts: z.object({ asd: z.number().int(), notAsd: z.number().int(), segments: z.number().int(), byDiagnosis: z.partialRecord(diagnosisSchema, z.number().int()) }),
  /** Things a coordinator should know (few segments, class imbalance, segments left out for a missing measure). */
  warnings: z.array(z.string()),
  /** Why this cohort cannot be trained on, in a sentence; null when it can. */
  refusal: z.string().nullable(),
});
export type Cohort = z.infer<typeof cohortSchema>;

/** The cohort as a list shows it: per patient the number of segments, not their values. */
export const cohortPreviewSchema = cohortSchema.extend({
  patients: z.array(cohortPatientSchema.omit({ segments: true }).extend({ segments: z.number().int() })),
});
export type CohortPreview = z.infer<typeof cohortPreviewSchema>;

// ---- the protocol ----

export const regularisationGrid = [0.001, 0.01, 0.1, 1, 10, 100] as const;

export const protocolSchema = z
  .object({
    folds: z.number().int().min(2, 'at least 2 folds').max(10, 'at most 10 folds').default(5),
    repeats: z.number().int().min(1, 'at least 1 repeat').max(50, 'at most 50 repeats').default(10),
    /** Seed of the first repeat's patient split; repeat r uses seed + r. */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(2023),
    /** Folds of the inner cross-validation that picks the regularisation on the training patients. */
    innerFolds: z.number().int().min(2).max(10).default(3),
    /** Candidate inverse regularisation strengths C (sklearn's C: larger is weaker). */
    cGrid: z.array(z.number().positive().finite()).min(1).max(20).default([...regularisationGrid]),
    /** 'balanced': each class weighs the same in the loss (sklearn class_weight="balanced"); 'none': every segment alike. */
    classWeight: z.enum(['balanced', 'none']).default('balanced'),
    /** Bootstrap replicates for the balanced-accuracy and F1 intervals. */
    bootstrapReplicates: z.number().int().min(200).max(20_000).default(2000),
  })
  .strict();
export type Protocol = z.infer<typeof protocolSchema>;

// ---- evaluation ----

const interval = z.object({ estimate: z.number(), lower: z.number(), upper: z.number() });
export type MetricInterval = z.infer<typeof interval>;

/** Metrics of one set of predictions (patients or segments) with 95% intervals. */
export const levelMetricsSchema = z.object({
  n: z.number().int(),
  positives: z.number().int(),
  threshold: z.number(),
  confusion: z.object({ tp: z.number().int(), fp: z.number().int(), tn: z.number().int(), fn: z.number().int() }),
  /** Stratified bootstrap percentile interval. */
  balancedAccuracy: interval,
  /** Wilson interval. */
  accuracy: interval,
  sensitivity: interval,
  specificity: interval,
  /** Stratified bootstrap percentile interval. */
  f1: interval,
  /** DeLong interval; null when a class has fewer than 2 members. */
  auroc: interval.nullable(),
  brier: z.number(),
  roc: z.object({ fpr: z.array(z.number()), tpr: z.array(z.number()) }).nullable(),
  /** Reliability diagram: predictions in equal-width bins of 0.1. */
  calibration: z.array(z.object({ lower: z.number(), upper: z.number(), n: z.number().int(), meanPredicted: z.number(), observedRate: z.number() })),
});
export type LevelMetrics = z.infer<typeof levelMetricsSchema>;

/** Point metrics of one fold or one repeat (no intervals: they are summarised as mean +- SD). */
export const pointMetricsSchema = z.object({
  balancedAccuracy: z.number(),
  accuracy: z.number(),
  sensitivity: z.number(),
  specificity: z.number(),
  f1: z.number(),
  /** Null when the fold holds one class only. */
  auroc: z.number().nullable(),
  brier: z.number(),
});
export type PointMetrics = z.infer<typeof pointMetricsSchema>;

export const foldReportSchema = z.object({
  repeat: z.number().int(),
  fold: z.number().int(),
  trainPatients: z.number().int(),
  testPatients: z.number().int(),
  testPositives: z.number().int(),
  trainSegments: z.number().int(),
  /** The regularisation the inner cross-validation chose on this fold's training patients. */
  chosenC: z.number(),
  /** Patient level. */
  metrics: pointMetricsSchema,
});

export const repeatReportSchema = z.object({ repeat: z.number().int(), seed: z.number().int(), metrics: pointMetricsSchema });

export const meanSdSchema = z.object({ mean: z.number(), sd: z.number(), n: z.number().int() });

/** Out-of-fold probabilities of one patient: one per repeat, each from a model that never saw the patient. */
export const patientPredictionSchema = z.object({
  code: z.string(),
  label: z.union([z.literal(0), z.literal(1)]),
  segments: z.number().int(),
  perRepeat: z.array(z.number()),
  /** Mean of `perRepeat`: the pooled out-of-fold probability the headline metrics use. */
  probability: z.number(),
});
export type PatientPrediction = z.infer<typeof patientPredictionSchema>;

export const evaluationSchema = z.object({
  /**
   * Headline, patient level: every patient's out-of-fold probability pooled over the repeats,
   * thresholded at 0.5, with 95% intervals.
   */
  patient: levelMetricsSchema,
  /** Secondary, segment level (each segment's out-of-fold probability pooled over the repeats). Overstates confidence: segments of one patient are not independent. */
  segment: levelMetricsSchema,
  /** Patient-level metrics of each repeat's split, and their mean +- SD over the repeats. */
  repeats: z.array(repeatReportSchema),
  repeatSummary: z.record(z.string(), meanSdSchema),
  folds: z.array(foldReportSchema),
  foldSummary: z.record(z.string(), meanSdSchema),
  predictions: z.array(patientPredictionSchema),
  /** Checked, not assumed: every fold at every nesting level had no patient on both sides. */
  leakage: z.object({ checkedSplits: z.number().int(), patientsOnBothSides: z.literal(0) }),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

// ---- fusion with a 3D CNN ----

export const fusionSourceSchema = z.discriminatedUnion('kind', [
  /** One bundle for every patient: it must not have been trained on any of these patients, and the user says so (recorded with the model and in the audit log). */
  z
    .object({
      kind: z.literal('bundle'),
      id: z.string().min(1).max(120),
      notTrainedOnThesePatients: z.literal(true, { error: 'say that the bundle was not trained on any of these patients (otherwise its scores are not out of fold), or fuse with a cross-validation study' }),
    })
    .strict(),
  /** A cross-validation study with a bundle per fold: its folds become the outer folds, so every CNN score is out of fold. */
  z.object({ kind: z.literal('study'), id: z.number().int().positive() }).strict(),
  /** A head trained here on video features (a screening model id): its out-of-fold patient probabilities are the video branch; verdicts use its accepted bundle. */
  z.object({ kind: z.literal('head'), id: z.string().min(1).max(120) }).strict(),
]);
export type FusionSource = z.infer<typeof fusionSourceSchema>;

export const fusionMethodNames = ['measures', 'cnn', 'fixed', 'global', 'gate'] as const;
export const fusionMethodSchema = z.enum(fusionMethodNames);
export type FusionMethod = z.infer<typeof fusionMethodSchema>;
export const fusionMethodLabels: Record<FusionMethod, string> = {
  measures: 'Measurement model alone',
  cnn: '3D CNN alone',
  fixed: 'Fixed weight 0.5',
  global: 'Global weight (nested)',
  gate: 'Evidence gate (nested)',
};

/** The gate's parameters: at or above the q-quantile of outlyingness the measurement model weighs wHi, below it wLo. */
export const gateSchema = z.object({ q: z.number(), wLo: z.number(), wHi: z.number(), threshold: z.number() });
export type Gate = z.infer<typeof gateSchema>;

export const fusionReportSchema = z.object({
  source: fusionSourceSchema,
  /** The bundle or the per-fold bundles whose scores were used. */
  bundles: z.array(z.object({ fold: z.number().int().nullable(), id: z.string() })),
  /** Patients with both branches; the comparison is on these only. */
  patients: z.number().int(),
  /** Patients of the cohort left out of the comparison for want of a CNN score. */
  withoutCnn: z.array(z.string()),
  folds: z.number().int(),
  methods: z.array(z.object({ method: fusionMethodSchema, metrics: levelMetricsSchema })),
  /** Chosen on each fold's training patients only. */
  perFold: z.array(z.object({ fold: z.number().int(), globalWeight: z.number(), gate: gateSchema })),
  /** Every pair of methods on the same patients: McNemar exact on per-patient correctness, paired DeLong. */
  comparisons: z.array(
    z.object({
      a: fusionMethodSchema,
      b: fusionMethodSchema,
      /** a right and b wrong, and the reverse. */
      aRightBWrong: z.number().int(),
      aWrongBRight: z.number().int(),
      mcNemarExactP: z.number(),
      deLong: z.object({ difference: z.number(), se: z.number(), z: z.number(), p: z.number() }).nullable(),
    }),
  ),
  /** The gate fitted on every patient, used for fused verdicts with this model. */
  finalGate: gateSchema,
  notes: z.array(z.string()),
});
export type FusionReport = z.infer<typeof fusionReportSchema>;

// ---- the model ----

export const normSchema = z.object({ mean: z.number(), sd: z.number(), n: z.number().int() });

/** The stored model, and the body of its exchange file. Every number a prediction or its explanation needs is here. */
export const screeningModelBodySchema = z
  .object({
    format: z.literal('walkscope.screening-model'),
    formatVersion: z.literal(1),
    name: z.string().min(1).max(200),
    createdAt: z.string(),
    appVersion: z.string(),
    researchOnly: z.literal(true),
    /** The measures, in coefficient order (empty for a head on video features). */
    features: z.array(measureNameSchema),
    /** A head on a feature backbone's clip features (absent or null: a posture-measure model). Such a model gives verdicts only as a stage 2 bundle, once accepted. */
    videoFeatures: videoFeaturesSourceSchema.nullable().optional(),
    /** Segment features are standardised with the training patients' mean and SD (population SD; 1 when a measure is constant). */
    standardisation: z.object({ mean: z.array(z.number()), scale: z.array(z.number()) }),
    coefficients: z.array(z.number()),
    intercept: z.number(),
    /** The regularisation chosen by cross-validation on all patients, and used for this model. */
    c: z.number(),
    threshold: z.number(),
    /** Per measure, among the not-ASD training patients (over patient means). */
    norms: z.partialRecord(measureNameSchema, normSchema),
    cohort: z.object({
      patients: z.number().int(),
      asd: z.number().int(),
      notAsd: z.number().int(),
      segments: z.number().int(),
      byDiagnosis: z.partialRecord(diagnosisSchema, z.number().int()),
      excluded: z.number().int(),
      /** SHA-256 of the sorted patient codes: which patients, without naming them. */
      patientsSha256: z.string(),
    }),
    protocol: protocolSchema,
    evaluation: evaluationSchema,
    fusion: fusionReportSchema.nullable(),
    /** False when the patient-level balanced-accuracy interval includes 0.5: the output is labelled "not shown to beat chance". */
    beatsChance: z.boolean(),
    /** Seconds the training took. */
    trainingSeconds: z.number(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const width = b.videoFeatures ? b.videoFeatures.featureSize : b.features.length;
    if (!b.videoFeatures && b.features.length === 0) ctx.addIssue({ code: 'custom', path: ['features'], message: 'a posture-measure model needs at least one measure' });
    if (b.videoFeatures && b.features.length > 0) ctx.addIssue({ code: 'custom', path: ['features'], message: 'a head on video features lists no measures' });
    if (b.coefficients.length !== width || b.standardisation.mean.length !== width || b.standardisation.scale.length !== width) {
      ctx.addIssue({ code: 'custom', path: ['coefficients'], message: `${b.coefficients.length} coefficients for ${width} ${b.videoFeatures ? 'video features' : 'measures'}` });
    }
  });
export type ScreeningModelBody = z.infer<typeof screeningModelBodySchema>;

export const notShownToBeatChance = 'not shown to beat chance';

export const screeningModelStatusSchema = z.enum(['trained', 'accepted', 'retired']);

/** What lists show of a model. */
export const screeningModelSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  sha256: z.string(),
  status: screeningModelStatusSchema,
  /** The model patient verdicts use (the newest accepted one). */
  active: z.boolean(),
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
  acceptedBy: z.string().nullable(),
  features: z.array(measureNameSchema),
  /** The feature backbone of a head on video features (null: a posture-measure model). */
  videoFeatures: videoFeaturesSourceSchema.nullable(),
  /** The stage 2 bundle an accepted head was written into (null: none yet, or a posture-measure model). */
  headBundleId: z.string().nullable(),
  patients: z.number().int(),
  balancedAccuracy: interval,
  auroc: interval.nullable(),
  beatsChance: z.boolean(),
  fused: z.boolean(),
  /** Where it came from: trained here (job id) or imported from a file. */
  origin: z.string(),
});
export type ScreeningModelSummary = z.infer<typeof screeningModelSummarySchema>;

export const screeningModelSchema = screeningModelSummarySchema.extend({ body: screeningModelBodySchema });
export type ScreeningModel = z.infer<typeof screeningModelSchema>;

/** The exchange file: the body and its SHA-256 (over the canonical JSON of the body). */
export const screeningModelFileSchema = z.object({ sha256: z.string().regex(/^[a-f0-9]{64}$/), model: screeningModelBodySchema }).strict();

// ---- the explanation of one patient's verdict ----

export const featureExplanationSchema = z.object({
  name: measureNameSchema,
  label: z.string(),
  unit: z.string(),
  /** The patient's value: the mean of their segment means. */
  value: z.number(),
  norm: normSchema,
  /** (value - norm mean) / norm SD. */
  zScore: z.number(),
  /** coefficient x standardised value: what the measure adds to the logit. */
  contribution: z.number(),
  /** e.g. "trunk lean 14 deg, norm 6 +- 3 deg: +2.7 SD". */
  sentence: z.string(),
});
export type FeatureExplanation = z.infer<typeof featureExplanationSchema>;

export const screeningExplanationSchema = z.object({
  model: z.object({ id: z.string(), name: z.string(), sha256: z.string(), beatsChance: z.boolean(), status: screeningModelStatusSchema }),
  patientCode: z.string(),
  /** Mean of the segment probabilities: the model's P(ASD) for the patient. */
  probability: z.number(),
  call: z.enum(['ASD', 'not ASD']),
  threshold: z.number(),
  segments: z.number().int(),
  videos: z.number().int(),
  /** The logit of the patient's mean measures, split into the intercept and each measure's contribution. */
  logitOfMeans: z.number(),
  intercept: z.number(),
  features: z.array(featureExplanationSchema),
  /** Mean |z| of the measures against the norms: how far from not-ASD patients the patient is. */
  outlyingness: z.number(),
  fused: z
    .object({ cnnProbability: z.number(), bundleIds: z.array(z.string()), gateOpen: z.boolean(), measurementWeight: z.number(), probability: z.number(), call: z.enum(['ASD', 'not ASD']) })
    .nullable(),
  /** Always includes "research only"; "not shown to beat chance" when the model did not. */
  labels: z.array(z.string()),
  notes: z.array(z.string()),
});
export type ScreeningExplanation = z.infer<typeof screeningExplanationSchema>;

// ---- video features for a head ----

/** Where a feature backbone's extraction stands over the patients' analysed videos. */
export const featureExtractionSchema = z.object({
  bundle: videoFeaturesSourceSchema,
  /** Original videos of the patients asked about. */
  videos: z.number().int(),
  /** Videos whose current clip has every clip's features from this bundle. */
  extracted: z.number().int(),
  /** Videos with an extraction queued or running. */
  pending: z.number().int(),
  /** Videos without a stage 1 clip yet: analyse them first. */
  notAnalysed: z.number().int(),
  /** Clips with features, over the extracted videos. */
  clips: z.number().int(),
  /** The jobs this call queued (none for a status). */
  queuedJobIds: z.array(z.number().int()),
});
export type FeatureExtraction = z.infer<typeof featureExtractionSchema>;
