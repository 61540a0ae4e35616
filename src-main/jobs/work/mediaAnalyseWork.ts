import { ffmpegOverridesOf } from '../../media/ffmpegPaths.js';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { scanPackets } from '../../media/probe.js';
import { writeThumbnail } from '../../media/thumbnail.js';
import type { JobWork } from '../jobKinds.js';

export interface MediaAnalyseParams {
  videoPath: string;
  durationSec: number;
}

export interface MediaAnalyseResult {
  thumbnailTemp: string;
  frameCount: number;
  variableFrameRate: boolean;
  intervalJitter: number;
}

/**
 * After import: counts every frame and measures timestamp regularity (true variable frame
 * rate detection), then writes the thumbnail into the vault's temporary folder.
 */
const mediaAnalyseWork: JobWork = async (raw, { context, signal, progress }) => {
  const params = raw as unknown as MediaAnalyseParams;
  const overrides = ffmpegOverridesOf(context);
  progress(0, 'Reading frame timestamps');
  const scan = await scanPackets(params.videoPath, {
    overrides,
    signal,
    onProgress: (seconds) => progress(Math.min(0.9, (0.9 * seconds) / Math.max(params.durationSec, 0.001)), 'Reading frame timestamps'),
  });
  progress(0.9, 'Making the thumbnail');
  const thumbnailTemp = join(context.vaultDir, 'tmp', `${process.pid}-${randomBytes(8).toString('hex')}.jpg`);
  await writeThumbnail(params.videoPath, thumbnailTemp, params.durationSec, { overrides, signal });
  progress(1, 'Done');
  const result: MediaAnalyseResult = {
    thumbnailTemp,
    frameCount: scan.frameCount,
    variableFrameRate: scan.variableFrameRate,
    intervalJitter: scan.intervalJitter,
  };
  return result;
};

export default mediaAnalyseWork;
