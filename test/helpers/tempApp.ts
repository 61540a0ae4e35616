import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalkScopeApp, type AppOptions } from '../../src-main/services/walkscopeApp.js';

/** A WalkScope back end on a fresh temporary data folder; `dispose` closes it and removes the folder. */
export async function openTempApp(options: Partial<AppOptions> = {}): Promise<{ app: WalkScopeApp; dataDir: string; dispose: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'walkscope-test-'));
  const app = await WalkScopeApp.open({ dataDir, transport: 'test', log: () => {}, ...options });
  return {
    app,
    dataDir,
    dispose: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Unwraps a dispatcher result, failing the test with the error sentence. */
export function ok<T>(result: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}
