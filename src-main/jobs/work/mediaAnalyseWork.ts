import { ffmpegOverridesOf } from '../../media/ffmpegPaths.js';
import { scanPackets } from '../../media/probe.js';
import { writeThumbnail } from '../../media/thumbnail.js';
import { vaultTempPath } from '../../store/vault.js';
import type { JobWorkModule } from '../jobKind.js';

/**
 * After import: counts every frame and measures timestamp regularity (true variable frame
 * rate detection), then writes the thumbnail into the vault's temporary folder.
 */
const mediaAnalyseWork: JobWorkModule<'media.analyse'>['default'] = async (params, { context, signal, progress, mediaInput }) => {
  const overrides = ffmpegOverridesOf(context);
  const input = await mediaInput(params.videoPath);
  progress(0, 'Reading frame timestamps');
  const scan = await scanPackets(input, {
    overrides,
    signal,
    onProgress: (seconds) => progress(Math.min(0.9, (0.9 * seconds) / Math.max(params.durationSec, 0.001)), 'Reading frame timestamps'),
  });
  progress(0.9, 'Making the thumbnail');
  const thumbnailTemp = vaultTempPath(context.vaultDir, '.jpg');
  await writeThumbnail(input, thumbnailTemp, params.durationSec, { overrides, signal });
  progress(1, 'Done');
  return { thumbnailTemp, frameCount: scan.frameCount, variableFrameRate: scan.variableFrameRate, intervalJitter: scan.intervalJitter };
};

export default mediaAnalyseWork;
