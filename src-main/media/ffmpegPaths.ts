import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { AppError } from '../contract/errors.js';

const require = createRequire(import.meta.url);

export interface FfmpegPaths {
  ffmpeg: string;
  ffprobe: string;
  /** Where each binary came from, for the about box and provenance. */
  source: { ffmpeg: string; ffprobe: string };
}

export interface FfmpegPathOverrides {
  ffmpeg?: string | undefined;
  ffprobe?: string | undefined;
}

/** The overrides from the settings' paths (null: use the bundled binary). */
export function ffmpegOverridesOf(paths: { ffmpegPath: string | null; ffprobePath: string | null }): FfmpegPathOverrides {
  return { ffmpeg: paths.ffmpegPath ?? undefined, ffprobe: paths.ffprobePath ?? undefined };
}

/** The path inside an npm package that ships the binary, when that package is installed. */
function packagedBinary(packageName: string): string | undefined {
  try {
    const mod = require(packageName) as string | { path?: string };
    const raw = typeof mod === 'string' ? mod : mod.path;
    // electron-builder unpacks native binaries out of the asar archive.
    const path = raw?.replace('app.asar', 'app.asar.unpacked');
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function onPath(name: string): string | undefined {
  const probe = spawnSync(name, ['-version'], { stdio: 'ignore' });
  return probe.status === 0 ? name : undefined;
}

function resolveOne(
  name: 'ffmpeg' | 'ffprobe',
  override: string | undefined,
  packages: string[],
): { path: string; source: string } {
  if (override) {
    if (!existsSync(override)) throw new AppError('FFMPEG_MISSING', `${name} is set to ${override}, which does not exist`);
    return { path: override, source: 'settings' };
  }
  const fromEnv = process.env[name === 'ffmpeg' ? 'WALKSCOPE_FFMPEG' : 'WALKSCOPE_FFPROBE'];
  if (fromEnv && existsSync(fromEnv)) return { path: fromEnv, source: 'environment' };
  for (const pkg of packages) {
    const path = packagedBinary(pkg);
    if (path) return { path, source: pkg };
  }
  const system = onPath(name);
  if (system) return { path: system, source: 'system PATH' };
  throw new AppError('FFMPEG_MISSING', `no ${name} in settings, in the installed packages or on the PATH`);
}

const cache = new Map<string, FfmpegPaths>();

/**
 * Finds ffmpeg and ffprobe: a path from settings first, then the WALKSCOPE_FFMPEG /
 * WALKSCOPE_FFPROBE environment variables, then the binaries shipped inside npm packages
 * (ffmpeg-static where it installs, @ffmpeg-installer otherwise), then the system PATH.
 */
export function resolveFfmpeg(overrides: FfmpegPathOverrides = {}): FfmpegPaths {
  const key = `${overrides.ffmpeg ?? ''}|${overrides.ffprobe ?? ''}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const ffmpeg = resolveOne('ffmpeg', overrides.ffmpeg, ['ffmpeg-static', '@ffmpeg-installer/ffmpeg']);
  const ffprobe = resolveOne('ffprobe', overrides.ffprobe, ['ffprobe-static', '@ffprobe-installer/ffprobe']);
  const paths = { ffmpeg: ffmpeg.path, ffprobe: ffprobe.path, source: { ffmpeg: ffmpeg.source, ffprobe: ffprobe.source } };
  cache.set(key, paths);
  return paths;
}
