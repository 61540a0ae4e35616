import { z } from 'zod';
import { mrmcResultSchema } from './mrmc.js';
import { languageSettings } from './i18n/languages.js';
import { phraseSchema } from './phrase.js';

/**
 * Shapes of the things the UI shows, shared by every transport. Limits on strings are part
 * of the contract: a request that exceeds them is refused before any service sees it.
 */

/** ASD, the disorders it is told from, `control` (recruited as a control: not ASD), and `unknown` (no label yet). */
export const diagnosisLabels = ['ASD', 'DHS', 'LCS', 'HipOA', 'other', 'control', 'unknown'] as const;
export const diagnosisSchema = z.enum(diagnosisLabels);
export type Diagnosis = z.infer<typeof diagnosisSchema>;

export const sexValues = ['female', 'male', 'other', 'unknown'] as const;
export const sexSchema = z.enum(sexValues);

export const viewValues = ['sagittal', 'frontal', 'unknown'] as const;
export const viewSchema = z.enum(viewValues);
export type VideoView = z.infer<typeof viewSchema>;

/** Pseudonymous patient code: letters, digits, dot, dash, underscore; 1-40 characters. */
export const patientCodeSchema = z
  .string()
  .trim()
  .min(1, 'the patient code is empty')
  .max(40, 'the patient code is longer than 40 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'the patient code may hold only letters, digits, dot, dash and underscore');

const currentYear = new Date().getFullYear();

export const patientSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string().nullable(),
  sex: sexSchema,
  birthYear: z.number().int().nullable(),
  diagnosis: diagnosisSchema,
  notes: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  videoCount: z.number().int(),
});
export type Patient = z.infer<typeof patientSchema>;

export const patientFieldsSchema = z
  .object({
    name: z.string().trim().max(200, 'the name is longer than 200 characters').nullable(),
    sex: sexSchema,
    birthYear: z.number().int().min(1900, 'the birth year is before 1900').max(currentYear, 'the birth year is in the future').nullable(),
    diagnosis: diagnosisSchema,
    notes: z.string().max(10_000, 'the notes are longer than 10,000 characters'),
  })
  .strict();
export type PatientFields = z.infer<typeof patientFieldsSchema>;

export const videoProbeSchema = z.object({
  container: z.string(),
  codec: z.string(),
  pixelFormat: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  /** Size as shown, after applying rotation metadata. */
  displayWidth: z.number().int(),
  displayHeight: z.number().int(),
  rotation: z.number().int(),
  durationSec: z.number(),
  /** ffprobe avg_frame_rate: frames / duration. */
  avgFps: z.number(),
  /** ffprobe r_frame_rate: the base rate of the timestamps. */
  realFps: z.number(),
  variableFrameRate: z.boolean(),
  frameCount: z.number().int().nullable(),
  bitRate: z.number().int().nullable(),
  hasAudio: z.boolean(),
  audioCodec: z.string().nullable(),
  /** The container's creation time as stored (ISO, usually UTC); absent or null when it has none. Probes stored before it was read lack it. */
  creationTime: z.string().nullable().optional(),
});
export type VideoProbe = z.infer<typeof videoProbeSchema>;

export const videoKindSchema = z.enum(['original', 'person-centred']);

export const videoSchema = z.object({
  id: z.number().int(),
  patientCode: z.string(),
  kind: videoKindSchema,
  sourceVideoId: z.number().int().nullable(),
  sha256: z.string(),
  originalName: z.string(),
  view: viewSchema,
  sizeBytes: z.number().int(),
  importedAt: z.string(),
  /** The day it was recorded (`YYYY-MM-DD`, the workstation's calendar): a patient's videos group by it into visits. Null: not known yet. */
  recordedOn: z.string().nullable(),
  /** Where that day came from: the container's creation time, or a user who set it. */
  recordedOnSource: z.enum(['container', 'user']).nullable(),
  probe: videoProbeSchema,
  hasThumbnail: z.boolean(),
});
export type Video = z.infer<typeof videoSchema>;
/** A recording day as `YYYY-MM-DD`. */
export const recordingDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written as YYYY-MM-DD');

export const jobStatusSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof jobStatusSchema>;

export const jobKindSchema = z.enum(['media.analyse', 'stage1', 'measure', 'stage2', 'features', 'train', 'backup']);
export type JobKind = z.infer<typeof jobKindSchema>;

