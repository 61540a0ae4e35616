import { createRequire } from 'node:module';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { englishOf, phrase, type Phrase } from '../contract/phrase.js';
import { compareFfmpegVersions, meetsMinimum, minimumFfmpegLabel, parseFfmpegBanner, type FfmpegVersion } from './ffmpegVersion.js';

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

/** One binary WalkScope could run, with what its `-version` banner says. */
export interface FfmpegBinary {
  path: string;
  /** `settings`, `WALKSCOPE_FFMPEG` (the environment variable), `system PATH` or the npm package that ships it. */
  source: string;
  /** null when the banner could not be read. */
  version: FfmpegVersion | null;
}

/** The ffmpeg and ffprobe in use, why, and what the user should know about them. */
export interface FfmpegChoice {
  ffmpeg: FfmpegBinary;
  ffprobe: FfmpegBinary;
  /** Why this ffmpeg, in a sentence. */
  reason: string;
  /** Sentences for the log, `walkscope info` and Settings: too old, or older than another one found. */
  warnings: string[];
  /** The same warnings as phrases (settings.warnings.*), one per warning in the same order, for Settings in the reader's language. */
  warningPhrases: Phrase[];
}

/** Where to look; tests pass their own PATH and bundled binaries. */
export interface FfmpegSearch {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** The binaries shipped inside npm packages (default: ffmpeg-static, then @ffmpeg-installer). */
  bundled?: { ffmpeg: Candidate[]; ffprobe: Candidate[] };
}

/** A place a binary may be: its path, where it came from, and its family (ffmpeg and ffprobe of one family belong together). */
export interface Candidate {
  path: string;
  source: string;
  family: string;
}

/** The overrides from the settings' paths (null: choose among the system's and the bundled binaries). */
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

function defaultBundled(): { ffmpeg: Candidate[]; ffprobe: Candidate[] } {
  const found = (pkg: string, family: string): Candidate[] => {
    const path = packagedBinary(pkg);
    return path ? [{ path, source: pkg, family }] : [];
  };
  return {
    ffmpeg: [...found('ffmpeg-static', 'ffmpeg-static'), ...found('@ffmpeg-installer/ffmpeg', '@ffmpeg-installer')],
    ffprobe: [...found('ffprobe-static', 'ffmpeg-static'), ...found('@ffprobe-installer/ffprobe', '@ffmpeg-installer')],
  };
}

/** The first executable called `name` on the PATH, as an absolute path (no process is started). */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const extensions = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const file = join(dir, name + ext.toLowerCase());
      if (isExecutableFile(file, platform)) return file;
    }
  }
  return undefined;
}

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Banners read so far, by path, with the file's mtime and size when it was read: a binary is run once until it changes. */
const probes = new Map<string, { mtimeMs: number; size: number; runs: boolean; version: FfmpegVersion | null }>();

