import type { AppInfo } from '../contract/entities.js';
import { isAppError } from '../contract/errors.js';
import { chooseFfmpeg, type FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { dataFolderPermissionWarning } from '../store/dataDir.js';

/**
 * What `walkscope info`, Settings and the start-up log say about the installation: the
 * ffmpeg in use (path, version, why) and the warnings: an ffmpeg older than the minimum or
 * older than one found elsewhere, none at all, or a data folder other accounts can read.
 */
export function installationReport(dataDir: string, overrides: FfmpegPathOverrides): { ffmpeg: AppInfo['ffmpeg']; warnings: string[] } {
  const warnings: string[] = [];
  let ffmpeg: AppInfo['ffmpeg'] = null;
  try {
    const choice = chooseFfmpeg(overrides);
    ffmpeg = {
      path: choice.ffmpeg.path,
      source: choice.ffmpeg.source,
      version: choice.ffmpeg.version?.label ?? null,
      reason: choice.reason,
      ffprobe: { path: choice.ffprobe.path, source: choice.ffprobe.source, version: choice.ffprobe.version?.label ?? null },
    };
    warnings.push(...choice.warnings);
  } catch (error) {
    warnings.push(isAppError(error) ? error.toReply().message : `ffmpeg could not be checked: ${(error as Error).message}`);
  }
  const permissions = dataFolderPermissionWarning(dataDir);
  if (permissions) warnings.push(permissions);
  return { ffmpeg, warnings };
}
