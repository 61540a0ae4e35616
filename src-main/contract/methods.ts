import { z } from 'zod';
import {
  appInfoSchema,
  auditChainStateSchema,
  assessmentSchema,
  readingStateSchema,
  studyCaseRowSchema,
  readerProgressSchema,
  readingProtocolRequestSchema,
  studyCaseSchema,
  studyKindSchema,
  studySummarySchema,
  studyResultsSchema,
  modelBundleSchema,
  stage2ResultSchema,
  stage1SummarySchema,
  trackOverlaySchema,
  analysisPlanSchema,
  analysisRunSchema,
  analysisStepKindSchema,
  callSchema,
  readerCodeSchema,
  readerSchema,
  jobSchema,
  jobStatusSchema,
  patientCodeSchema,
  patientFieldsSchema,
  patientSchema,
  settingsSchema,
  queueInUseSchema,
  videoSchema,
  recordingDaySchema,
  viewSchema,
} from './entities.js';
import { measureOptionsSchema, stage1OptionsSchema, stage2OptionsSchema } from './jobs.js';
import {
  cohortPreviewSchema,
  cohortRequestSchema,
  fusionSourceSchema,
  protocolSchema,
  screeningExplanationSchema,
  screeningModelSchema,
  screeningModelSummarySchema,
  featureExtractionSchema,
} from './screening.js';
import { annotationSchema, annotationShapeSchema, keyFrameFigureSchema, measureSummarySchema, measurementFramesSchema, videoMeasurementsSchema } from './measurements.js';

/**
 * The one contract between the UI and WalkScope's services. Each method has a request and
 * a reply schema; every transport (Electron IPC, serve-mode WebSocket, CLI) validates both
 * with the same generic dispatcher. Requests are strict: unknown fields are refused.
 */

const videoId = z.number().int().positive();
const screeningModelId = z.string().regex(/^lr-[a-f0-9]{12}$/, 'a screening model id looks like lr- and 12 hexadecimal digits');

/** Where an imported file comes from: a path on this machine, or a file the browser uploaded in serve mode. */
export const importSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096, 'the path is longer than 4096 characters') }).strict(),
  z.object({ kind: z.literal('upload'), uploadId: z.string().regex(/^[a-f0-9]{32}$/, 'the upload id is malformed'), fileName: z.string().min(1).max(255) }).strict(),
]);
export type ImportSource = z.infer<typeof importSourceSchema>;

/** A file's own name, as the browser gives it: no folders, nothing hidden, no `..`. */
const plainFileName = z
  .string()
  .min(1)
  .max(255)
  .refine((name) => !/[/\\\0]/.test(name) && name !== '.' && name !== '..', 'a file name without folders');

/**
 * Where a model bundle comes from: a zip or folder on this machine, an uploaded zip, or the
 * files of a bundle folder uploaded one by one (a dropped folder, or a picked `manifest.json`
 * with the files beside it), named by the folder's name.
 */
export const modelImportSourceSchema = z.union([
  importSourceSchema,
  z
    .object({
      kind: z.literal('uploadFolder'),
      folderName: z.string().min(1).max(255),
      files: z.array(z.object({ uploadId: z.string().regex(/^[a-f0-9]{32}$/, 'the upload id is malformed'), fileName: plainFileName }).strict()).min(1).max(32),
    })
    .strict(),
]);
export type ModelImportSource = z.infer<typeof modelImportSourceSchema>;

