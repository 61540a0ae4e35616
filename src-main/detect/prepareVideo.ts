import { basename } from 'node:path';
import { rm } from 'node:fs/promises';
import { AppError, isAppError } from '../contract/errors.js';
import type { TrackOverlay } from '../contract/entities.js';
import { phrase, type Phrase } from '../contract/phrase.js';
import { planCrops, type Coverage, type CropMode, type CropPlan } from '../domain/cropPlan.js';
import type { DetectionRun, Keypoint } from '../domain/detectionTypes.js';
import { paperHeuristic } from '../domain/tracking/paperHeuristic.js';
import { choosePatient, patientFromTracks, type TrackAssessment } from '../domain/tracking/patientTrack.js';
import { trackPeople, type Track, type TrackPoint, type TrackerOptions } from '../domain/tracking/tracker.js';
import { writePersonCentredClip } from '../media/cropWriter.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { probeVideo } from '../media/probe.js';
import { detectVideo, type DetectOptions } from './detectVideo.js';
import type { BackendChoice } from './tfRuntime.js';
import type { DetectorName } from './detectorSpecs.js';
import { defaultStride, fillPosesBetweenDetections, strideProblem } from '../domain/detectionStride.js';

/** Who the patient is: the tracked person who walks (default), the reference code's rule, or track id(s) chosen by a user. */
export type PatientSelection = 'walker' | 'paper' | number | readonly number[];

export interface PrepareOptions {
  mode: CropMode;
  /** Side of the square output in pixels (even; the paper's img_size, default 512 in the CLI). */
  size: number;
  patient?: PatientSelection;
  /** Longest absence bridged by interpolation (default 0.5 s); longer ones cut the clip into segments. */
  maxGapSeconds?: number;
  /** Gaussian sigma of the box smoothing in seconds (default 4 frames = 0.133 s; 0 = none). */
  smoothingSeconds?: number;
  /** Segments shorter than this are left out (default 0: keep all). */
  minSegmentSeconds?: number;
  /**
   * Room around the patient's box, as a fraction of its height on every side (default 0.04;
   * MoveNet's boxes hug the body, so without it the head and feet touch the edges). Paper
   * mode always uses the boxes as they are.
   */
  margin?: number;
  /** Pad mode's margin beside the box in pixels (default 10, the reference's bias). */
  bias?: number;
  /** Paper mode: detections must score above this (default: the reference's 0.8 for box detectors, 0.3 for MoveNet; see paperScoreThreshold). */
  paperMinScore?: number;
  tracker?: TrackerOptions;
  /**
   * Detect on every k-th frame of the 30 fps timeline (1..5, default defaultStride); the
   * patient's box is interpolated between detections. The paper's rule (patient 'paper')
   * always detects every frame, as the reference does. Ignored when `detections` are given
   * (their own stride counts).
   */
  stride?: number;
  /** Detections already made for this video (e.g. to re-run with another patient): no detection pass. */
  detections?: DetectionRun;
  /** Called with the detections once made (e.g. to keep them for re-running with another patient). */
  onDetections?: (run: DetectionRun) => void;
  /** Passed to detectVideo (threads, detector score threshold...). */
  detect?: Omit<DetectOptions, 'signal' | 'onProgress' | 'ffmpeg'>;
  /** Person detector (default MoveNet MultiPose; 'centernet' gives boxes only). */
  detector?: DetectorName;
  /** The video's name in error messages (default: the input's file name; the app passes the name it was imported under, not the vault's). */
  displayName?: string;
  backend?: BackendChoice;
  crf?: number;
  preset?: string;
  ffmpeg?: FfmpegPathOverrides | undefined;
  signal?: AbortSignal | undefined;
  /** Overall fraction 0..1 (detection, then writing) and what is being done (jobs.progress.*; English: `englishOf`). */
  onProgress?: (fraction: number, message: Phrase) => void;
}

export interface Stage1Segment {
  startFrame: number;
  /** Inclusive. */
  endFrame: number;
  startSec: number;
  /** Exclusive: (endFrame + 1) / fps. */
  endSec: number;
  detected: number;
  interpolated: number;
  /** First frame of this segment in the written clip. */
  outputStartFrame: number;
}

