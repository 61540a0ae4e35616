import { AppError } from '../contract/errors.js';
import type { JobResult } from '../contract/jobs.js';
import { phrase, type Phrase } from '../contract/phrase.js';
import { isPoseModelName, poseModelNames } from '../detect/poseModelSpecs.js';
import type { PatientSquares } from '../domain/patientSquares.js';
import { measureVideo, measurementVersion } from '../domain/posture/measureVideo.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { refinePose } from './poseRefinement.js';

export interface MeasurePatientInput {
  videoPath: string;
  /** The square around the patient on every frame they are in view (domain/patientSquares.ts). */
  squares: PatientSquares;
  /** Stage 1's segments (inclusive frames). */
  segments: ReadonlyArray<{ startFrame: number; endFrame: number }>;
  verticalReferenceDeg: number;
  /** A pose model by name (absent: the default). */
  model?: string | undefined;
}

export interface MeasurePatientOptions {
  workers?: number;
  ffmpeg?: FfmpegPathOverrides;
  signal?: AbortSignal;
  /** A fraction 0..1 and what is being done (jobs.progress.*; English: `englishOf`). */
  onProgress?: (fraction: number, message: Phrase) => void;
}

/**
 * The measurement step, start to end: the patient's keypoints on every frame they are in view
 * (poseRefinement.ts), then the posture and gait measures (domain/posture), with the provenance
 * of both. The job's work and `walkscope measure` on a file both run this.
 */
export async function measurePatient(input: MeasurePatientInput, options: MeasurePatientOptions = {}): Promise<JobResult<'measure'>> {
  const started = performance.now();
  if (input.model !== undefined && !isPoseModelName(input.model)) throw new AppError('BAD_REQUEST', `the pose model is one of ${poseModelNames.join(', ')}, not "${input.model}"`);
  if (input.squares.frames.length === 0) throw new AppError('NOT_MEASURABLE', 'the patient is not in view on any frame of this video');
  options.onProgress?.(0, phrase('jobs.progress.findingKeypoints'));
  const refined = await refinePose(input.videoPath, input.squares, {
    ...(input.model !== undefined ? { model: input.model } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (done, total) => options.onProgress?.((0.95 * done) / Math.max(total, 1), phrase('jobs.progress.keypoints', { done, total })),
  });
  const poseMs = performance.now() - started;
  options.onProgress?.(0.95, phrase('jobs.progress.measuring'));
  const measured = measureVideo({ pose: refined.pose, segments: input.segments, verticalReferenceDeg: input.verticalReferenceDeg });
  const totalMs = performance.now() - started;
  return {
    pose: measured.pose,
    series: measured.series,
    segments: measured.segments,
    gait: measured.gait,
    summary: measured.summary,
    provenance: { model: refined.model, modelSha256: refined.modelSha256, backend: refined.backend, filter: measured.filter, minScore: measured.minScore, swapsRepaired: measured.swapsRepaired, version: measurementVersion },
    verticalReferenceDeg: input.verticalReferenceDeg,
    timings: { poseMs, measureMs: totalMs - poseMs, totalMs },
  };
}
