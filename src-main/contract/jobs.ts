import { z } from 'zod';
import { cropModeSchema, detectorNameSchema, trackOverlaySchema, type JobKind } from './entities.js';
import { cohortSchema, fusionSourceSchema, protocolSchema, screeningModelBodySchema } from './screening.js';
import { frameSeriesSchema, gaitSchema, measureSegmentSchema, measureSummarySchema, poseProvenanceSchema, poseTrackSchema } from './measurements.js';

/**
 * What every job kind takes and gives back, as schemas: params are checked when a job is
 * queued and again when a worker takes it (they come back from the database as JSON), the
 * result when the worker hands it to the main thread. The types of params and results come
 * from here, so a job is typed from enqueue to work to commit.
 */

// ---- media.analyse: frame count, frame-rate regularity and the thumbnail, after import ----

export const mediaAnalyseParamsSchema = z
  .object({
    videoPath: z.string().min(1),
    durationSec: z.number().nonnegative(),
  })
  .strict();

export const mediaAnalyseResultSchema = z.object({
  /** The thumbnail, written into the vault's temporary folder; the commit moves it into place. */
  thumbnailTemp: z.string(),
  frameCount: z.number().int().nonnegative(),
  variableFrameRate: z.boolean(),
  intervalJitter: z.number(),
});

// ---- stage1: the person-centred clip ----

/** Who the patient is: the tracked person who walks, the reference code's rule, or a track chosen by a user. */
export const patientChoiceSchema = z.union([z.enum(['walker', 'paper']), z.number().int().positive()]);

export const stage1ParamsSchema = z
  .object({
    videoId: z.number().int().positive(),
    videoPath: z.string().min(1),
    mode: cropModeSchema,
    size: z.number().int().min(16).max(4096),
    patient: patientChoiceSchema,
    /** Absent in jobs queued before detectors were selectable: MoveNet MultiPose. */
    detector: detectorNameSchema.optional(),
    /** Detect on every k-th frame (absent: the default stride). */
    stride: z.number().int().min(1).max(5).optional(),
    /** The name the video was imported under, for error messages (the vault's file name means nothing to a user). */
    displayName: z.string().optional(),
  })
  .strict();

const segmentSchema = z.object({
  startFrame: z.number().int(),
  endFrame: z.number().int(),
  startSec: z.number(),
  endSec: z.number(),
  detected: z.number().int(),
  interpolated: z.number().int(),
  outputStartFrame: z.number().int(),
});

export const coverageSchema = z.object({
  frames: z.number().int(),
  detected: z.number().int(),
  interpolated: z.number().int(),
  betweenDetections: z.number().int(),
  missing: z.number().int(),
});

/** How each track was judged as the patient (domain/tracking/patientTrack.ts explains each measure). */
const trackAssessmentSchema = z.object({
  id: z.number().int(),
  frames: z.number().int(),
  seconds: z.number(),
  bodyHeight: z.number(),
  sideways: z.number(),
  depth: z.number(),
  travel: z.number(),
  movingShare: z.number(),
  bounce: z.number(),
  sizeChange: z.number(),
  eligible: z.boolean(),
  score: z.number(),
});

export const stage1ResultSchema = z.object({
  /** The clip, in the vault's temporary folder; the commit stores it as a video of its own. */
  outputPath: z.string(),
  /** The clip's thumbnail, beside it in the temporary folder (absent in results from before it was made). */
  thumbnailPath: z.string().optional(),
  outputFrames: z.number().int(),
  mode: cropModeSchema,
  size: z.number().int(),
  selection: z.enum(['walker', 'paper', 'override']),
  patientTrackId: z.number().int().nullable(),
  patientTrackIds: z.array(z.number().int()),
  reason: z.string(),
  coverage: coverageSchema,
  segments: z.array(segmentSchema),
  detector: z.string(),
  backend: z.string(),
  stride: z.number().int().min(1),
  fps: z.number(),
  sourceWidth: z.number().int(),
  sourceHeight: z.number().int(),
  trackCount: z.number().int(),
  assessments: z.array(trackAssessmentSchema),
  crops: z.object({ frames: z.array(z.number().int()), canvas: z.array(z.number()), visible: z.array(z.number()) }),
  overlay: trackOverlaySchema,
  timings: z.object({ detectMs: z.number(), trackMs: z.number(), writeMs: z.number(), totalMs: z.number() }),
});

// ---- stage2: classification with a model bundle ----

export const aggregationSchema = z.enum(['mean', 'median', 'max']);