export const errorReplySchema = z.object({ code: z.string(), message: z.string(), detail: z.string().optional() });

export const jobSchema = z.object({
  id: z.number().int(),
  kind: jobKindSchema,
  status: jobStatusSchema,
  videoId: z.number().int().nullable(),
  /** 0..1 */
  progress: z.number(),
  /** What the job is doing, in English (logs, the CLI, rows from before phrases). */
  message: z.string(),
  /** The same as a catalogue phrase, for screens in the reader's language (null: only the English message). */
  messagePhrase: phraseSchema.nullable(),
  error: errorReplySchema.nullable(),
  attempts: z.number().int(),
  /** The analysis run the job is a step of (null: not part of one, e.g. the media analysis after import). */
  runId: z.number().int().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** Seconds left, estimated from progress so far; null when unknown. */
  etaSec: z.number().nullable(),
  /** What a clinician knows the job by: the video's file name and its patient (absent: no video, or not looked up). */
  subject: z.object({ fileName: z.string(), patientCode: z.string() }).optional(),
  /** The remote worker that runs (or ran) the job, as it names itself (`host/pid/nonce`); absent: this machine. */
  worker: z.string().optional(),
});
export type Job = z.infer<typeof jobSchema>;

export const settingsSchema = z
  .object({
    ffmpegPath: z.string().max(4096).nullable(),
    ffprobePath: z.string().max(4096).nullable(),
    jobConcurrency: z.number().int().min(1).max(16),
    inferenceThreads: z.number().int().min(1).max(64),
    executionProviders: z.array(z.enum(['cuda', 'webgpu', 'dml', 'coreml', 'cpu'])).min(1).max(5),
    detectionWorkers: z.number().int().min(1).max(16),
    /** Scheduled backups go into this folder, one subfolder per backup, named by time (null: no scheduled backups). */
    backupFolder: z.string().max(4096).nullable(),
    /** Hours between two scheduled backups. */
    backupEveryHours: z.number().min(1).max(24 * 31),
    /** How many scheduled backups to keep in the folder; older WalkScope backups are deleted. */
    backupKeep: z.number().int().min(1).max(1000),
    /** The language of the screens and the reports: English, Japanese, or the machine's own locale. */
    language: z.enum(languageSettings),
    /**
     * The remote job queue this machine uses from its next start, as redis://USER@HOST:PORT
     * without a password (WALKSCOPE_QUEUE_PASSWORD holds that), with the shared media folder every
     * worker mounts. Both null: the SQLite queue on this machine. --queue and WALKSCOPE_QUEUE win.
     */
    queueUrl: z.string().max(2048).nullable(),
    queueMediaFolder: z.string().max(4096).nullable(),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

/**
 * The job queue this running process uses, chosen when it started: a flag (--queue), the
 * environment (WALKSCOPE_QUEUE), the stored setting, or the default SQLite queue. The address is
 * shown without its password. A setting that could not be used at this start leaves the SQLite
 * queue in use and says why in `problem`.
 */
export const queueInUseSchema = z.object({
  source: z.enum(['flag', 'environment', 'setting', 'default']),
  url: z.string().nullable(),
  mediaFolder: z.string().nullable(),
  problem: z.string().nullable(),
});
export type QueueInUse = z.infer<typeof queueInUseSchema>;

/**
 * `manifest.json` of a WalkScope backup folder: every file in it (the database, then the vault
 * files the database refers to) with its SHA-256 and size, and what a restore checks it against.
 */
export const backupManifestSchema = z
  .object({
    format: z.literal('walkscope-backup-v1'),
    createdAt: z.string(),
    appVersion: z.string(),
    schemaVersion: z.number().int().nonnegative(),
    /** The audit log's last row when the database was copied (null: an empty log). */
    auditHead: z.object({ id: z.number().int(), hash: z.string().nullable() }).nullable(),
    /** The data folder it was taken from. */
    source: z.string(),
    files: z.array(
      z
        .object({
          /** Relative to the backup folder, with forward slashes: `walkscope.db`, `vault/videos/ab/ab12....mp4`. */
          path: z.string().min(1),
          sha256: z.string().regex(/^[0-9a-f]{64}$/),
          size: z.number().int().nonnegative(),
        })
        .strict(),
    ),
  })
  .strict();
export type BackupManifest = z.infer<typeof backupManifestSchema>;

/** The audit log's hash chain as verified: whether it holds, and the first rows where it does not. */
export const auditChainStateSchema = z.object({
  intact: z.boolean(),
  rows: z.number().int(),
  head: z.object({ id: z.number().int(), hash: z.string().nullable() }).nullable(),
  problems: z.array(
    z.object({
      id: z.number().int(),
      at: z.string(),
      action: z.string(),
      kind: z.enum(['content-changed', 'row-missing', 'order-broken', 'not-hashed']),
      detail: z.string(),
    }),
  ),
  problemCount: z.number().int(),
  chainStarted: z.object({ at: z.string(), rowsHashed: z.number().int(), lastRowHashed: z.number().int() }).nullable(),
  checkedAt: z.string(),
});
export type AuditChainStateReply = z.infer<typeof auditChainStateSchema>;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  transport: z.enum(['electron', 'serve', 'cli']),
  /** The ffmpeg in use (null: none found), its version, why it was chosen, and the ffprobe that goes with it. */
  ffmpeg: z
    .object({
      path: z.string(),
      source: z.string(),
      version: z.string().nullable(),
      reason: z.string(),
      ffprobe: z.object({ path: z.string(), source: z.string(), version: z.string().nullable() }),
    })
    .nullable(),
  schemaVersion: z.number().int(),
  /** Whether walkscope.db is encrypted at rest, and where its key came from (never the key). */
  databaseEncryption: z.object({ encrypted: z.boolean(), keySource: z.string().nullable() }),
  actor: z.string(),
  /** Whether Settings may point WalkScope at another data folder, and the folder it will use from the next start when that differs. */
  dataFolder: z.object({ changeable: z.boolean(), next: z.string().nullable() }),
  /** What the installation should fix, in sentences: an old or missing ffmpeg, a data folder other accounts can read. */
  warnings: z.array(z.string()),
  /** The same warnings as catalogue phrases, one per warning in the same order (null: English only), for Settings in the reader's language. */
  warningPhrases: z.array(phraseSchema.nullable()),
  /** The audit chain as verified when this back end opened the store; a broken chain never stops WalkScope from opening. */
  auditChain: z.object({
    intact: z.boolean(),
    rows: z.number().int(),
    problemCount: z.number().int(),
    firstProblem: auditChainStateSchema.shape.problems.element.nullable(),
    checkedAt: z.string(),
  }),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const readerCodeSchema = z
  .string()
  .trim()
  .min(1, 'the reader code is empty')
  .max(40, 'the reader code is longer than 40 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'the reader code may hold only letters, digits, dot, dash and underscore');

export const readerSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  displayName: z.string(),
  role: z.string(),
  createdAt: z.string(),
});
export type Reader = z.infer<typeof readerSchema>;

export const callSchema = z.enum(['ASD', 'non-ASD']);
export type Call = z.infer<typeof callSchema>;

export const assessmentSchema = z.object({
  id: z.number().int(),
  videoId: z.number().int(),
  readerCode: z.string(),
  readerName: z.string(),
  call: callSchema,
  /**
   * 0-100: how sure the reader is of the call (0 = a guess, 100 = certain). For ROC analysis
   * it maps to a score P(ASD) = 0.5 + confidence/200 for an ASD call, 0.5 - confidence/200 otherwise.
   */
  confidence: z.number().int().min(0).max(100),
  comment: z.string(),
  supersedesId: z.number().int().nullable(),
  supersededById: z.number().int().nullable(),
  createdAt: z.string(),
});
export type Assessment = z.infer<typeof assessmentSchema>;

export const studyKindSchema = z.enum(['reader', 'cross-validation']);

/**
 * How readers read: unaided (the video only), or aided (after their unaided session, the same
 * case again with the model's output and the posture measures beside it).
 */
export const readingModalitySchema = z.enum(['unaided', 'aided']);
export type ReadingModality = z.infer<typeof readingModalitySchema>;

export const readingProtocolSchema = z
  .object({
    /** What readers see: the whole video, or one window of `clipSeconds` placed at random per case inside the patient's segments (the paper used 1 s). */
    material: z.enum(['full', 'clip']),
    clipSeconds: z.number().min(0.5).max(10),
    /** The person-centred clip stage 1 made, or the original video with the patient's box drawn on it. */
    view: z.enum(['person-centred', 'original-marked']).default('original-marked'),
    /** One session per modality, in this order; an aided session always follows the unaided one. */
    modalities: z
      .array(readingModalitySchema)
      .min(1)
      .max(2)
      .default(['unaided'])
      .refine((m) => m[0] === 'unaided' && new Set(m).size === m.length, 'the first session is unaided and each modality is read once'),
    /** Days between a reader's last reading of one session and the first of the next. */
    washoutDays: z.number().int().min(0).max(365).default(28),
    /** Readers never see identity, labels, other readers' calls, or (unaided) model output. */
    blinded: z.literal(true),
  })
  .strict();
export type ReadingProtocol = z.infer<typeof readingProtocolSchema>;
/** What a coordinator may give when creating a study (the rest takes the defaults). */
export const readingProtocolRequestSchema = z
  .object({
    material: z.enum(['full', 'clip']),
    clipSeconds: z.number().min(0.5, 'the clip is shorter than 0.5 s').max(10, 'the clip is longer than 10 s'),
    view: z.enum(['person-centred', 'original-marked']),
    modalities: z.array(readingModalitySchema).min(1).max(2),
    washoutDays: z.number().int().min(0, 'the washout is negative').max(365, 'the washout is longer than a year'),
  })
  .partial()
  .strict();

export const studySummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  kind: studyKindSchema,
  protocol: readingProtocolSchema,
  seed: z.number().int(),
  modelId: z.string().nullable(),
  folds: z.number().int().nullable(),
  createdAt: z.string(),
  /** Cases in the analysis (training cases not counted). */
  caseCount: z.number().int(),
  positiveCount: z.number().int(),
  /** Distinct patients among the analysed cases: the unit of the primary analysis. */
  patientCount: z.number().int(),
  positivePatientCount: z.number().int(),
  /** Cases read first in each session to learn the task, left out of the analysis. */
  trainingCaseCount: z.number().int(),
  readerCount: z.number().int(),
});
export type StudySummary = z.infer<typeof studySummarySchema>;