/** Runs `<path> -version` once per path and modification time; `runs` is false when it does not start or is not ffmpeg. */
export function probeFfmpegBinary(path: string): { runs: boolean; version: FfmpegVersion | null } {
  let info;
  try {
    info = statSync(path);
  } catch {
    return { runs: false, version: null };
  }
  const cached = probes.get(path);
  if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
  const run = spawnSync(path, ['-version'], { encoding: 'utf8', timeout: 10_000, windowsHide: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const version = run.status === 0 ? parseFfmpegBanner(run.stdout.slice(0, 4000)) : null;
  const probe = { mtimeMs: info.mtimeMs, size: info.size, runs: run.status === 0, version };
  probes.set(path, probe);
  return probe;
}

/** The candidates that run, newest first; a tie keeps the given order (the system's first: distributions patch it). */
function newestFirst(candidates: Candidate[]): Array<FfmpegBinary & { family: string }> {
  const running = candidates.flatMap((c) => {
    const probe = probeFfmpegBinary(c.path);
    return probe.runs ? [{ ...c, version: probe.version }] : [];
  });
  return running.map((c, i) => ({ c, i })).sort((a, b) => compareFfmpegVersions(b.c.version, a.c.version) || a.i - b.i).map(({ c }) => c);
}

function candidatesFor(name: 'ffmpeg' | 'ffprobe', search: FfmpegSearch): Candidate[] {
  const env = search.env ?? process.env;
  const system = findOnPath(name, env, search.platform);
  const bundled = (search.bundled ?? defaultBundled())[name];
  return [...(system ? [{ path: system, source: 'system PATH', family: 'system' }] : []), ...bundled];
}

/** A path set explicitly (settings or environment): it must exist; it is used whatever its version. */
function explicitBinary(name: 'ffmpeg' | 'ffprobe', path: string, source: string): FfmpegBinary {
  if (!existsSync(path)) throw new AppError('FFMPEG_MISSING', `${name} is set to ${path}, which does not exist`);
  return { path, source, version: probeFfmpegBinary(path).version };
}

function explicitOf(name: 'ffmpeg' | 'ffprobe', override: string | undefined, env: NodeJS.ProcessEnv): FfmpegBinary | undefined {
  if (override) return explicitBinary(name, override, 'settings');
  const variable = name === 'ffmpeg' ? 'WALKSCOPE_FFMPEG' : 'WALKSCOPE_FFPROBE';
  const fromEnv = env[variable];
  return fromEnv && existsSync(fromEnv) ? explicitBinary(name, fromEnv, variable) : undefined;
}

function tooOld(name: 'ffmpeg' | 'ffprobe', binary: FfmpegBinary): Phrase | null {
  if (meetsMinimum(binary.version)) return null;
  const about = { name, path: binary.path, source: binary.source, minimum: minimumFfmpegLabel };
  return binary.version ? phrase('settings.warnings.ffmpegTooOld', { ...about, version: binary.version.label }) : phrase('settings.warnings.ffmpegVersionUnreadable', about);
}

/** The warning that a path set explicitly is older than `newer`, one found elsewhere. */
function explicitOlder(explicit: FfmpegBinary, newer: FfmpegBinary): Phrase {
  const about = { source: explicit.source, path: explicit.path, newerPath: newer.path, newerSource: newer.source, newerVersion: newer.version?.label ?? 'version unknown' };
  return explicit.version ? phrase('settings.warnings.explicitOlder', { ...about, version: explicit.version.label }) : phrase('settings.warnings.explicitOlderUnknown', about);
}

/**
 * Chooses ffmpeg and ffprobe by version. A path set in Settings (or WALKSCOPE_FFMPEG /
 * WALKSCOPE_FFPROBE) is used as given, with a warning when a newer one was found; otherwise the
 * newest of the system's (PATH) and the bundled ones (ffmpeg-static, @ffmpeg-installer), the
 * system's on a tie. ffprobe comes from the same place as ffmpeg when it can: next to it, or
 * the same family (PATH, or the matching npm package); else the newest ffprobe found. Each
 * binary is run once (`-version`) per path and modification time.
 */
export function chooseFfmpeg(overrides: FfmpegPathOverrides = {}, search: FfmpegSearch = {}): FfmpegChoice {
  const env = search.env ?? process.env;
  const warningPhrases: Phrase[] = [];

  const ffmpegFound = newestFirst(candidatesFor('ffmpeg', search));
  const explicitFfmpeg = explicitOf('ffmpeg', overrides.ffmpeg, env);
  let ffmpeg: FfmpegBinary;
  let family: string | undefined;
  let reason: string;
  if (explicitFfmpeg) {
    ffmpeg = explicitFfmpeg;
    reason = `set explicitly (${explicitFfmpeg.source})`;
    const newer = ffmpegFound.find((c) => c.path !== explicitFfmpeg.path && compareFfmpegVersions(c.version, explicitFfmpeg.version) > 0);
    if (newer) warningPhrases.push(explicitOlder(explicitFfmpeg, newer));
  } else {
    const best = ffmpegFound[0];
    if (!best) throw new AppError('FFMPEG_MISSING', 'no ffmpeg in settings, on the PATH or in the installed packages');
    ffmpeg = { path: best.path, source: best.source, version: best.version };
    family = best.family;
    const others = ffmpegFound.slice(1);
    reason = others.length === 0 ? 'the only ffmpeg found' : `the newest found (over ${others.map((o) => `${o.source} ${o.version?.label ?? 'version unknown'}`).join(', ')})`;
  }

  const explicitProbe = explicitOf('ffprobe', overrides.ffprobe, env);
  let ffprobe: FfmpegBinary;
  if (explicitProbe) {
    ffprobe = explicitProbe;
  } else {
    const probeCandidates = candidatesFor('ffprobe', search);
    const sibling = join(dirname(ffmpeg.path), (search.platform ?? process.platform) === 'win32' ? 'ffprobe.exe' : 'ffprobe');
    // the one beside it keeps the name of the place it was found, else it shares ffmpeg's
    const besideSource = probeCandidates.find((c) => c.path === sibling)?.source ?? ffmpeg.source;
    const beside = existsSync(sibling) ? newestFirst([{ path: sibling, source: besideSource, family: 'beside' }]) : [];
    const sameFamily = newestFirst(probeCandidates.filter((c) => c.family === family && c.path !== sibling));
    const best = beside[0] ?? sameFamily[0] ?? newestFirst(probeCandidates)[0];
    if (!best) throw new AppError('FFMPEG_MISSING', 'no ffprobe in settings, next to ffmpeg, on the PATH or in the installed packages');
    ffprobe = { path: best.path, source: best.source, version: best.version };
  }

  for (const [name, binary] of [['ffmpeg', ffmpeg], ['ffprobe', ffprobe]] as const) {
    const warning = tooOld(name, binary);
    if (warning) warningPhrases.push(warning);
  }
  return { ffmpeg, ffprobe, reason, warnings: warningPhrases.map(englishOf), warningPhrases };
}

/** Finds ffmpeg and ffprobe (see chooseFfmpeg): the paths and their sources. */
export function resolveFfmpeg(overrides: FfmpegPathOverrides = {}): FfmpegPaths {
  const choice = chooseFfmpeg(overrides);
  return { ffmpeg: choice.ffmpeg.path, ffprobe: choice.ffprobe.path, source: { ffmpeg: choice.ffmpeg.source, ffprobe: choice.ffprobe.source } };
}
