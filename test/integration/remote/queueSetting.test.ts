import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';
import { redisServerAvailable, startTestRedis, type TestRedis } from '../../helpers/remote/redisServer.js';

const secret = 's3cret-not-for-the-settings';

describe('the queue setting through settings.update', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let shared: string;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp());
    shared = mkdtempSync(join(tmpdir(), 'walkscope-shared-'));
  });
  afterAll(async () => {
    await dispose();
    rmSync(shared, { recursive: true, force: true });
  });

  const update = (changes: Record<string, unknown>) => app.call('settings.update', { changes });

  it('refuses an address with a password, half a queue and a missing folder, stores nothing, and keeps the password out of the audit log', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ queueUrl: `redis://walkscope:${secret}@queue.local:6379`, queueMediaFolder: shared }, 'QUEUE_PASSWORD_IN_SETTINGS', 'set WALKSCOPE_QUEUE_PASSWORD on this machine'],
      [{ queueUrl: 'queue.local:6379', queueMediaFolder: shared }, 'QUEUE_URL_INVALID', 'does not start with redis://'],
      [{ queueUrl: 'redis://walkscope@queue.local:6379' }, 'MEDIA_FOLDER_INVALID', 'needs the shared folder every worker mounts'],
      [{ queueMediaFolder: shared }, 'QUEUE_URL_INVALID', 'needs a queue address beside it'],
      [{ queueUrl: 'redis://walkscope@queue.local:6379', queueMediaFolder: join(shared, 'not-mounted') }, 'MEDIA_FOLDER_INVALID', 'does not exist on this machine'],
    ];
    for (const [changes, code, words] of cases) {
      const result = await update({ ...changes, jobConcurrency: 3 });
      expect(result).toMatchObject({ ok: false, error: { code, message: expect.stringContaining(words) } });
      expect(JSON.stringify(result)).not.toContain(secret);
    }
    const settings = ok<{ queueUrl: string | null; jobConcurrency: number }>(await app.call('settings.get', {}));
    expect(settings).toMatchObject({ queueUrl: null, queueMediaFolder: null, jobConcurrency: 1 });
    const audit = ok<Array<{ action: string; after: unknown }>>(await app.call('audit.list', { limit: 50 }));
    expect(audit.filter((row) => row.action === 'request.refused').map((row) => (row.after as { code: string }).code)).toEqual(cases.map(([, code]) => code).reverse());
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('stores an address without a password with its folder (trimmed), audits the change, and leaves the queue in use alone until the next start', async () => {
    const saved = ok<{ queueUrl: string; queueMediaFolder: string }>(await update({ queueUrl: '  redis://walkscope@queue.local:6379  ', queueMediaFolder: shared }));
    expect(saved).toMatchObject({ queueUrl: 'redis://walkscope@queue.local:6379', queueMediaFolder: shared });
    const [row] = ok<Array<{ action: string; before: { queueUrl: string | null }; after: { queueUrl: string | null } }>>(await app.call('audit.list', { limit: 1 }));
    expect(row).toMatchObject({ action: 'settings.update', before: { queueUrl: null }, after: { queueUrl: 'redis://walkscope@queue.local:6379', queueMediaFolder: shared } });
    expect(ok(await app.call('settings.queueInUse', {}))).toEqual({ source: 'default', url: null, mediaFolder: null, problem: null });
    // both empty: back to the SQLite queue
    expect(ok(await update({ queueUrl: '', queueMediaFolder: null }))).toMatchObject({ queueUrl: null, queueMediaFolder: null });
  });
});

describe.runIf(redisServerAvailable())('the queue setting at the next start, with a real redis-server', () => {
  let redis: TestRedis;
  let dataDir: string;
  let shared: string;
  let urlWithoutPassword: string;
  const log: string[] = [];
  const reopen = (queueFrom: WalkScopeApp['options']['queueFrom']) => WalkScopeApp.open({ dataDir, transport: 'test', log: (m) => void log.push(m), ...(queueFrom ? { queueFrom } : {}) });

  beforeAll(async () => {
    redis = await startTestRedis();
    urlWithoutPassword = `redis://walkscope@127.0.0.1:${redis.port}`;
    shared = mkdtempSync(join(tmpdir(), 'walkscope-shared-'));
    const first = await openTempApp();
    dataDir = first.dataDir;
    ok(await first.app.call('settings.update', { changes: { queueUrl: urlWithoutPassword, queueMediaFolder: shared } }));
    await first.app.close();
  });
  afterAll(async () => {
    await redis?.stop();
    rmSync(shared, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses the stored queue after a restart, with the password from WALKSCOPE_QUEUE_PASSWORD, and says it came from the setting', async () => {
    const app = await reopen({ env: { WALKSCOPE_QUEUE_PASSWORD: redis.password } });
    try {
      expect(app.remote).toBeDefined();
      expect(ok(await app.call('settings.queueInUse', {}))).toEqual({ source: 'setting', url: urlWithoutPassword, mediaFolder: shared, problem: null });
    } finally {
      await app.close();
    }
  });

  it('puts a flag over the stored setting', async () => {
    const other = mkdtempSync(join(tmpdir(), 'walkscope-shared-flag-'));
    const app = await reopen({ flags: { queue: urlWithoutPassword, mediaFolder: other }, env: { WALKSCOPE_QUEUE_PASSWORD: redis.password } });
    try {
      expect(ok(await app.call('settings.queueInUse', {}))).toMatchObject({ source: 'flag', mediaFolder: other });
    } finally {
      await app.close();
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('opens with the SQLite queue and says why when the stored queue cannot be used (wrong password), never showing the password', async () => {
    const app = await reopen({ env: { WALKSCOPE_QUEUE_PASSWORD: `wrong-${secret}` } });
    try {
      expect(app.remote).toBeUndefined();
      const inUse = ok<{ source: string; problem: string }>(await app.call('settings.queueInUse', {}));
      expect(inUse).toMatchObject({ source: 'default', url: null, problem: expect.stringContaining(`The queue in the settings (${urlWithoutPassword}) could not be used at this start`) });
      expect(inUse.problem).toContain('cannot be reached');
      expect(JSON.stringify(inUse) + log.join('\n')).not.toContain(secret);
      expect(log.some((line) => line.startsWith('warning: The queue in the settings'))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