export interface Stage1Result {
  /** The person-centred clip: the segments one after the other, H.264 yuv420p, 30 fps. */
  outputPath: string;
  outputFrames: number;
  mode: CropMode;
  size: number;
  selection: 'walker' | 'paper' | 'override';
  /** The patient's track (null in paper mode, which does not track). */
  patientTrackId: number | null;
  /** The patient's track plus tracklets joined to it (or the user's ids). */
  patientTrackIds: number[];
  /** Why this person, in a sentence. */
  reason: string;
  coverage: Coverage;
  segments: Stage1Segment[];
  detector: string;
  backend: string;
  /** The detector saw every stride-th frame of the timeline (1 = every frame). */
  stride: number;
  /** Source facts on the 30 fps timeline. */
  fps: number;
  sourceWidth: number;
  sourceHeight: number;
  trackCount: number;
  assessments: TrackAssessment[];
  /**
   * The crop of every written frame, compact, for drawing it on the original: per listed
   * frame 4 numbers (x, y, width, height, source pixels) for the canvas (what fills the
   * output square) and 4 for the visible part (the rest is black).
   */
  crops: { frames: number[]; canvas: number[]; visible: number[] };
  /** All tracks (boxes per frame) and the patient's keypoints, compact, for the review screen. */
  overlay: TrackOverlay;
  timings: { detectMs: number; trackMs: number; writeMs: number; totalMs: number };
}

/** Share of the progress bar given to detection (it takes most of the time). */
const detectShare = 0.75;

const r1 = (v: number) => Math.round(v * 10) / 10;

/** The first five COCO keypoints (nose, eyes, ears) as x, y, score; zeros for a box-only detection. */
function facePoints(keypoints: readonly Keypoint[]): number[] {
  return Array.from({ length: 5 }, (_, k) => keypoints[k]).flatMap((k) => (k ? [r1(k.x), r1(k.y), Math.round(k.score * 100) / 100] : [0, 0, 0]));
}

function overlayOf(run: DetectionRun, tracks: readonly Track[], patient: readonly TrackPoint[], patientTrackId: number | null): TrackOverlay {
  const stride = run.stride ?? 1;
  // between two detections of the patient (stride > 1) the pose is interpolated, so overlays do not blink
  const withPose = fillPosesBetweenDetections(
    patient.filter((p) => p.keypoints.length === 17),
    stride,
  );
  return {
    fps: run.fps,
    stride,
    width: run.width,
    height: run.height,
    frameCount: run.frameCount,
    patientTrackId,
    tracks: tracks.map((t) => ({
      id: t.id,
      frames: t.points.map((p) => p.frame),
      boxes: t.points.flatMap((p) => [r1(p.box.x1), r1(p.box.y1), r1(p.box.x2), r1(p.box.y2)]),
      faces: t.points.flatMap((p) => facePoints(p.keypoints)),
    })),
    patientKeypoints: {
      frames: withPose.map((p) => p.frame),
      points: withPose.flatMap((p) => p.keypoints.flatMap((k) => [r1(k.x), r1(k.y), Math.round(k.score * 100) / 100])),
    },
  };
}

/**
 * The reference keeps Faster R-CNN persons scoring above 0.8 (0.9 and 0.95 in some versions).
 * Scores are not comparable across detectors: MoveNet MultiPose's person scores sit around
 * 0.3-0.6 for clearly visible people, so its equivalent "confident person" threshold is 0.3;
 * CenterNet's sit around 0.5-0.8 for a fully visible walker (Sports2D clip), so 0.5.
 */
export function paperScoreThreshold(detector: string): number {
  if (/movenet/i.test(detector)) return 0.3;
  if (/centernet/i.test(detector)) return 0.5;
  return 0.8;
}

interface PatientPick {
  selection: Stage1Result['selection'];
  points: TrackPoint[];
  patientTrackId: number | null;
  patientTrackIds: number[];
  reason: string;
  assessments: TrackAssessment[];
}

