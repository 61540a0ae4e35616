import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { request } from 'node:http';
import { startServeServer, type RunningServer } from '../../../src-main/server/serveServer.js';
import { parseRange } from '../../../src-main/domain/byteRange.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { openTempApp } from '../../helpers/tempApp.js';
import { addSyntheticPatients } from '../../helpers/syntheticCohort.js';

interface Answer {
  status: number;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** A raw request: the path is sent as written (no URL normalisation), so malformed escapes reach the server. */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** 1,000 bytes that are easy to recognise. */
const clipBytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
const secret = 'SECRET-OUTSIDE-THE-VAULT root:x:0:0';

describe('serve mode media: only for the app page, only from the vault, with RFC 9110 ranges', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let server: RunningServer;
  let outside: string;
  let cookie: string;
  let clipId: number;
  let plantedId: number;
  const logs: string[] = [];

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ transport: 'serve', log: (message) => logs.push(message) }));
    const staticDir = join(app.store.dataDir, 'static');
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>WalkScope</title>');
    [clipId, plantedId] = addSyntheticPatients(app.store, [{ code: 'P1', diagnosis: 'ASD', videos: 2 }]).get('P1')! as [number, number];
    const clipPath = app.store.vault.absolute(app.store.videos.get(clipId).vaultPath);
    mkdirSync(dirname(clipPath), { recursive: true });
    writeFileSync(clipPath, clipBytes);
    // a symlink planted at the second video's vault path, to a file outside the vault
    outside = mkdtempSync(join(tmpdir(), 'walkscope-outside-'));
    writeFileSync(join(outside, 'passwd'), secret);
    symlinkSync(join(outside, 'passwd'), app.store.vault.absolute(app.store.videos.get(plantedId).vaultPath));
    server = await startServeServer({ app, staticDir });
    cookie = String((await get(server.port, `/?token=${server.token}`)).headers['set-cookie']).split(';')[0]!;
  });
  afterAll(async () => {
    await server.close();
    await dispose();
    rmSync(outside, { recursive: true, force: true });
  });
  beforeEach(() => {
    logs.length = 0;
  });

  it('refuses media to a page on another port of 127.0.0.1 that rides on the cookie (Sec-Fetch-Site: same-site)', async () => {
    const otherPort = `http://127.0.0.1:${server.port + 1}`;
    const leak = await get(server.port, `/media/video/${clipId}`, { cookie, 'sec-fetch-site': 'same-site', origin: otherPort });
    expect(leak.status).toBe(403);
    expect(leak.body.includes(clipBytes.subarray(0, 64))).toBe(false);
    expect((await get(server.port, `/media/video/${clipId}`, { cookie, 'sec-fetch-site': 'same-site', referer: `${otherPort}/player.html` })).status).toBe(403);
    expect((await get(server.port, `/media/video/${clipId}`, { cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // a study case is refused before it is looked up
    expect((await get(server.port, '/media/study/1/C001', { cookie, 'sec-fetch-site': 'same-site', origin: otherPort })).status).toBe(403);
    // the cookie alone, from a client that does not say where the request comes from
    expect((await get(server.port, `/media/video/${clipId}`, { cookie })).status).toBe(403);
    // a page cannot make its request look same-origin and still name itself
    expect((await get(server.port, `/media/video/${clipId}`, { cookie, 'sec-fetch-site': 'same-origin', origin: otherPort })).status).toBe(403);
    expect(logs.join('\n')).toContain(`serve: GET /media/video/${clipId} -> 403: Sec-Fetch-Site is same-site`);
  });

  it("plays media for the app's own page (same-origin with the cookie) and for the token in the URL", async () => {
    const own = await get(server.port, `/media/video/${clipId}`, { cookie, 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(200);
    expect(own.body.equals(clipBytes)).toBe(true);
    const withOrigin = await get(server.port, `/media/video/${clipId}`, { cookie, 'sec-fetch-site': 'same-origin', origin: `http://127.0.0.1:${server.port}`, range: 'bytes=10-19' });
    expect(withOrigin.status).toBe(206);
    expect(withOrigin.body.equals(clipBytes.subarray(10, 20))).toBe(true);
    expect((await get(server.port, `/media/video/${clipId}?token=${server.token}`)).status).toBe(200);
    // even the token does not let another site's page play it
    expect((await get(server.port, `/media/video/${clipId}?token=${server.token}`, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  });

  it('does not follow a symlink planted in the vault to a file outside it, and logs why', async () => {
    for (const headers of [{}, { range: 'bytes=0-9' }] as Record<string, string>[]) {
      const answer = await get(server.port, `/media/video/${plantedId}?token=${server.token}`, headers);
      expect(answer.status).toBe(403);
      expect(answer.body.toString()).not.toContain('SECRET');
    }
    expect(logs.join('\n')).toMatch(new RegExp(`serve: GET /media/video/${plantedId} -> 403: .* resolves to .*passwd, outside the vault`));
  });

  it('answers 400 to a malformed %-escape in a static path, not 500', async () => {
    expect((await get(server.port, '/assets/%E0%A4%A', { cookie })).status).toBe(400);
    expect((await get(server.port, '/%', { cookie })).status).toBe(400);
  });

  it('ignores a Range it does not support (another unit, several ranges, malformed) and sends the whole file', async () => {
    for (const range of ['items=0-5', 'bytes=0-1,5-6', 'bytes=5-2', 'bytes=-', 'bytes=abc']) {
      const answer = await get(server.port, `/media/video/${clipId}?token=${server.token}`, { range });
      expect({ range, status: answer.status }).toEqual({ range, status: 200 });
      expect(answer.body.equals(clipBytes)).toBe(true);
      expect(answer.headers['content-range']).toBeUndefined();
    }
  });

  it('answers 416 to one well-formed range beyond the end, and HEAD ignores ranges', async () => {
    for (const range of ['bytes=1000-', 'bytes=5000-6000', 'bytes=-0']) {
      const answer = await get(server.port, `/media/video/${clipId}?token=${server.token}`, { range });
      expect({ range, status: answer.status }).toEqual({ range, status: 416 });
      expect(answer.headers['content-range']).toBe('bytes */1000');
    }
    const suffix = await get(server.port, `/media/video/${clipId}?token=${server.token}`, { range: 'BYTES=-100' });
    expect(suffix.status).toBe(206);
    expect(suffix.body.equals(clipBytes.subarray(900))).toBe(true);
    const head = await get(server.port, `/media/video/${clipId}?token=${server.token}`, { range: 'bytes=0-9' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('1000');
  });

  it('parses ranges as RFC 9110 says', () => {
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-200', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1, 3-4', 100)).toBeUndefined();
    expect(parseRange('items=0-1', 100)).toBeUndefined();
  });

  it('logs refused and failed requests: method, path without the token, status and code', async () => {
    expect((await get(server.port, `/media/video/999?token=${server.token}`)).status).toBe(404);
    expect((await get(server.port, '/%zz', { cookie })).status).toBe(400);
    vi.spyOn(app.store.videos, 'find').mockImplementationOnce(() => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    });
    expect((await get(server.port, `/media/video/${clipId}?token=${server.token}`)).status).toBe(500);
    expect((await get(server.port, `/?token=wrong`)).status).toBe(403);
    expect(logs).toEqual([
      'serve: GET /media/video/999 -> 404: No such video',
      'serve: GET /%zz -> 400: the path has a malformed %-escape',
      `serve: GET /media/video/${clipId} -> 500: SQLITE_BUSY`,
      'serve: GET / -> 403: no valid token',
    ]);
    expect(logs.join('\n')).not.toContain(server.token);
  });
});