export const readerSessionProgressSchema = z.object({
  session: z.number().int(),
  modality: readingModalitySchema,
  done: z.number().int(),
  total: z.number().int(),
  /** The seed of this reader's order in this session (null: a study made before seeds were recorded). */
  seed: z.number().int().nullable(),
  /** When the session opens for this reader (washout), null when open or not yet planned. */
  opensAt: z.string().nullable(),
});

export const readerProgressSchema = z.object({
  readerCode: z.string(),
  readerName: z.string(),
  /** Over all sessions, training cases included. */
  done: z.number().int(),
  total: z.number().int(),
  lastReadingAt: z.string().nullable(),
  timeSpentMs: z.number().int(),
  sessions: z.array(readerSessionProgressSchema),
});
export type ReaderProgress = z.infer<typeof readerProgressSchema>;

export const studyCaseSchema = z.object({
  caseCode: z.string(),
  videoId: z.number().int(),
  patientCode: z.string(),
  truth: z.union([z.literal(0), z.literal(1)]),
  fold: z.number().int().nullable(),
  /** The window on the original video's timeline (null: the whole video). */
  clipStartSec: z.number().nullable(),
  clipEndSec: z.number().nullable(),
  /** Read first in each session to learn the task; not analysed. */
  training: z.boolean(),
});
export type StudyCase = z.infer<typeof studyCaseSchema>;

