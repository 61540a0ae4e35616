import { z } from 'zod';

/**
 * Posture and gait measurements from the patient's keypoints: what the measurement step
 * stores and the screens, exports and the screening model read. Angles are in degrees, forward
 * positive whichever way the patient walks; distances are in trunk lengths; times in seconds.
 */

/** The keypoints a pose model gives: COCO's 17, and BlazePose's heels and toes when it is the model. */
export const keypointNames = [
  'nose', 'leftEye', 'rightEye', 'leftEar', 'rightEar',
  'leftShoulder', 'rightShoulder', 'leftElbow', 'rightElbow', 'leftWrist', 'rightWrist',
  'leftHip', 'rightHip', 'leftKnee', 'rightKnee', 'leftAnkle', 'rightAnkle',
  'leftHeel', 'rightHeel', 'leftToe', 'rightToe',
] as const;
export type KeypointName = (typeof keypointNames)[number];
/** COCO-17 comes first; a model without feet gives the first 17 only. */
export const cocoKeypointCount = 17;

/** The patient's keypoints on the 30 fps timeline, compact: per listed frame `names.length` x (x, y, score), x and y in original pixels. */
export const poseTrackSchema = z.object({
  fps: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  names: z.array(z.enum(keypointNames)),
  frames: z.array(z.number().int()),
  points: z.array(z.number()),
});
export type PoseTrack = z.infer<typeof poseTrackSchema>;

/** How the keypoints were made, for provenance. */
export const poseProvenanceSchema = z.object({
  /** The pose model, e.g. "movenet-thunder", with its files' SHA-256. */
  model: z.string(),
  modelSha256: z.string(),
  /** What ran it, e.g. "onnxruntime (cpu) x2 threads". */
  backend: z.string(),
  /** The temporal filter and its parameters, e.g. "one-euro minCutoff=1.0 beta=0.05 dCutoff=1". */
  filter: z.string(),
  /** Keypoints below this score are not used by any measure. */
  minScore: z.number(),
  /** Frames where left and right were swapped back (a swapped leg flips hip flexion). */
  swapsRepaired: z.number().int(),
  /** Version of the measurement code; results of another version are re-made on the next run. */
  version: z.number().int(),
});
export type PoseProvenance = z.infer<typeof poseProvenanceSchema>;

/** The view of a segment, from body geometry over time. */
export const viewKindSchema = z.enum(['sagittal', 'frontal', 'oblique', 'unknown']);
export type ViewKind = z.infer<typeof viewKindSchema>;

/** Which way the patient walks across the image (null: not walking across, or not known). */
export const walkDirectionSchema = z.enum(['left', 'right']).nullable();

/** Every measure, named once: the five sagittal quantities first (the screening model's default features). */
export const measureNames = [
  'trunkLean',
  'headForward',
  'shoulderHipOffset',
  'maxHipFlexion',
  'hipRange',
  'craniovertebralAngle',
  'hipFlexionLeft',
  'hipFlexionRight',
  'kneeFlexionLeft',
  'kneeFlexionRight',
  'kneeRangeLeft',
  'kneeRangeRight',
] as const;
export const measureNameSchema = z.enum(measureNames);
export type MeasureName = z.infer<typeof measureNameSchema>;
export const sagittalFive = ['trunkLean', 'headForward', 'shoulderHipOffset', 'maxHipFlexion', 'hipRange'] as const satisfies readonly MeasureName[];

/** What each measure means, and its unit, for labels, CSV headers and the PDF. */
export const measureInfo: Record<MeasureName, { label: string; unit: 'deg' | 'trunk lengths'; perFrame: boolean; description: string }> = {
  trunkLean: { label: 'Trunk lean', unit: 'deg', perFrame: true, description: 'hip-midpoint to shoulder-midpoint line from the vertical, forward positive' },
  headForward: { label: 'Head-forward posture', unit: 'deg', perFrame: true, description: 'shoulder to ear line from the vertical (the better-seen side), forward positive' },
  shoulderHipOffset: { label: 'Shoulder-hip offset', unit: 'trunk lengths', perFrame: true, description: 'horizontal distance of the shoulder midpoint ahead of the hip midpoint, in trunk lengths' },
  maxHipFlexion: { label: 'Maximum hip flexion', unit: 'deg', perFrame: false, description: 'largest thigh angle against the trunk line in the segment (mean of the sides seen)' },
  hipRange: { label: 'Hip range of motion', unit: 'deg', perFrame: false, description: 'range of the thigh angle against the trunk line in the segment (mean of the sides seen)' },
  craniovertebralAngle: { label: 'Craniovertebral angle', unit: 'deg', perFrame: true, description: 'ear-shoulder line against the horizontal (smaller: head further forward)' },
  hipFlexionLeft: { label: 'Hip flexion, left', unit: 'deg', perFrame: true, description: 'left thigh (hip to knee) against the trunk line, flexion positive' },
  hipFlexionRight: { label: 'Hip flexion, right', unit: 'deg', perFrame: true, description: 'right thigh (hip to knee) against the trunk line, flexion positive' },
  kneeFlexionLeft: { label: 'Knee flexion, left', unit: 'deg', perFrame: true, description: 'left shank against the thigh, 0 straight' },
  kneeFlexionRight: { label: 'Knee flexion, right', unit: 'deg', perFrame: true, description: 'right shank against the thigh, 0 straight' },
  kneeRangeLeft: { label: 'Knee range, left', unit: 'deg', perFrame: false, description: 'range of left knee flexion in the segment' },
  kneeRangeRight: { label: 'Knee range, right', unit: 'deg', perFrame: false, description: 'range of right knee flexion in the segment' },
};