function pickPatient(run: DetectionRun, tracks: readonly Track[], options: PrepareOptions, name: string): PatientPick {
  const fps = run.fps;
  const stride = run.stride ?? 1;
  const patient = options.patient ?? 'walker';
  if (patient === 'paper') {
    if (stride !== 1) {
      throw new AppError('BAD_REQUEST', `the reference code's rule needs detections on every frame, and these were made on every ${stride}th frame: run stage 1 again with the paper rule (it always detects every frame)`);
    }
    const minScore = options.paperMinScore ?? paperScoreThreshold(run.detector);
    const points = paperHeuristic(run.frames, { minScore });
    const auto = choosePatient(tracks, { fps, stride });
    return {
      selection: 'paper',
      points,
      patientTrackId: null,
      patientTrackIds: [],
      reason: `the reference code's rule: people scoring above ${minScore}, the shorter of two boxes first, then the nearest centre; lone boxes jumping 100 px or more and frames without a kept box dropped (${points.length} of ${run.frameCount} frames kept)`,
      assessments: auto?.assessments ?? [],
    };
  }
  if (patient === 'walker') {
    const choice = choosePatient(tracks, { fps, stride });
    if (!choice) throw new AppError('NO_PERSON_FOUND', name);
    return { selection: 'walker', points: choice.points, patientTrackId: choice.id, patientTrackIds: choice.trackIds, reason: choice.reason, assessments: choice.assessments };
  }
  const chosen = patientFromTracks(tracks, patient, { fps, stride });
  if ('missing' in chosen) {
    throw new AppError('TRACK_NOT_FOUND', `${chosen.missing.join(', ') || '(none given)'} (this video has tracks ${tracks.map((t) => t.id).join(', ') || 'none'})`);
  }
  return { selection: 'override', points: chosen.points, patientTrackId: chosen.id, patientTrackIds: chosen.trackIds, reason: chosen.reason, assessments: chosen.assessments };
}

/**
 * ffmpeg decodes a file cut off at the end (index at the front, data missing) without
 * failing: it stops early and exits 0. The container says how long the video should be;
 * far fewer frames than that is a damaged file, not a short video.
 */
async function refuseShortDecode(input: string, name: string, run: DetectionRun, ffmpeg: FfmpegPathOverrides | undefined): Promise<void> {
  const probe = await probeVideo(input, ffmpeg);
  const expected = Math.round(probe.durationSec * run.fps);
  if (run.frameCount < expected - Math.max(5, 0.05 * expected)) {
    throw new AppError('VIDEO_TRUNCATED', name, { cause: new Error(`decoded ${run.frameCount} of ${expected} frames on the ${run.fps} fps timeline`) });
  }
}

/** Tracks, patient and crop plan from detections: the pure middle of stage 1. */
export function planStage1(run: DetectionRun, options: PrepareOptions, name = 'the video'): { tracks: Track[]; pick: PatientPick; plan: CropPlan } {
  const tracks = trackPeople(run.frames, options.tracker);
  const pick = pickPatient(run, tracks, options, name);
  if (pick.points.length === 0) throw new AppError('NO_PERSON_FOUND', name);
  const paper = pick.selection === 'paper';
  const fps = run.fps;
  const plan = planCrops(pick.points, {
    mode: options.mode,
    frameWidth: run.width,
    frameHeight: run.height,
    totalFrames: run.frameCount,
    stride: run.stride ?? 1,
    bias: options.bias ?? 10,
    // the reference keeps boxes as they are: no gaps filled, no smoothing, integer geometry
    exact: paper,
    maxGapFrames: paper ? 0 : Math.round((options.maxGapSeconds ?? 0.5) * fps),
    smoothingSigma: paper ? 0 : options.smoothingSeconds === undefined ? 4 : options.smoothingSeconds * fps,
    widthSmoothingSigma: paper ? 0 : options.smoothingSeconds === undefined ? 2 : (options.smoothingSeconds * fps) / 2,
    minSegmentFrames: Math.max(1, Math.round((options.minSegmentSeconds ?? 0) * fps)),
    margin: paper ? 0 : (options.margin ?? 0.04),
  });
  if (plan.frames.length === 0) throw new AppError('NO_PERSON_FOUND', name);
  return { tracks, pick, plan };
}

/**
 * Stage 1: find and follow the patient, plan the crops, write the person-centred clip to
 * `outputPath` (H.264 yuv420p 30 fps, faststart; the segments one after the other).
 * NO_PERSON_FOUND when nobody is found (no file written); TRACK_NOT_FOUND for an unknown
 * override; VIDEO_TRUNCATED / NOT_A_VIDEO for damaged input; JOB_CANCELLED on abort. On any
 * failure nothing is left at `outputPath` (or at its temporary name).
 */
