import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';

let home: string;
const apps: WalkScopeApp[] = [];
beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'walkscope-folder-'))));
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  rmSync(home, { recursive: true, force: true });
});

async function open(dataDir: string, dataLocationHome?: string): Promise<WalkScopeApp> {
  const app = await WalkScopeApp.open({ dataDir, transport: 'cli', runJobs: false, log: () => {}, ...(dataLocationHome ? { dataLocationHome } : {}) });
  apps.push(app);
  return app;
}

describe('settings.setDataFolder', () => {
  it('points the next start at another folder, says whether it holds WalkScope data, and audits the change', async () => {
    const app = await open(home, home);
    expect(await app.call('app.info', {})).toMatchObject({ ok: true, value: { dataDir: home, dataFolder: { changeable: true, next: null } } });
    const target = join(home, 'shared-drive');
    expect(await app.call('settings.setDataFolder', { path: target })).toEqual({ ok: true, value: { current: home, next: target, holdsWalkScopeData: false } });
    expect(await app.call('app.info', {})).toMatchObject({ ok: true, value: { dataDir: home, dataFolder: { changeable: true, next: target } } });
    const audit = await app.call('audit.list', { entity: 'settings' });
    expect(audit).toMatchObject({ ok: true, value: [{ action: 'settings.dataFolder', before: { dataDir: home }, after: { dataDir: target } }] });
    // a folder that already holds a WalkScope database is recognised
    await open(join(home, 'other'));
    expect(await app.call('settings.setDataFolder', { path: join(home, 'other') })).toMatchObject({ ok: true, value: { holdsWalkScopeData: true } });
  });

  it('refuses bad folders in words and when the session\'s folder was fixed at start', async () => {
    const app = await open(home, home);
    expect(await app.call('settings.setDataFolder', { path: 'relative/folder' })).toMatchObject({ ok: false, error: { code: 'DATA_FOLDER_INVALID', message: 'That data folder cannot be used: "relative/folder" is not an absolute path.' } });
    const fixed = await open(join(home, 'fixed'));
    expect(await fixed.call('app.info', {})).toMatchObject({ ok: true, value: { dataFolder: { changeable: false, next: null } } });
    expect(await fixed.call('settings.setDataFolder', { path: join(home, 'x') })).toMatchObject({ ok: false, error: { code: 'DATA_FOLDER_FIXED' } });
  });
});
