import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
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