export const stage2ParamsSchema = z
  .object({
    /** The original video the result belongs to. */
    videoId: z.number().int().positive(),
    /** The video classified: the current person-centred clip, or the original (no stage 1 yet, or the "without stage 1" ablation). */
    classifiedVideoId: z.number().int().positive(),
    classifiedVideoPath: z.string().min(1),
    /**
     * The stage 1 analysis whose clip is classified (null: the original was classified). A
     * result whose stage 1 is no longer current when it is stored is stored as superseded.
     * Absent in jobs queued before results named their stage 1.
     */
    stage1AnalysisId: z.number().int().positive().nullable().optional(),
    bundleDir: z.string().min(1),
    modelId: z.string().min(1),
    aggregation: aggregationSchema,
  })
  .strict();

const skippedProviderSchema = z.object({ provider: z.string(), reason: z.string() });

export const stage2ResultSchema = z.object({
  clips: z.array(
    z.object({
      index: z.number().int(),
      startSec: z.number(),
      endSec: z.number(),
      frameIndices: z.array(z.number().int()),
      rawOutput: z.number(),
      probabilityAsd: z.number(),
    }),
  ),
  videoScore: z.number(),
  verdict: z.enum(['ASD', 'non-ASD']),
  researchOnly: z.boolean(),
  aggregation: aggregationSchema,
  threshold: z.number(),
  provider: z.enum(['cuda', 'webgpu', 'dml', 'coreml', 'cpu']),
  providersSkipped: z.array(skippedProviderSchema),
  bundle: z.object({ id: z.string(), name: z.string(), version: z.string(), sha256: z.string(), validated: z.boolean() }),
  /** How the clips were decoded and normalised (classify/preprocess.ts). */
  preprocessing: z.object({
    frames: z.number().int(),
    clipSeconds: z.number(),
    size: z.number().int(),
    mean: z.array(z.number()),
    std: z.array(z.number()),
    fps: z.number(),
    sampler: z.literal('uniform'),
    resize: z.enum(['exact', 'ffmpeg']),
    decodeFilters: z.string(),
    decodedWidth: z.number().int(),
    decodedHeight: z.number().int(),
    durationSec: z.number(),
  }),
  timings: z.object({ decodeAndPreprocessMs: z.number(), inferenceMs: z.number(), totalMs: z.number() }),
});

// ---- features: the pooled features of every sampled clip, from a feature backbone ----

export const featuresParamsSchema = z
  .object({
    /** The original video the features belong to. */
    videoId: z.number().int().positive(),
    /** The video whose clips are sampled: the current person-centred clip (or the original before stage 1). */
    sampledVideoId: z.number().int().positive(),
    sampledVideoPath: z.string().min(1),
    /** The stage 1 analysis that made the sampled clip (null: the original is sampled). */
    stage1AnalysisId: z.number().int().positive().nullable(),
    bundleDir: z.string().min(1),
    bundleId: z.string().min(1),
    /** The weights the features must come from: a bundle re-imported with other weights under the same id is refused. */
    bundleSha256: z.string().regex(/^[a-f0-9]{64}$/),
    /** Where finished clips are kept until the result is stored (outside the vault's temporary folder, which is swept at start). */
    checkpointPath: z.string().min(1),
  })
  .strict();

export const featuresResultSchema = z.object({
  /** The checkpoint, complete: every clip's features (classify/featureCheckpoint.ts). */
  checkpointPath: z.string(),
  featureSize: z.number().int().positive(),
  clips: z.array(z.object({ index: z.number().int().nonnegative(), startSec: z.number(), endSec: z.number(), frameIndices: z.array(z.number().int()) })),
  computedClips: z.number().int().nonnegative(),
  resumedClips: z.number().int().nonnegative(),
  bundle: z.object({ id: z.string(), sha256: z.string() }),
  provider: z.enum(['cuda', 'webgpu', 'dml', 'coreml', 'cpu']),
  timings: z.object({ inferenceMs: z.number(), totalMs: z.number() }),
});

// ---- measure: the patient's keypoints refined on every frame, and the posture and gait measures ----

export const measureParamsSchema = z
  .object({
    videoId: z.number().int().positive(),
    videoPath: z.string().min(1),
    /** The stage 1 result whose patient track is measured. */
    stage1AnalysisId: z.number().int().positive(),
    displayName: z.string(),
    /** The square around the patient's smoothed box on each timeline frame they are in view: x, y, side in original pixels. */
    squares: z.object({ frames: z.array(z.number().int()), boxes: z.array(z.number()) }),
    /** Stage 1's segments (inclusive frames), where the patient is in view. */
    segments: z.array(z.object({ startFrame: z.number().int(), endFrame: z.number().int() })),
    /** The user's vertical reference for this video, degrees from the image vertical (0: the image vertical). */
    verticalReferenceDeg: z.number(),
    /** The pose model (absent: the default). */
    model: z.string().optional(),
  })
  .strict();