/** One reading of a case, for the coordinator's case table (never sent to a reader). */
export const caseReadingSchema = z.object({
  readerCode: z.string(),
  session: z.number().int(),
  modality: readingModalitySchema,
  call: z.enum(['ASD', 'non-ASD']),
  confidence: z.number().int(),
  timeSpentMs: z.number().int(),
  createdAt: z.string(),
});
export const studyCaseRowSchema = studyCaseSchema.extend({
  readings: z.array(caseReadingSchema),
  /** The stage 2 model's P(ASD) of the case's video (the study's model, or the fold's), null when none. */
  modelScore: z.number().nullable(),
  modelId: z.string().nullable(),
});
export type StudyCaseRow = z.infer<typeof studyCaseRowSchema>;

/** The patient's box on the frames of the shown window, for the original-marked view (source time). */
export const patientMarkSchema = z.object({
  fps: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  /** Frame indices on the 30 fps timeline of the original. */
  frames: z.array(z.number().int()),
  /** x1, y1, x2, y2 per listed frame, in original pixels. */
  boxes: z.array(z.number()),
});
export type PatientMark = z.infer<typeof patientMarkSchema>;

/** What an aided reader sees beside the case: the model's output and the posture measures. */
export const readingAidSchema = z.object({
  /** The screening model's patient-level P(ASD) from the posture measures, when one is accepted and the patient is measured. */
  screening: z.object({ modelName: z.string(), probabilityAsd: z.number(), threshold: z.number() }).nullable(),
  /** The stage 2 (video) model's P(ASD) for this video, when it has a current result. */
  video: z.object({ modelId: z.string(), probabilityAsd: z.number() }).nullable(),
  /** The patient's posture measures over the side-on segments (mean of the segment means). */
  measures: z.array(z.object({ name: z.string(), label: z.string(), unit: z.string(), value: z.number() })),
  notes: z.array(z.string()),
});
export type ReadingAid = z.infer<typeof readingAidSchema>;

