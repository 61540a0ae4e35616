import type { AppInfo } from '../contract/entities.js';
import { isAppError } from '../contract/errors.js';
import { englishOf, type Phrase } from '../contract/phrase.js';
import { chooseFfmpeg, type FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { dataFolderPermissionPhrase } from '../store/dataDir.js';

/**
 * What `walkscope info`, Settings and the start-up log say about the installation: the
 * ffmpeg in use (path, version, why) and the warnings: an ffmpeg older than the minimum or
 * older than one found elsewhere, none at all, or a data folder other accounts can read. Each
 * warning in English, and in `warningPhrases` (same order) as its phrase where it has one.
 */
export function installationReport(dataDir: string, overrides: FfmpegPathOverrides): { ffmpeg: AppInfo['ffmpeg']; warnings: string[]; warningPhrases: Array<Phrase | null> } {
  const warnings: string[] = [];
  const warningPhrases: Array<Phrase | null> = [];
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
    warningPhrases.push(...choice.warningPhrases);
  } catch (error) {
    warnings.push(isAppError(error) ? error.toReply().message : `ffmpeg could not be checked: ${(error as Error).message}`);
    warningPhrases.push(null);
  }
  const permissions = dataFolderPermissionPhrase(dataDir);
  if (permissions) {
    warnings.push(englishOf(permissions));
    warningPhrases.push(permissions);
  }
  return { ffmpeg, warnings, warningPhrases };
}
