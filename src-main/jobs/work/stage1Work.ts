import { ffmpegOverridesOf } from '../../media/ffmpegPaths.js';
import { prepareVideo } from '../../detect/prepareVideo.js';
import { writeThumbnail } from '../../media/thumbnail.js';
import { vaultTempPath } from '../../store/vault.js';
import type { JobWorkModule } from '../jobKind.js';

/** Stage 1 in a job's worker thread; the clip and its thumbnail are written into the vault's temporary folder. */
const stage1Work: JobWorkModule<'stage1'>['default'] = async (params, { context, signal, progress, mediaInput }) => {
  const result = await prepareVideo(await mediaInput(params.videoPath), vaultTempPath(context.vaultDir, '-stage1.mp4'), {
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
  // the clip is a video of its own on the patient page: it gets a thumbnail like an import
  const thumbnailPath = vaultTempPath(context.vaultDir, '-stage1.jpg');
  await writeThumbnail(result.outputPath, thumbnailPath, result.outputFrames / 30, { overrides: ffmpegOverridesOf(context), signal });
  return { ...result, thumbnailPath };
};

export default stage1Work;