/**
 * What a blinded reader is shown: no patient, no label, not even the video id (the player
 * streams the case by study, case code and source). Model output only in an aided session.
 */
export const blindedCaseSchema = z.object({
  studyId: z.number().int(),
  caseCode: z.string(),
  session: z.number().int(),
  sessions: z.number().int(),
  modality: readingModalitySchema,
  training: z.boolean(),
  /** Position in this session (training cases first), and the session's total. */
  position: z.number().int(),
  total: z.number().int(),
  /** Which video the window is on: the person-centred clip or the original. */
  source: z.enum(['person-centred', 'original']),
  startSec: z.number(),
  endSec: z.number().nullable(),
  mark: patientMarkSchema.nullable(),
  aid: readingAidSchema.nullable(),
});
export type BlindedCase = z.infer<typeof blindedCaseSchema>;

/** Where a reader stands: a case to read, a session that opens later (washout), or done. */
export const readingStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('case'), case: blindedCaseSchema }),
  z.object({ state: z.literal('waiting'), session: z.number().int(), modality: readingModalitySchema, opensAt: z.string(), reason: z.string() }),
  z.object({ state: z.literal('done') }),
]);
export type ReadingState = z.infer<typeof readingStateSchema>;

// ---- stage 1: the person-centred video ----

export const cropModeSchema = z.enum(['pad', 'crop']);
/** Stage 1's person detectors: MoveNet MultiPose (default; boxes and 17 keypoints) or CenterNet (person boxes only). */
export const detectorNameSchema = z.enum(['movenet-multipose', 'centernet']);
export type DetectorName = z.infer<typeof detectorNameSchema>;

export const stage1SummarySchema = z.object({
  analysisId: z.number().int(),
  videoId: z.number().int(),
  createdAt: z.string(),
  mode: cropModeSchema,
  size: z.number().int(),
  selection: z.enum(['walker', 'paper', 'override']),
  patientTrackId: z.number().int().nullable(),
  /** Why this track was taken as the patient, in words. */
  reason: z.string(),
  outputVideoIds: z.array(z.number().int()),
  coverage: z.object({
    frames: z.number().int(),
    detected: z.number().int(),
    /** Frames the detector looked at and missed the patient, filled (short gaps). */
    interpolated: z.number().int(),
    /** Frames the detector did not look at (detection stride > 1), the box interpolated between detections. Absent in results from before the stride. */
    betweenDetections: z.number().int().optional(),
    missing: z.number().int(),
  }),
  /** The detector saw every stride-th frame (1 = every frame). */
  stride: z.number().int().min(1).optional(),
  segments: z.array(z.object({ startFrame: z.number().int(), endFrame: z.number().int(), startSec: z.number(), endSec: z.number() })),
  detector: z.string(),
  backend: z.string(),
  trackCount: z.number().int(),
  seconds: z.number(),
});
export type Stage1Summary = z.infer<typeof stage1SummarySchema>;

