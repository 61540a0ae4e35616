import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { englishOf, phrase, type Phrase } from '../contract/phrase.js';
import { resolveDataLocation } from './dataLocation.js';

/**
 * Where WalkScope keeps its database and vault when not inside Electron (which passes its
 * userData folder): WALKSCOPE_HOME if set, else the platform's per-user application data
 * folder, the same place Electron's userData points to for an app named WalkScope.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.WALKSCOPE_HOME) return resolve(env.WALKSCOPE_HOME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'WalkScope');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'WalkScope');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'WalkScope');
}

export interface DataDirChoice {
  dataDir: string;
  /** Where data-location.json lives when the folder may be changed from the app; absent when fixed by the caller. */
  locationHome?: string;
}

/**
 * The data folder of this run: `explicit` (--data-dir) or WALKSCOPE_HOME when given (fixed
 * for the session), else the folder named by data-location.json in the per-user folder,
 * else that folder itself. `home` is Electron's userData inside the desktop app.
 */
export function chooseDataDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env, home?: string): DataDirChoice {
  if (explicit) return { dataDir: resolve(explicit) };
  if (env.WALKSCOPE_HOME) return { dataDir: resolve(env.WALKSCOPE_HOME) };
  const locationHome = home ?? defaultDataDir(env);
  return { dataDir: resolveDataLocation(locationHome).dataDir, locationHome };
}

/** Folders of the data folder are private to the account running WalkScope (the database and the vault hold patient videos). */
export const privateFolderMode = 0o700;
/** Files of the data folder: the database and its WAL/SHM, vault files, thumbnails, uploads, backups. */
export const privateFileMode = 0o600;

/** Whether this platform has POSIX modes to check (Windows folders take the ACL of the user's profile). */
const hasPosixModes = (platform: NodeJS.Platform) => platform !== 'win32';

/**
 * Creates a folder (and missing parents) as 0700 whatever the umask; a folder that already
 * exists is left as it is (see dataFolderPermissionProblems).
 */
export function createPrivateFolder(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: privateFolderMode });
  if (first === undefined) return;
  // mkdir's mode passes through the umask, which can only take bits away; chmod states it
  for (let at = resolve(dir); ; at = dirname(at)) {
    chmodSync(at, privateFolderMode);
    if (at === resolve(first) || dirname(at) === at) break;
  }
}

export interface PermissionProblem {
  /** Relative to the data folder ('.' for the folder itself). */
  path: string;
  /** The mode's permission bits, e.g. 0o755. */
  mode: number;
}

/** Folders and files under the data folder that other accounts may read or enter (any group or others bit), up to `limit`. */
export function dataFolderPermissionProblems(dataDir: string, options: { limit?: number; platform?: NodeJS.Platform } = {}): PermissionProblem[] {
  if (!hasPosixModes(options.platform ?? process.platform)) return [];
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const problems: PermissionProblem[] = [];
  const visit = (path: string): void => {
    if (problems.length >= limit) return;
    let info;
    try {
      info = lstatSync(path);
    } catch {
      return;
    }
    if (info.isSymbolicLink()) return;
    if ((info.mode & 0o077) !== 0) problems.push({ path: relative(dataDir, path) || '.', mode: info.mode & 0o777 });
    if (info.isDirectory()) for (const name of safeReaddir(path)) visit(join(path, name));
  };
  visit(dataDir);
  return problems;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

const octal = (mode: number) => `0${mode.toString(8)}`;

/** The warning for `walkscope info`, Settings and the log as a phrase (settings.warnings.dataFolderReadable), or null when the data folder is private. */
export function dataFolderPermissionPhrase(dataDir: string, options: { platform?: NodeJS.Platform } = {}): Phrase | null {
  const problems = dataFolderPermissionProblems(dataDir, options);
  if (problems.length === 0) return null;
  const examples = problems.slice(0, 3).map((p) => `${p.path} ${octal(p.mode)}`).join(', ');
  return phrase('settings.warnings.dataFolderReadable', { folder: dataDir, count: problems.length, examples, command: 'walkscope doctor --fix-permissions' });
}

/** The warning sentence for `walkscope info`, Settings and the log, or null when the data folder is private. */
export function dataFolderPermissionWarning(dataDir: string, options: { platform?: NodeJS.Platform } = {}): string | null {
  const warning = dataFolderPermissionPhrase(dataDir, options);
  return warning ? englishOf(warning) : null;
}

/** Sets every folder under the data folder to 0700 and every file to 0600 (symbolic links are not followed); returns what was changed. */
export function fixDataFolderPermissions(dataDir: string, options: { platform?: NodeJS.Platform } = {}): PermissionProblem[] {
  const problems = dataFolderPermissionProblems(dataDir, options);
  for (const problem of problems) {
    const path = join(dataDir, problem.path);
    chmodSync(path, lstatSync(path).isDirectory() ? privateFolderMode : privateFileMode);
  }
  return problems;
}
