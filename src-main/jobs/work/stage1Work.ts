import { ffmpegOverridesOf } from '../../media/ffmpegPaths.js';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { prepareVideo } from '../../detect/prepareVideo.js';
import type { CropMode } from '../../domain/cropPlan.js';
import type { DetectorName } from '../../detect/detectorSpecs.js';
import type { JobWork } from '../jobKinds.js';

export interface Stage1Params {
  videoId: number;
  videoPath: string;
  mode: CropMode;
  size: number;
  patient: 'walker' | 'paper' | number;
  /** Absent in jobs queued before detectors were selectable: MoveNet MultiPose. */
  detector?: DetectorName;
  /** Detect on every k-th frame (absent: the default stride). */
  stride?: number;
  /** The name the video was imported under, for error messages (the vault's file name means nothing to a user). */
  displayName?: string;
}

/** Stage 1 in a job's worker thread; the clip is written into the vault's temporary folder. */
const stage1Work: JobWork = async (raw, { context, signal, progress }) => {
  const params = raw as unknown as Stage1Params;
  const output = join(context.vaultDir, 'tmp', `${process.pid}-${randomBytes(8).toString('hex')}-stage1.mp4`);
  return prepareVideo(params.videoPath, output, {
    mode: params.mode,
    size: params.size,
    patient: params.patient,
    ...(params.detector ? { detector: params.detector } : {}),
    ...(params.stride !== undefined ? { stride: params.stride } : {}),
    ...(params.displayName ? { displayName: params.displayName } : {}),
    ffmpeg: ffmpegOverridesOf(context),
    signal,
    onProgress: progress,
  });
};

export default stage1Work;