/** Compact tracks for the review overlays: flattened numbers, one entry per track. */
export const trackOverlaySchema = z.object({
  fps: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  frameCount: z.number().int(),
  /** The detector saw every stride-th frame: track boxes are listed on those frames; the patient's keypoints are interpolated between them. Absent = 1. */
  stride: z.number().int().min(1).optional(),
  patientTrackId: z.number().int().nullable(),
  tracks: z.array(
    z.object({
      id: z.number().int(),
      /** Frame indices on the 30 fps timeline where the track has a box. */
      frames: z.array(z.number().int()),
      /** x1, y1, x2, y2 per listed frame, in original pixels. */
      boxes: z.array(z.number()),
      /**
       * The face points (nose, left and right eye, left and right ear: x, y, score each, 15
       * numbers per listed frame; score 0 where the detector gave none), for the de-identified
       * export. Absent in results stage 1 stored before it kept them.
       */
      faces: z.array(z.number()).optional(),
    }),
  ),
  /** The patient's 17 COCO keypoints per frame: x, y, score each (51 numbers per listed frame). */
  patientKeypoints: z.object({ frames: z.array(z.number().int()), points: z.array(z.number()) }),
});
export type TrackOverlay = z.infer<typeof trackOverlaySchema>;

// ---- analysis runs: the steps of a video's analysis, queued by the back end ----

/** The job kinds that are steps of a video's analysis, in pipeline order (measure and stage 2 both follow stage 1). */
export const analysisStepKinds = ['stage1', 'measure', 'stage2'] as const;
export const analysisStepKindSchema = z.enum(analysisStepKinds);
export type AnalysisStepKind = z.infer<typeof analysisStepKindSchema>;

/** The steps a video still needs, from its current results and the installed models, in pipeline order (empty: up to date). */
export const analysisNeedSchema = z.array(analysisStepKindSchema);
export type AnalysisNeed = z.infer<typeof analysisNeedSchema>;

export const analysisStepStatusSchema = z.enum(['waiting', 'queued', 'running', 'done', 'failed', 'cancelled', 'skipped']);
export type AnalysisStepStatus = z.infer<typeof analysisStepStatusSchema>;

export const analysisRunSchema = z.object({
  id: z.number().int(),
  videoId: z.number().int(),
  createdAt: z.string(),
  steps: z.array(
    z.object({
      kind: analysisStepKindSchema,
      /** waiting: queued when the step before it commits; skipped: will not run (the message says why). */
      status: analysisStepStatusSchema,
      jobId: z.number().int().nullable(),
      progress: z.number(),
      /** The job's message, the error sentence, or why the step was skipped. */
      message: z.string(),
    }),
  ),
  /** No step is waiting, queued or running. */
  finished: z.boolean(),
});
export type AnalysisRun = z.infer<typeof analysisRunSchema>;

export const analysisPlanSchema = z.object({
  videoId: z.number().int(),
  /** The steps the video needed when the run was asked for (none: up to date, no run was made). */
  needs: analysisNeedSchema,
  run: analysisRunSchema.nullable(),
});
export type AnalysisPlan = z.infer<typeof analysisPlanSchema>;

// ---- stage 2: classification ----

export const modelBundleSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  architecture: z.string(),
  sha256: z.string(),
  validated: z.boolean(),
  importedAt: z.string(),
  /** "classifier": one score per clip and a verdict; "features": a feature backbone (the pooled features of each clip), which gives no verdict. */
  kind: z.enum(['classifier', 'features']),
  /** A feature backbone's features per clip (2048 for slow_r50); null for a classifier. */
  featureSize: z.number().int().nullable(),
  /** The threshold on P(ASD) of a classifier; null for a feature backbone. */
  threshold: z.number().nullable(),
  intendedUse: z.string(),
  /** The clip the model reads, from its manifest: frames, their span in seconds, the frame rate it was trained at (null: not stated), the square side in pixels. */
  input: z
    .object({ frames: z.number().int(), clipSeconds: z.number(), fps: z.number().nullable(), size: z.number().int() })
    .nullable(),
  /** Where the model came from, as its manifest states it. */
  provenance: z
    .object({
      trainingData: z.string(),
      date: z.string(),
      authors: z.array(z.string()),
      /** The checkpoint the weights were exported from. */
      checkpoint: z.object({ file: z.string(), sha256: z.string() }).nullable(),
      /** Who validated it, how and on what (null: not stated). */
      validation: z.string().nullable(),
      /** How well it did in cross-validation, as a sentence (a head trained here says so; null: not stated). */
      crossValidated: z.string().nullable(),
    })
    .nullable(),
  /** The name the bundle was imported from: the zip's or folder's name (a path's last part); null for bundles installed before it was kept. */
  importedFrom: z.string().nullable(),
  /** The whole manifest, for the model details screen. */
  manifest: z.record(z.string(), z.unknown()),
});
export type ModelBundle = z.infer<typeof modelBundleSchema>;

