import { ffmpegOverridesOf } from '../../media/ffmpegPaths.js';
import { prepareVideo } from '../../detect/prepareVideo.js';
import { vaultTempPath } from '../../store/vault.js';
import type { JobWorkModule } from '../jobKind.js';

/** Stage 1 in a job's worker thread; the clip is written into the vault's temporary folder. */
const stage1Work: JobWorkModule<'stage1'>['default'] = async (params, { context, signal, progress, mediaInput }) => {
  return prepareVideo(await mediaInput(params.videoPath), vaultTempPath(context.vaultDir, '-stage1.mp4'), {
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
