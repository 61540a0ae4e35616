import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mediaResponse } from '../../../src-main/shell/mediaProtocol.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { openTempApp } from '../../helpers/tempApp.js';
import { addSyntheticPatients } from '../../helpers/syntheticCohort.js';

const clipBytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

describe('the desktop media scheme (walkscope-media://)', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let outside: string;
  let clipId: number;
  let plantedId: number;
  const logs: string[] = [];

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ log: (message) => logs.push(message) }));
    [clipId, plantedId] = addSyntheticPatients(app.store, [{ code: 'P1', diagnosis: 'ASD', videos: 2 }]).get('P1')! as [number, number];
    const clipPath = app.store.vault.absolute(app.store.videos.get(clipId).vaultPath);
    mkdirSync(dirname(clipPath), { recursive: true });
    writeFileSync(clipPath, clipBytes);
    outside = mkdtempSync(join(tmpdir(), 'walkscope-outside-'));
    writeFileSync(join(outside, 'passwd'), 'SECRET-OUTSIDE-THE-VAULT');
    symlinkSync(join(outside, 'passwd'), app.store.vault.absolute(app.store.videos.get(plantedId).vaultPath));
  });
  afterAll(async () => {
    await dispose();
    rmSync(outside, { recursive: true, force: true });
  });

  const fetchMedia = (path: string, headers: Record<string, string> = {}, method = 'GET') => mediaResponse(app, new Request(`walkscope-media://${path}`, { headers, method }));

  it('streams a vault video whole and by range', async () => {
    const whole = await fetchMedia(`video/${clipId}`);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(clipBytes)).toBe(true);
    const part = await fetchMedia(`video/${clipId}`, { range: 'bytes=10-19' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect(Buffer.from(await part.arrayBuffer()).equals(clipBytes.subarray(10, 20))).toBe(true);
  });

  it('does not follow a symlink planted in the vault to a file outside it, and logs why', async () => {
    const answer = await fetchMedia(`video/${plantedId}`);
    expect(answer.status).toBe(403);
    expect(await answer.text()).not.toContain('SECRET');
    expect(logs.join('\n')).toMatch(/resolves to .*passwd, outside the vault/);
  });

  it('ignores ranges it does not support and answers 416 only to one range beyond the end', async () => {
    for (const range of ['items=0-5', 'bytes=0-1,5-6', 'bytes=5-2']) {
      const answer = await fetchMedia(`video/${clipId}`, { range });
      expect({ range, status: answer.status }).toEqual({ range, status: 200 });
      expect((await answer.arrayBuffer()).byteLength).toBe(1000);
    }
    const beyond = await fetchMedia(`video/${clipId}`, { range: 'bytes=1000-' });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */1000');
    expect((await fetchMedia('video/999')).status).toBe(404);
  });
});