export const methods = {
  'app.info': {
    request: z.object({}).strict(),
    reply: appInfoSchema,
  },
  'patients.list': {
    request: z
      .object({
        search: z.string().max(200, 'the search text is longer than 200 characters').optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    reply: z.array(patientSchema),
  },
  'patients.get': {
    request: z.object({ code: patientCodeSchema }).strict(),
    reply: z.object({ patient: patientSchema, videos: z.array(videoSchema) }),
  },
  'patients.create': {
    request: patientFieldsSchema.partial().extend({ code: patientCodeSchema }).strict(),
    reply: patientSchema,
  },
  'patients.update': {
    request: z.object({ code: patientCodeSchema, changes: patientFieldsSchema.partial() }).strict(),
    reply: patientSchema,
  },
  'videos.import': {
    request: z.object({ patientCode: patientCodeSchema, source: importSourceSchema, view: viewSchema.optional() }).strict(),
    reply: z.object({ video: videoSchema, deduplicated: z.boolean(), jobId: z.number().int().nullable() }),
  },
  'videos.get': {
    request: z.object({ id: videoId }).strict(),
    reply: videoSchema,
  },
  'videos.setView': {
    request: z.object({ id: videoId, view: viewSchema }).strict(),
    reply: videoSchema,
  },
  /** The day an original was recorded (null: not known); its clips follow. Audited. */
  'videos.setRecordedOn': {
    request: z.object({ id: videoId, recordedOn: recordingDaySchema.nullable() }).strict(),
    reply: videoSchema,
  },
  'videos.thumbnail': {
    request: z.object({ id: videoId }).strict(),
    reply: z.object({ dataUrl: z.string().nullable() }),
  },
  /**
   * A copy of an original video to share: every head stage 1 found blurred, no audio, no
   * container metadata, named after the video's id only (audited as an export).
   */
  'videos.exportDeidentified': {
    request: z.object({ id: videoId }).strict(),
    reply: z.object({ fileName: z.string(), mimeType: z.string(), contentBase64: z.string(), frames: z.number().int(), blurredFrames: z.number().int() }),
  },
  /**
   * The frame of an original at a time of the review clock as a PNG at the video's size, for the
   * review screen's snapshot: with `blurFaces` (the screen's default) every head stage 1 found
   * on it blurred. Named after the day and the time in the video only (audited as an export).
   */
  'videos.snapshot': {
    request: z.object({ id: videoId, timeSec: z.number().min(0).max(86_400), blurFaces: z.boolean() }).strict(),
    reply: z.object({ fileName: z.string(), mimeType: z.string(), contentBase64: z.string(), width: z.number().int(), height: z.number().int(), frame: z.number().int(), blurredHeads: z.number().int() }),
  },
  'jobs.list': {
    request: z.object({ status: z.array(jobStatusSchema).max(5).optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
    reply: z.array(jobSchema),
  },
  'jobs.cancel': {
    request: z.object({ id: z.number().int().positive() }).strict(),
    reply: jobSchema,
  },
  'readers.list': {
    request: z.object({}).strict(),
    reply: z.array(readerSchema),
  },
  'readers.create': {
    request: z
      .object({
        code: readerCodeSchema,
        displayName: z.string().trim().min(1, 'the name is empty').max(200, 'the name is longer than 200 characters'),
        role: z.string().trim().max(80).optional(),
      })
      .strict(),
    reply: readerSchema,
  },
  'assessments.list': {
    request: z.object({ videoId }).strict(),
    reply: z.array(assessmentSchema),
  },
  'assessments.add': {
    request: z
      .object({
        videoId,
        readerCode: readerCodeSchema,
        call: callSchema,
        confidence: z.number().int().min(0, 'the confidence is below 0').max(100, 'the confidence is above 100'),
        comment: z.string().max(5000, 'the comment is longer than 5,000 characters').optional(),
        /** The assessment this one corrects; it stays in the history. */
        amends: z.number().int().positive().optional(),
      })
      .strict(),
    reply: assessmentSchema,
  },
  'studies.list': {
    request: z.object({}).strict(),
    reply: z.array(studySummarySchema),
  },
  'studies.create': {
    request: z
      .object({
        name: z.string().trim().min(1, 'the study name is empty').max(200, 'the study name is longer than 200 characters'),
        description: z.string().max(5000).optional(),
        kind: studyKindSchema,
        protocol: readingProtocolRequestSchema.optional(),
        seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
        modelId: z.string().max(200).nullable().optional(),
      })
      .strict(),
    reply: studySummarySchema,
  },
  'studies.get': {
    request: z.object({ id: z.number().int().positive() }).strict(),
    reply: z.object({ study: studySummarySchema, cases: z.array(studyCaseSchema), progress: z.array(readerProgressSchema) }),
  },
  /** The coordinator's case table: truth, every reading and the model's score, case by case. */
  'studies.caseTable': {
    request: z.object({ id: z.number().int().positive() }).strict(),
    reply: z.array(studyCaseRowSchema),
  },
  'studies.addCases': {
    request: z
      .object({
        id: z.number().int().positive(),
        patientCodes: z.array(patientCodeSchema).max(10_000).optional(),
        videoIds: z.array(videoId).max(10_000).optional(),
        /** Training cases: read first in every session, left out of the analysis. */
        training: z.boolean().optional(),
      })
      .strict(),
    reply: z.array(studyCaseSchema),
  },
  'studies.addReader': {
    request: z.object({ id: z.number().int().positive(), readerCode: readerCodeSchema }).strict(),
    reply: z.array(readerProgressSchema),
  },
  'studies.nextCase': {
    request: z.object({ id: z.number().int().positive(), readerCode: readerCodeSchema }).strict(),
    reply: readingStateSchema,
  },
  /** A reader enters or leaves the reading screen (audited: blinding is only as good as its record). */
  'studies.readingSession': {
    request: z
      .object({
        id: z.number().int().positive(),
        readerCode: readerCodeSchema,
        action: z.enum(['enter', 'leave']),
        /** A leave the transport records because the window or browser tab closed mid-session. */
        closed: z.literal(true).optional(),
      })
      .strict(),
    reply: z.object({ recordedAt: z.string() }),
  },
  'studies.submitReading': {
    request: z
      .object({
        id: z.number().int().positive(),
        readerCode: readerCodeSchema,
        caseCode: z.string().regex(/^C\d{3,6}$/, 'the case code is malformed'),
        call: callSchema,
        confidence: z.number().int().min(0, 'the confidence is below 0').max(100, 'the confidence is above 100'),
        comment: z.string().max(5000).optional(),
        timeSpentMs: z.number().int().min(0).max(24 * 3600 * 1000),
      })
      .strict(),
    reply: readingStateSchema,
  },
  'studies.assignFolds': {
    request: z
      .object({ id: z.number().int().positive(), folds: z.number().int().min(2).max(20), seed: z.number().int().min(0).max(2 ** 31 - 1).optional() })
      .strict(),
    reply: z.array(studyCaseSchema),
  },
  'studies.setFoldModel': {
    request: z.object({ id: z.number().int().positive(), fold: z.number().int().min(0).max(19), modelId: z.string().min(1).max(120) }).strict(),
    reply: z.array(z.object({ fold: z.number().int(), modelId: z.string() })),
  },
  'studies.results': {
    request: z.object({ id: z.number().int().positive() }).strict(),
    reply: studyResultsSchema,
  },
  'studies.report': {
    /** imrmc: iMRMC's input layout per patient (readerID, caseID, modalityID, score), for re-analysis. */
    request: z.object({ id: z.number().int().positive(), format: z.enum(['html', 'pdf', 'csv', 'json', 'imrmc']) }).strict(),
    reply: z.object({ fileName: z.string(), mimeType: z.string(), contentBase64: z.string() }),
  },
  'models.list': {
    request: z.object({}).strict(),
    reply: z.array(modelBundleSchema),
  },
  'models.import': {
    request: z.object({ source: modelImportSourceSchema }).strict(),
    reply: modelBundleSchema,
  },
  'models.get': {
    request: z.object({ id: z.string().min(1).max(120) }).strict(),
    reply: modelBundleSchema,
  },
  'models.remove': {
    request: z.object({ id: z.string().min(1).max(120) }).strict(),
    reply: z.object({ removed: z.string() }),
  },
  'analyses.run': {
    request: z
      .object({
        videoIds: z.array(videoId).min(1, 'name at least one video').max(1000),
        /**
         * 'needed' (default): the steps each video still needs (stage 1 and then the measures and
         * stage 2, or some of those, or nothing); 'all': every step again; 'stage2': classify the
         * current clip again; 'measure': measure the current patient track again.
         */
        scope: z.enum(['needed', 'all', 'stage2', 'measure']).optional(),
        /** Run only these of the steps a video needs (default: all of them), e.g. no stage 2. */
        only: z.array(analysisStepKindSchema).min(1).max(3).optional(),
        stage1: stage1OptionsSchema.optional(),
        measure: measureOptionsSchema.optional(),
        stage2: stage2OptionsSchema.optional(),
      })
      .strict(),
    reply: z.array(analysisPlanSchema),
  },
  'analyses.runs': {
    request: z.object({ ids: z.array(z.number().int().positive()).min(1).max(1000) }).strict(),
    reply: z.array(analysisRunSchema),
  },
  /** One video from stage 1 on (its stage 2 follows in the same run when a model is installed); replies with the stage 1 job. */
  'analyses.runStage1': {
    request: stage1OptionsSchema.extend({ videoId }).strict(),
    reply: jobSchema,
  },
  'analyses.stage1': {
    request: z.object({ videoId }).strict(),
    reply: stage1SummarySchema.nullable(),
  },
  'analyses.tracks': {
    request: z.object({ videoId }).strict(),
    reply: trackOverlaySchema.nullable(),
  },
  /** Stage 2 alone on one video's current clip (or the original); replies with its job. */
  'analyses.runStage2': {
    request: stage2OptionsSchema.extend({ videoId }).strict(),
    reply: jobSchema,
  },
  'analyses.stage2': {
    request: z.object({ videoId }).strict(),
    reply: stage2ResultSchema.nullable(),
  },
  /** A video's current posture and gait measurements (made on its current stage 1 result), or null. */
  'measurements.get': {
    request: z.object({ videoId }).strict(),
    reply: videoMeasurementsSchema.nullable(),
  },
  /** The per-frame keypoints and series behind them, for the kinematics panel and the angle overlay. */
  'measurements.frames': {
    request: z.object({ videoId }).strict(),
    reply: measurementFramesSchema.nullable(),
  },
  /** A patient's measurements: per original video, and the summary over them. */
  'measurements.patient': {
    request: z.object({ code: patientCodeSchema }).strict(),
    reply: z.object({
      summary: measureSummarySchema.nullable(),
      videos: z.array(z.object({ videoId: z.number().int(), name: z.string(), measurements: videoMeasurementsSchema.nullable() })),
    }),
  },
  /** CSV, one row per frame or per 1 s segment, named columns with units. */
  'measurements.export': {
    request: z.object({ videoId, level: z.enum(['frame', 'segment']) }).strict(),
    reply: z.object({ fileName: z.string(), mimeType: z.string(), contentBase64: z.string() }),
  },
  /** The key frame that leads the patient page (the latest visit's measured original), or null when no original is measured. */
  'measurements.keyFrame': {
    request: z.object({ code: patientCodeSchema }).strict(),
    reply: keyFrameFigureSchema.nullable(),
  },
  /** The one-page patient summary PDF (key frame with angles drawn, the measures per video, the plots). */
  'measurements.summaryPdf': {
    request: z.object({ code: patientCodeSchema }).strict(),
    reply: z.object({ fileName: z.string(), mimeType: z.string(), contentBase64: z.string() }),
  },
  'annotations.list': {
    request: z.object({ videoId }).strict(),
    reply: z.array(annotationSchema),
  },
  /** Saves a line, an angle or a vertical reference drawn on a frame (audited); a vertical reference re-measures the video against it. */
  'annotations.add': {
    request: z
      .object({
        videoId,
        frame: z.number().int().min(0).max(10_000_000),
        shape: annotationShapeSchema,
        label: z.string().trim().max(200, 'the label is longer than 200 characters').optional(),
      })
      .strict(),
    reply: annotationSchema,
  },
  'annotations.remove': {
    request: z.object({ id: z.number().int().positive() }).strict(),
    reply: z.object({ removed: z.number().int() }),
  },
  /** Who would be trained on: patients with a label and measured sagittal segments, the counts per class, who is left out and why. */
  'screening.cohort': {
    request: cohortRequestSchema,
    reply: cohortPreviewSchema,
  },
  /** Trains and cross-validates a measurement model as a cancellable job; the model is stored as "trained" until someone accepts it. */
  'screening.train': {
    request: z
      .object({
        cohort: cohortRequestSchema.optional(),
        protocol: protocolSchema.partial().strict().optional(),
        name: z.string().trim().min(1, 'the name is empty').max(200, 'the name is longer than 200 characters').optional(),
        fuse: fusionSourceSchema.optional(),
      })
      .strict(),
    reply: jobSchema,
  },
  /** Where a feature backbone's clip features stand over the patients' analysed videos. */
  'features.status': {
    request: z.object({ bundleId: z.string().min(1).max(120), patientCodes: z.array(patientCodeSchema).min(1).max(10_000).optional() }).strict(),
    reply: featureExtractionSchema,
  },
  /** Queues a feature extraction job for every analysed video without features from the backbone (resumable; stored clips are never recomputed). */
  'features.extract': {
    request: z.object({ bundleId: z.string().min(1).max(120), patientCodes: z.array(patientCodeSchema).min(1).max(10_000).optional() }).strict(),
    reply: featureExtractionSchema,
  },
  'screening.list': {
    request: z.object({}).strict(),
    reply: z.array(screeningModelSummarySchema),
  },
  'screening.get': {
    request: z.object({ id: screeningModelId }).strict(),
    reply: screeningModelSchema,
  },
  /** Accepting makes the model the one patient verdicts use (audited); the previous one stays listed. */
  'screening.accept': {
    request: z.object({ id: screeningModelId }).strict(),
    reply: screeningModelSummarySchema,
  },
  /** Retired models stay for provenance; verdicts no longer use them. */
  'screening.retire': {
    request: z.object({ id: screeningModelId }).strict(),
    reply: screeningModelSummarySchema,
  },
  /** The model as one JSON file with its SHA-256, to share with another site. */
  'screening.export': {
    request: z.object({ id: screeningModelId }).strict(),
    reply: z.object({ fileName: z.string(), mimeType: z.string(), contentBase64: z.string() }),
  },
  'screening.import': {
    request: z.object({ source: importSourceSchema }).strict(),
    reply: screeningModelSummarySchema,
  },
  /** The cross-validation report (tables, ROC, calibration, per fold and repeat). */
  'screening.report': {
    request: z.object({ id: screeningModelId, format: z.enum(['html', 'pdf', 'csv', 'json']) }).strict(),
    reply: z.object({ fileName: z.string(), mimeType: z.string(), contentBase64: z.string() }),
  },
  /** A patient's verdict from the active model (or the one named), explained measure by measure; null with the reason when there is none. */
  'screening.explain': {
    request: z.object({ code: patientCodeSchema, modelId: screeningModelId.optional() }).strict(),
    reply: z.object({
      explanation: screeningExplanationSchema.nullable(),
      reason: z.string().nullable(),
      /** What is missing when there is no explanation: an accepted model, or measurements the model can use. */
      missing: z.enum(['model', 'measurements']).nullable(),
    }),
  },
  'audit.list': {
    request: z
      .object({ entity: z.string().max(40).optional(), entityId: z.string().max(40).optional(), limit: z.number().int().min(1).max(1000).optional() })
      .strict(),
    reply: z.array(
      z.object({ id: z.number().int(), at: z.string(), actor: z.string(), action: z.string(), entity: z.string(), entityId: z.string(), before: z.unknown(), after: z.unknown() }),
    ),
  },
  /** Walks the audit log's hash chain now and names the first rows where it does not hold. */
  'audit.verify': {
    request: z.object({}).strict(),
    reply: auditChainStateSchema,
  },
  'settings.setDataFolder': {
    request: z.object({ path: z.string().trim().min(1, 'the folder is empty').max(4096, 'the folder path is longer than 4,096 characters') }).strict(),
    /** The folder is used from the next start; nothing is moved. */
    reply: z.object({ current: z.string(), next: z.string(), holdsWalkScopeData: z.boolean() }),
  },
  'settings.get': {
    request: z.object({}).strict(),
    reply: settingsSchema,
  },
  'settings.update': {
    request: z.object({ changes: settingsSchema.partial() }).strict(),
    reply: settingsSchema,
  },
  /** The job queue in use since this process started, and where it came from (read-only; a changed setting applies at the next start). */
  'settings.queueInUse': {
    request: z.object({}).strict(),
    reply: queueInUseSchema,
  },
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type RequestOf<M extends MethodName> = z.input<Methods[M]['request']>;
export type ReplyOf<M extends MethodName> = z.output<Methods[M]['reply']>;

export const methodNames = Object.keys(methods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}

/** Events pushed from services to every connected UI. */
export const events = {
  'job.updated': jobSchema,
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];