export const stage2ResultSchema = z.object({
  analysisId: z.number().int(),
  /** The video the result belongs to (the original). */
  videoId: z.number().int(),
  /** The video actually classified: the person-centred clip, or the original for the "without stage 1" ablation. */
  classifiedVideoId: z.number().int(),
  createdAt: z.string(),
  model: z.object({ id: z.string(), name: z.string(), version: z.string(), sha256: z.string(), validated: z.boolean() }),
  /** True when the model is not validated: the output must be labelled research only. */
  researchOnly: z.boolean(),
  provider: z.string(),
  aggregation: z.enum(['mean', 'median', 'max']),
  threshold: z.number(),
  /** P(ASD) for the video. */
  videoScore: z.number(),
  verdict: z.enum(['ASD', 'non-ASD']),
  clips: z.array(z.object({ index: z.number().int(), startSec: z.number(), endSec: z.number(), probabilityAsd: z.number() })),
  appVersion: z.string(),
  preprocessing: z.record(z.string(), z.unknown()),
  seconds: z.number(),
});
export type Stage2Result = z.infer<typeof stage2ResultSchema>;

// ---- study results (statistics over readings and model scores) ----

const intervalSchema = z.object({ estimate: z.number(), lower: z.number(), upper: z.number() });

export const raterSummarySchema = z.object({
  rater: z.string(),
  isModel: z.boolean(),
  cases: z.number().int(),
  positives: z.number().int(),
  negatives: z.number().int(),
  callsFrom: z.enum(['call column', 'score threshold']),
  confusion: z.object({ tp: z.number().int(), fp: z.number().int(), tn: z.number().int(), fn: z.number().int() }),
  accuracy: intervalSchema,
  sensitivity: intervalSchema,
  specificity: intervalSchema,
  precision: intervalSchema,
  f1: intervalSchema,
  balancedAccuracy: intervalSchema,
  /** null when the AUROC is undefined (one class); lower, upper and variance null when only the DeLong interval is (see notes). */
  auroc: z.object({ estimate: z.number(), lower: z.number().nullable(), upper: z.number().nullable(), variance: z.number().nullable() }).nullable(),
  averagePrecision: z.number().nullable(),
  youden: z.object({ threshold: z.number(), sensitivity: z.number(), specificity: z.number() }).nullable(),
  roc: z.object({ fpr: z.array(z.number()), tpr: z.array(z.number()) }).nullable(),
  notes: z.array(z.string()),
});

/**
 * McNemar on correctness over a set of paired cases: a case is discordant when one rater's call
 * is right and the other's wrong (aRightBWrong is McNemar's b, aWrongBRight its c).
 */
export const correctnessMcNemarSchema = z.object({
  cases: z.number().int(),
  aCorrect: z.number().int(),
  bCorrect: z.number().int(),
  aRightBWrong: z.number().int(),
  aWrongBRight: z.number().int(),
  /** Chi-square with continuity correction (R's mcnemar.test) and its p. */
  statistic: z.number(),
  pCorrected: z.number(),
  /** Without continuity correction (mcnemar.test(correct = FALSE)). */
  statisticUncorrected: z.number(),
  pUncorrected: z.number(),
  /** Exact binomial: binom.test(aRightBWrong, aRightBWrong + aWrongBRight, 0.5). */
  pExact: z.number(),
});
export type CorrectnessMcNemar = z.infer<typeof correctnessMcNemarSchema>;

