import { ffmpegOverridesOf } from '../../media/ffmpegPaths.js';
import { scanPackets } from '../../media/probe.js';
import { writeThumbnail } from '../../media/thumbnail.js';
import { vaultTempPath } from '../../store/vault.js';
import { phrase } from '../../contract/phrase.js';
import type { JobWorkModule } from '../jobKind.js';

/**
 * After import: counts every frame and measures timestamp regularity (true variable frame
 * rate detection), then writes the thumbnail into the vault's temporary folder.
 */
const mediaAnalyseWork: JobWorkModule<'media.analyse'>['default'] = async (params, { context, signal, progress, mediaInput }) => {
  const overrides = ffmpegOverridesOf(context);
  const input = await mediaInput(params.videoPath);
  const reading = phrase('jobs.progress.readingTimestamps');
  progress(0, reading);
  const scan = await scanPackets(input, {
    overrides,
    signal,
    onProgress: (seconds) => progress(Math.min(0.9, (0.9 * seconds) / Math.max(params.durationSec, 0.001)), reading),
  });
  progress(0.9, phrase('jobs.progress.makingThumbnail'));
  const thumbnailTemp = vaultTempPath(context.vaultDir, '.jpg');
  await writeThumbnail(input, thumbnailTemp, params.durationSec, { overrides, signal });
  progress(1, phrase('jobs.progress.done'));
  return { thumbnailTemp, frameCount: scan.frameCount, variableFrameRate: scan.variableFrameRate, intervalJitter: scan.intervalJitter };
};

export default mediaAnalyseWork;
