import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

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