export const pairComparisonSchema = z.object({
  a: z.string(),
  b: z.string(),
  /** Cases both rated; every paired statistic uses exactly these. */
  commonCases: z.number().int(),
  commonPositives: z.number().int(),
  commonNegatives: z.number().int(),
  /** Cases only one of the two rated (left out of this pair). */
  onlyA: z.number().int(),
  onlyB: z.number().int(),
  deLong: z.object({ auc1: z.number(), auc2: z.number(), difference: z.number(), se: z.number(), z: z.number(), p: z.number(), n: z.number().int() }).nullable(),
  /** Is one more accurate? McNemar on correctness over the common cases. */
  correctness: correctnessMcNemarSchema,
  /** The same within the common ASD cases (sensitivity); null when there are none. */
  sensitivity: correctnessMcNemarSchema.nullable(),
  /** The same within the common non-ASD cases (specificity); null when there are none. */
  specificity: correctnessMcNemarSchema.nullable(),
  /** Do their calls agree? Cohen's kappa with 95% CI; null when undefined (see notes). */
  agreement: z
    .object({ kappa: z.number(), se: z.number(), lower: z.number(), upper: z.number(), observedAgreement: z.number(), expectedAgreement: z.number() })
    .nullable(),
  notes: z.array(z.string()),
});

export const comparisonSchema = z.object({
  cases: z.number().int(),
  positives: z.number().int(),
  raters: z.array(raterSummarySchema),
  pairs: z.array(pairComparisonSchema),
  fleiss: z.object({ kappa: z.number(), items: z.number().int(), raters: z.number().int() }).nullable(),
  /** Why fleiss is null, as a sentence; null when it was computed. */
  fleissUnavailable: z.string().nullable(),
  readerAveragedAuroc: z.object({ mean: z.number(), readers: z.number().int(), min: z.number(), max: z.number() }).nullable(),
  notes: z.array(z.string()),
  bootstrap: z.object({ replicates: z.number().int(), seed: z.number().int() }),
});
/** The comparison as the contract carries it (a subset of the domain's Comparison). */
export type ComparisonView = z.infer<typeof comparisonSchema>;

export const foldRowSchema = z.object({
  fold: z.number().int(),
  cases: z.number().int(),
  positives: z.number().int(),
  patients: z.number().int(),
  caseCodes: z.array(z.string()),
  modelId: z.string().nullable(),
  accuracy: z.number().nullable(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
  auroc: z.number().nullable(),
  note: z.string().nullable(),
});
export type FoldRow = z.infer<typeof foldRowSchema>;

/** What a coordinator files about how the study was run. */
export const studyDesignSchema = z.object({
  readers: z.array(z.string()),
  cases: z.number().int(),
  patients: z.number().int(),
  trainingCases: z.number().int(),
  truthSource: z.string(),
  modalities: z.array(readingModalitySchema),
  washoutDays: z.number().int(),
  material: z.string(),
  /** Every reader's seeded order per session. */
  orders: z.array(z.object({ readerCode: z.string(), session: z.number().int(), modality: readingModalitySchema, seed: z.number().int().nullable() })),
  /** Reading time per modality: median seconds per case over the analysed readings. */
  readingSeconds: z.array(z.object({ modality: readingModalitySchema, median: z.number().nullable(), readings: z.number().int() })),
});
export type StudyDesign = z.infer<typeof studyDesignSchema>;

/** The MRMC analyses of a reader study, on patients (the unit of the primary analysis). */
export const studyMrmcSchema = z.object({
  /** Aided against unaided reading (aided first: differences are aided - unaided); null with a note when the study has one modality or the design is not complete. */
  readerModalities: mrmcResultSchema.nullable(),
  /** The model as a modality of its own (every reader given the model's scores), against each reading modality (model first). */
  versusModel: mrmcResultSchema.nullable(),
  model: z.string().nullable(),
  units: z.number().int(),
  notes: z.array(z.string()),
});
export type StudyMrmc = z.infer<typeof studyMrmcSchema>;

export const studyResultsSchema = z.object({
  study: studySummarySchema,
  design: studyDesignSchema,
  mrmc: studyMrmcSchema,
  /** Primary: per patient (a rater's scores averaged over the patient's cases). */
  comparison: comparisonSchema.nullable(),
  /** Secondary: per case (clip or video), when patients have more than one case; null otherwise. */
  caseLevel: comparisonSchema.nullable(),
  folds: z.array(foldRowSchema),
  foldSummary: z
    .object({ mean: z.record(z.string(), z.number()), sd: z.record(z.string(), z.number()), folds: z.number().int() })
    .nullable(),
  notes: z.array(z.string()),
});
export type StudyResults = z.infer<typeof studyResultsSchema>;