export async function prepareVideo(input: string, outputPath: string, options: PrepareOptions): Promise<Stage1Result> {
  const name = options.displayName ?? basename(input);
  const t0 = performance.now();
  const cancelled = () => options.signal?.aborted === true;
  // the reference detects every frame; its rule is kept faithful for the ablation
  const stride = options.patient === 'paper' ? 1 : (options.stride ?? defaultStride);
  const problem = strideProblem(options.stride ?? stride);
  if (problem) throw new AppError('BAD_REQUEST', problem);
  if (options.patient === 'paper' && options.stride !== undefined && options.stride !== 1) {
    throw new AppError('BAD_REQUEST', `the reference code's rule detects every frame: give no stride (or 1) with it, not ${options.stride}`);
  }
  let run: DetectionRun;
  try {
    run =
      options.detections ??
      (await detectVideo(input, {
        ...options.detect,
        stride,
        ...(options.backend ? { backend: options.backend } : {}),
        ...(options.detector ? { detector: options.detector } : {}),
        ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (done, total) => options.onProgress?.(detectShare * Math.min(1, done / Math.max(1, total)), phrase('jobs.progress.findingPeople', { done, total })),
      }));
  } catch (error) {
    if (cancelled()) throw new AppError('JOB_CANCELLED');
    if (isAppError(error)) throw error;
    // the frame reader fails when ffmpeg cannot decode to the end
    throw new AppError('VIDEO_TRUNCATED', name, { cause: error });
  }
  if (cancelled()) throw new AppError('JOB_CANCELLED');
  const detectMs = performance.now() - t0;
  if (!options.detections) {
    await refuseShortDecode(input, name, run, options.ffmpeg);
    options.onDetections?.(run);
  }

  const t1 = performance.now();
  const { tracks, pick, plan } = planStage1(run, options, name);
  const trackMs = performance.now() - t1;

  const t2 = performance.now();
  options.onProgress?.(detectShare, phrase('jobs.progress.writingClip'));
  try {
    const written = await writePersonCentredClip({
      input,
      output: outputPath,
      width: run.width,
      height: run.height,
      size: options.size,
      fps: run.fps,
      frames: plan.frames,
      ...(options.crf !== undefined ? { crf: options.crf } : {}),
      ...(options.preset !== undefined ? { preset: options.preset } : {}),
      ffmpeg: options.ffmpeg,
      signal: options.signal,
      onProgress: (done, total) => options.onProgress?.(detectShare + (1 - detectShare) * (done / total), phrase('jobs.progress.writingClipFrame', { done, total })),
    });
    options.onProgress?.(1, phrase('jobs.progress.done'));
    const writeMs = performance.now() - t2;
    return {
      outputPath,
      outputFrames: written.frames,
      mode: options.mode,
      size: options.size,
      selection: pick.selection,
      patientTrackId: pick.patientTrackId,
      patientTrackIds: pick.patientTrackIds,
      reason: pick.reason,
      coverage: plan.coverage,
      segments: plan.segments.map((s) => ({ ...s, startSec: s.startFrame / run.fps, endSec: (s.endFrame + 1) / run.fps })),
      detector: run.detector,
      backend: run.backend,
      stride: run.stride ?? 1,
      fps: run.fps,
      sourceWidth: run.width,
      sourceHeight: run.height,
      trackCount: tracks.length,
      assessments: pick.assessments,
      crops: {
        frames: plan.frames.map((f) => f.frame),
        canvas: plan.frames.flatMap((f) => [r1(f.canvas.x), r1(f.canvas.y), r1(f.canvas.width), r1(f.canvas.height)]),
        visible: plan.frames.flatMap((f) => [r1(f.visible.x), r1(f.visible.y), r1(f.visible.width), r1(f.visible.height)]),
      },
      overlay: overlayOf(run, tracks, pick.points, pick.patientTrackId),
      timings: { detectMs, trackMs, writeMs, totalMs: performance.now() - t0 },
    };
  } catch (error) {
    // the writer removes its temporary file; a file already renamed into place is not ours to keep if we fail after
    if (cancelled()) {
      await rm(`${outputPath}.part.mp4`, { force: true });
      throw new AppError('JOB_CANCELLED');
    }
    throw error;
  }
}
