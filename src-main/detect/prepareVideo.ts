import { AppError } from '../contract/errors.js';
import type { TrackOverlay } from '../contract/entities.js';
import { planCrops, type CropMode, type CropPlan } from '../domain/cropPlan.js';
import type { DetectionRun } from '../domain/detectionTypes.js';
import { paperHeuristic } from '../domain/tracking/paperHeuristic.js';
import { choosePatient, type TrackAssessment } from '../domain/tracking/patientTrack.js';
import { trackPeople, type TrackPoint } from '../domain/tracking/tracker.js';
import { writePersonCentredClip } from '../media/cropWriter.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { detectVideo } from './detectVideo.js';
import type { BackendChoice } from './tfRuntime.js';

export interface PrepareOptions {
  mode: CropMode;
  size: number;
  /** 'walker' (default): the tracked person who walks; 'paper': the reference heuristic; a number: that track id. */
  patient?: 'walker' | 'paper' | number;
  maxGapSeconds?: number;
  backend?: BackendChoice;
  ffmpeg?: FfmpegPathOverrides | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (fraction: number, message: string) => void;
}

export interface Stage1Result {
  outputPath: string;
  outputFrames: number;
  mode: CropMode;
  size: number;
  selection: 'walker' | 'paper' | 'override';
  patientTrackId: number | null;
  reason: string;
  coverage: CropPlan['coverage'];
  segments: Array<{ startFrame: number; endFrame: number; startSec: number; endSec: number }>;
  detector: string;
  backend: string;
  trackCount: number;
  assessments: TrackAssessment[];
  overlay: TrackOverlay;
  timings: { detectMs: number; writeMs: number };
}

/** Compact tracks for the review overlays: flattened numbers per track, the patient's keypoints. */
function overlayOf(run: DetectionRun, tracks: ReturnType<typeof trackPeople>, patient: TrackPoint[], patientTrackId: number | null): TrackOverlay {
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    fps: run.fps,
    width: run.width,
    height: run.height,
    frameCount: run.frameCount,
    patientTrackId,
    tracks: tracks.map((t) => ({ id: t.id, frames: t.points.map((p) => p.frame), boxes: t.points.flatMap((p) => [r(p.box.x1), r(p.box.y1), r(p.box.x2), r(p.box.y2)]) })),
    patientKeypoints: {
      frames: patient.filter((p) => p.keypoints.length === 17).map((p) => p.frame),
      points: patient.filter((p) => p.keypoints.length === 17).flatMap((p) => p.keypoints.flatMap((k) => [r(k.x), r(k.y), Math.round(k.score * 100) / 100])),
    },
  };
}

/**
 * Stage 1: find and follow the patient, plan the crops, write the person-centred clip.
 * No person anywhere is NO_PERSON_FOUND, with no file left behind.
 */
export async function prepareVideo(input: string, outputPath: string, options: PrepareOptions): Promise<Stage1Result> {
  const t0 = performance.now();
  const run = await detectVideo(input, {
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (done, total) => options.onProgress?.(0.85 * (done / total), `Finding people: frame ${done} of ${total}`),
  });
  if (options.signal?.aborted) throw new AppError('JOB_CANCELLED');
  const detectMs = performance.now() - t0;
  const tracks = trackPeople(run.frames);
  let points: TrackPoint[];
  let patientTrackId: number | null = null;
  let selection: Stage1Result['selection'];
  let reason: string;
  let assessments: TrackAssessment[] = [];
  const choice = choosePatient(tracks, run.fps);
  assessments = choice?.assessments ?? [];
  if (options.patient === 'paper') {
    points = paperHeuristic(run.frames);
    selection = 'paper';
    reason = "the reference code's rule: the shorter box first, then the nearest centre; jumps over 100 px dropped";
  } else if (typeof options.patient === 'number') {
    const track = tracks.find((t) => t.id === options.patient);
    if (!track) throw new AppError('TRACK_NOT_FOUND', `${options.patient} (this video has tracks ${tracks.map((t) => t.id).join(', ') || 'none'})`);
    points = track.points;
    patientTrackId = track.id;
    selection = 'override';
    reason = `track ${track.id} chosen by the user`;
  } else {
    const track = choice ? tracks.find((t) => t.id === choice.id) : undefined;
    points = track?.points ?? [];
    patientTrackId = track?.id ?? null;
    selection = 'walker';
    reason = choice?.reason ?? 'no person tracked';
  }
  if (points.length === 0) throw new AppError('NO_PERSON_FOUND', input.split(/[\\/]/).pop() ?? input);
  const plan = planCrops(points, { mode: options.mode, frameWidth: run.width, frameHeight: run.height, totalFrames: run.frameCount, maxGapFrames: Math.round((options.maxGapSeconds ?? 0.5) * run.fps) });
  const t1 = performance.now();
  const written = await writePersonCentredClip({
    input,
    output: outputPath,
    width: run.width,
    height: run.height,
    size: options.size,
    fps: run.fps,
    frames: plan.frames,
    ffmpeg: options.ffmpeg,
    signal: options.signal,
    onProgress: (done, total) => options.onProgress?.(0.85 + 0.15 * (done / total), `Writing the person-centred clip: frame ${done} of ${total}`),
  });
  options.onProgress?.(1, 'Done');
  return {
    outputPath,
    outputFrames: written.frames,
    mode: options.mode,
    size: options.size,
    selection,
    patientTrackId,
    reason,
    coverage: plan.coverage,
    segments: plan.segments.map((s) => ({ ...s, startSec: s.startFrame / run.fps, endSec: (s.endFrame + 1) / run.fps })),
    detector: run.detector,
    backend: run.backend,
    trackCount: tracks.length,
    assessments,
    overlay: overlayOf(run, tracks, points, patientTrackId),
    timings: { detectMs, writeMs: performance.now() - t1 },
  };
}
