import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobResult } from '../contract/jobs.js';
import type { Phrase } from '../contract/phrase.js';
import type { DetectorName } from '../detect/detectorSpecs.js';
import { prepareVideo, type Stage1Result } from '../detect/prepareVideo.js';
import { patientSquares } from '../domain/patientSquares.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { measurePatient } from './measurePatient.js';

export interface MeasureFileOptions {
  detector?: DetectorName;
  /** A pose model by name (absent: the default). */
  model?: string | undefined;
  verticalReferenceDeg?: number;
  ffmpeg?: FfmpegPathOverrides;
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: Phrase) => void;
}

/**
 * Measures a video file outside the store (`walkscope measure <file>`): stage 1 finds the
 * patient (its clip goes to a temporary folder and is removed), then the measurement step runs
 * on the patient's track, as the job does for a stored video.
 */
export async function measureFile(videoPath: string, options: MeasureFileOptions = {}): Promise<{ stage1: Omit<Stage1Result, 'overlay' | 'outputPath'>; measured: JobResult<'measure'> }> {
  const dir = await mkdtemp(join(tmpdir(), 'walkscope-measure-'));
  try {
    const stage1 = await prepareVideo(videoPath, join(dir, 'clip.mp4'), {
      mode: 'pad',
      size: 128,
      ...(options.detector ? { detector: options.detector } : {}),
      ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (fraction, message) => options.onProgress?.(0.4 * fraction, message),
    });
    const segments = stage1.segments.map((s) => ({ startFrame: s.startFrame, endFrame: s.endFrame }));
    const measured = await measurePatient(
      { videoPath, squares: patientSquares(stage1.overlay, stage1.patientTrackIds, segments), segments, verticalReferenceDeg: options.verticalReferenceDeg ?? 0, model: options.model },
      { ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}), ...(options.signal ? { signal: options.signal } : {}), onProgress: (fraction, message) => options.onProgress?.(0.4 + 0.6 * fraction, message) },
    );
    const { overlay: _overlay, outputPath: _clip, ...summary } = stage1;
    return { stage1: summary, measured };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