/** Per-frame values of the per-frame measures (null: not measurable on that frame), on the 30 fps timeline. */
export const frameSeriesSchema = z.object({
  frames: z.array(z.number().int()),
  values: z.partialRecord(measureNameSchema, z.array(z.number().nullable())),
});
export type FrameSeries = z.infer<typeof frameSeriesSchema>;

export const statSchema = z.object({ mean: z.number(), sd: z.number(), min: z.number(), max: z.number(), n: z.number().int() });
export type MeasureStat = z.infer<typeof statSchema>;

/** One 1 s segment of the patient in view (the paper's clip unit). */
export const measureSegmentSchema = z.object({
  index: z.number().int(),
  startFrame: z.number().int(),
  /** Inclusive. */
  endFrame: z.number().int(),
  startSec: z.number(),
  endSec: z.number(),
  view: viewKindSchema,
  direction: walkDirectionSchema,
  /** Share of the segment's frames whose keypoints for the measures were confident. */
  quality: z.number(),
  /** Per measure over the segment; absent when not measurable (a frontal segment has no sagittal measure). */
  stats: z.partialRecord(measureNameSchema, statSchema),
  /** Why measures are missing, in words (e.g. "seen from the front: no sagittal measures"). */
  notes: z.array(z.string()),
});
export type MeasureSegment = z.infer<typeof measureSegmentSchema>;

export const footContactSchema = z.object({ frame: z.number().int(), side: z.enum(['left', 'right']) });

export const gaitSchema = z.object({
  /** Steps per minute over the sagittal walking frames; null when too few contacts. */
  cadence: z.number().nullable(),
  /** (left step time - right step time) / mean step time; null when not measurable. */
  stepTimeAsymmetry: z.number().nullable(),
  footContacts: z.array(footContactSchema),
  notes: z.array(z.string()),
});
export type GaitSummary = z.infer<typeof gaitSchema>;

/** A summary over segments: the mean of the segment means for each measure, with how many segments. */
export const measureSummarySchema = z.object({
  measures: z.partialRecord(measureNameSchema, z.object({ mean: z.number(), sd: z.number(), segments: z.number().int() })),
  sagittalSegments: z.number().int(),
  segments: z.number().int(),
  notes: z.array(z.string()),
});
export type MeasureSummary = z.infer<typeof measureSummarySchema>;

/** The measurements of one video, as stored and shown. */
export const videoMeasurementsSchema = z.object({
  analysisId: z.number().int(),
  videoId: z.number().int(),
  /** The stage 1 result whose patient track they were made on. */
  stage1AnalysisId: z.number().int(),
  createdAt: z.string(),
  provenance: poseProvenanceSchema,
  /** The vertical reference the angles use (degrees of the user's line from the image vertical; 0: the image vertical). */
  verticalReferenceDeg: z.number(),
  segments: z.array(measureSegmentSchema),
  gait: gaitSchema,
  summary: measureSummarySchema,
  seconds: z.number(),
});
export type VideoMeasurements = z.infer<typeof videoMeasurementsSchema>;

/** Per-frame detail for the kinematics panel and the angle overlay (kept apart: it is large). */
export const measurementFramesSchema = z.object({
  analysisId: z.number().int(),
  pose: poseTrackSchema,
  series: frameSeriesSchema,
});
export type MeasurementFrames = z.infer<typeof measurementFramesSchema>;

const figurePoint = z.object({ x: z.number(), y: z.number() });

/**
 * The key frame that leads the patient page: the latest visit's measured original, the frame
 * the summary PDF also shows, as a de-identified JPEG with the lines the angles are measured on
 * (original pixels) and the per-frame measures on that frame.
 */
export const keyFrameFigureSchema = z.object({
  videoId: z.number().int(),
  videoName: z.string(),
  recordedOn: z.string().nullable(),
  /** Null when the video has no frame seen from the side with keypoints. */
  figure: z
    .object({
      /** Frame of the 30 fps timeline. */
      frame: z.number().int(),
      seconds: z.number(),
      width: z.number().int(),
      height: z.number().int(),
      /** `data:image/jpeg;base64,…`, every head blurred. */
      stillDataUrl: z.string(),
      region: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
      vertical: z.object({ a: figurePoint, b: figurePoint }).nullable(),
      segments: z.array(z.object({ part: z.enum(['trunk', 'head', 'left', 'right']), a: figurePoint, b: figurePoint })),
      /** The per-frame measures on this frame (degrees; offsets in trunk lengths). */
      values: z.partialRecord(measureNameSchema, z.number()),
    })
    .nullable(),
});
export type KeyFrameFigure = z.infer<typeof keyFrameFigureSchema>;

// ---- manual measurements on a paused frame (Kinovea-style), saved as annotations ----

const point = z.object({ x: z.number().finite(), y: z.number().finite() });

export const annotationShapeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('line'), a: point, b: point }).strict(),
  /** The angle at `vertex` between the rays to `a` and `b`. */
  z.object({ kind: z.literal('angle'), a: point, vertex: point, b: point }).strict(),
  /** A line the user says is vertical in the scene: every angle of this video is measured against it. */
  z.object({ kind: z.literal('vertical'), a: point, b: point }).strict(),
]);
export type AnnotationShape = z.infer<typeof annotationShapeSchema>;

export const annotationSchema = z.object({
  id: z.number().int(),
  videoId: z.number().int(),
  /** Frame of the 30 fps timeline it was drawn on. */
  frame: z.number().int(),
  shape: annotationShapeSchema,
  /** What it measures: degrees for an angle, pixels for a line, degrees from the image vertical for a vertical reference. */
  value: z.number(),
  label: z.string(),
  author: z.string(),
  createdAt: z.string(),
});
export type Annotation = z.infer<typeof annotationSchema>;
