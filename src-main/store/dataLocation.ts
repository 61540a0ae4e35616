import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { AppError } from '../contract/errors.js';

/**
 * Where the data folder is, when nobody says so on the command line: a small pointer file,
 * `data-location.json`, in the per-user application folder (Electron's userData, or
 * defaultDataDir()). Hospital IT points WalkScope at another drive with it; the desktop app,
 * `walkscope` and serve mode all read the same pointer. Data is never moved by it.
 */
export const dataLocationFileName = 'data-location.json';

export interface DataLocation {
  /** The folder in use. */
  dataDir: string;
  /** 'pointer' when data-location.json chose it, 'default' otherwise. */
  source: 'pointer' | 'default';
}

/** The data folder the pointer file in `homeDir` names, or `homeDir` itself. A broken pointer is an error in words, never a silent fallback to another folder. */
export function resolveDataLocation(homeDir: string): DataLocation {
  const pointer = join(homeDir, dataLocationFileName);
  if (!existsSync(pointer)) return { dataDir: homeDir, source: 'default' };
  let dataDir: unknown;
  try {
    dataDir = (JSON.parse(readFileSync(pointer, 'utf8')) as { dataDir?: unknown }).dataDir;
  } catch (error) {
    throw new AppError('DATA_FOLDER_INVALID', `${pointer} is not readable JSON (${(error as Error).message}); fix or delete it`);
  }
  if (typeof dataDir !== 'string' || !isAbsolute(dataDir)) throw new AppError('DATA_FOLDER_INVALID', `${pointer} must hold {"dataDir": "<absolute path>"}; fix or delete it`);
  return { dataDir, source: 'pointer' };
}

/** Why `folder` cannot hold WalkScope's data, in words, or null when it can (it is created if missing). */
export function dataFolderProblem(folder: string): string | null {
  if (!isAbsolute(folder)) return `"${folder}" is not an absolute path`;
  try {
    if (existsSync(folder) && !statSync(folder).isDirectory()) return `${folder} is a file, not a folder`;
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    accessSync(folder, constants.W_OK | constants.R_OK);
    const probe = join(folder, `.walkscope-write-test-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
    return null;
  } catch (error) {
    return `${folder} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}

/**
 * Records `folder` as the data folder from the next start (written through a temporary file,
 * so a crash never leaves half a pointer). Refuses a folder inside the current vault.
 */
export function writeDataLocation(homeDir: string, folder: string, currentDataDir: string): string {
  if (!isAbsolute(folder)) throw new AppError('DATA_FOLDER_INVALID', `"${folder}" is not an absolute path`);
  const target = resolve(folder);
  const insideVault = relative(join(currentDataDir, 'vault'), target);
  if (!insideVault.startsWith('..') && !isAbsolute(insideVault)) throw new AppError('DATA_FOLDER_INVALID', `${target} is inside the current vault`);
  const problem = dataFolderProblem(target);
  if (problem) throw new AppError('DATA_FOLDER_INVALID', problem);
  const pointer = join(homeDir, dataLocationFileName);
  mkdirSync(dirname(pointer), { recursive: true, mode: 0o700 });
  const temporary = `${pointer}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ dataDir: target }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, pointer);
  return target;
}