export const measureResultSchema = z.object({
  pose: poseTrackSchema,
  series: frameSeriesSchema,
  segments: z.array(measureSegmentSchema),
  gait: gaitSchema,
  summary: measureSummarySchema,
  provenance: poseProvenanceSchema,
  verticalReferenceDeg: z.number(),
  timings: z.object({ poseMs: z.number(), measureMs: z.number(), totalMs: z.number() }),
});

// ---- train: the screening model on the posture measures, cross-validated by patient ----

export const trainParamsSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** Who asked for the training (the audit log records the model under this name). */
    requestedBy: z.string(),
    /** The cohort as it was when training was asked for: a job re-run later trains on the same data. */
    cohort: cohortSchema,
    protocol: protocolSchema,
    /** SHA-256 of the sorted patient codes. */
    patientsSha256: z.string(),
    /**
     * A video-features cohort's rows: its patients are listed without their clips, which are in
     * this file (store/featureCohortFile.ts), checked against its SHA-256 before training.
     */
    featuresFile: z.object({ path: z.string().min(1), sha256: z.string().regex(/^[a-f0-9]{64}$/) }).strict().optional(),
    /** Stage 2 scores per patient (mean of their videos' P(ASD)) when fusing with a 3D CNN. */
    fusion: z
      .object({
        source: fusionSourceSchema,
        bundles: z.array(z.object({ fold: z.number().int().nullable(), id: z.string() })),
        cnnScores: z.array(z.object({ code: z.string(), probability: z.number() })),
        /** A study's fold per patient (null: folds are drawn). */
        foldOfPatient: z.array(z.object({ code: z.string(), fold: z.number().int() })).nullable(),
      })
      .strict()
      .nullable(),
  })
  .strict();

export const trainResultSchema = screeningModelBodySchema;

// ---- what a user may choose when asking for an analysis (kept with the run for its later steps) ----

export const stage1OptionsSchema = z
  .object({
    mode: cropModeSchema.optional(),
    size: z.number().int().min(64).max(1024).optional(),
    /** 'walker' (automatic), 'paper' (the reference heuristic, for ablation) or a track id to override. */
    patient: patientChoiceSchema.optional(),
    /** Person detector: 'movenet-multipose' (default, boxes and keypoints) or 'centernet' (boxes only). */
    detector: detectorNameSchema.optional(),
    /** Detect on every k-th frame (1..5; default 5): about k times faster detection, the patient's box interpolated between. The paper rule always detects every frame. */
    stride: z.number().int().min(1).max(5).optional(),
  })
  .strict();
export type Stage1Options = z.infer<typeof stage1OptionsSchema>;

export const stage2OptionsSchema = z
  .object({
    modelId: z.string().min(1).max(120).optional(),
    /** Classify the original even when a person-centred clip exists (the paper's "without stage 1" ablation). */
    useOriginal: z.boolean().optional(),
    aggregation: aggregationSchema.optional(),
  })
  .strict();
export type Stage2Options = z.infer<typeof stage2OptionsSchema>;

export const measureOptionsSchema = z
  .object({
    /** The pose model for the keypoints (absent: the default, docs/pose-models.md). */
    model: z.string().min(1).max(60).optional(),
  })
  .strict();
export type MeasureOptions = z.infer<typeof measureOptionsSchema>;

// ---- backup: a scheduled backup of the data folder (database, vault files, manifest) ----

export const backupParamsSchema = z
  .object({
    /** The folder that holds the scheduled backups; the job writes a new subfolder into it. */
    folder: z.string().min(1).max(4096),
    /** How many WalkScope backups to keep in `folder` after this one is written. */
    keep: z.number().int().min(1).max(1000),
  })
  .strict();

export const backupResultSchema = z.object({
  /** The new backup's folder. */
  path: z.string(),
  /** SHA-256 of its manifest.json, as written. */
  manifestSha256: z.string(),
  createdAt: z.string(),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  schemaVersion: z.number().int(),
  auditHead: z.object({ id: z.number().int(), hash: z.string().nullable() }).nullable(),
});

// ---- every kind ----

export const jobParamsSchemas = {
  'media.analyse': mediaAnalyseParamsSchema,
  stage1: stage1ParamsSchema,
  measure: measureParamsSchema,
  stage2: stage2ParamsSchema,
  features: featuresParamsSchema,
  train: trainParamsSchema,
  backup: backupParamsSchema,
} as const satisfies Record<JobKind, z.ZodType>;

export const jobResultSchemas = {
  'media.analyse': mediaAnalyseResultSchema,
  stage1: stage1ResultSchema,
  measure: measureResultSchema,
  stage2: stage2ResultSchema,
  features: featuresResultSchema,
  train: trainResultSchema,
  backup: backupResultSchema,
} as const satisfies Record<JobKind, z.ZodType>;

export type JobParams<K extends JobKind> = z.output<(typeof jobParamsSchemas)[K]>;
export type JobResult<K extends JobKind> = z.output<(typeof jobResultSchemas)[K]>;
