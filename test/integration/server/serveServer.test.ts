import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { startServeServer, type RunningServer } from '../../../src-main/server/serveServer.js';
import type { CallResult } from '../../../src-main/contract/dispatcher.js';
import type { ServerMessage } from '../../../src-main/contract/wire.js';
import { openTempApp } from '../../helpers/tempApp.js';
import { addSyntheticPatients } from '../../helpers/syntheticCohort.js';
import { seedStage1Result } from '../../helpers/seedStage1.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function post(url: string, body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function openSocket(server: RunningServer, options: { token?: string; origin?: string } = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${options.token ?? server.token}`, { origin: options.origin ?? `http://127.0.0.1:${server.port}` });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

function nextMessage(ws: WebSocket, predicate: (m: ServerMessage) => boolean = () => true): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (predicate(message)) {
        ws.off('message', onMessage);
        resolve(message);
      }
    };
    ws.on('message', onMessage);
  });
}

async function call(ws: WebSocket, id: number, method: string, payload: unknown): Promise<CallResult> {
  const reply = nextMessage(ws, (m) => m.type === 'reply' && m.id === id);
  ws.send(JSON.stringify({ type: 'call', id, method, payload }));
  const message = await reply;
  if (message.type !== 'reply') throw new Error('not a reply');
  return message.result;
}

describe('serve mode transport', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let server: RunningServer;
  let staticDir: string;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ transport: 'serve' }));
    staticDir = join(app.store.dataDir, 'static');
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>WalkScope</title>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    server = await startServeServer({ app, staticDir });
  });
  afterAll(async () => {
    await server.close();
    await dispose();
  });

  it('binds to 127.0.0.1 and prints a URL with a random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('refuses requests without the token', async () => {
    expect((await get(`http://127.0.0.1:${server.port}/`)).status).toBe(403);
    expect((await get(`http://127.0.0.1:${server.port}/assets/app.js`)).status).toBe(403);
    expect((await get(`http://127.0.0.1:${server.port}/?token=wrong`)).status).toBe(403);
    expect((await get(`http://127.0.0.1:${server.port}/media/video/1`)).status).toBe(403);
  });

  it('serves the page with the token, sets a same-site cookie and a strict CSP', async () => {
    const page = await get(server.url);
    expect(page.status).toBe(200);
    expect(String(page.headers['set-cookie'])).toContain('SameSite=Strict');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'none'");
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    expect((await get(`http://127.0.0.1:${server.port}/assets/app.js`, { cookie })).status).toBe(200);
    expect((await get(`http://127.0.0.1:${server.port}/../../etc/passwd`, { cookie })).status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get(server.url, { host: 'attacker.example:80' })).status).toBe(421);
  });

  it('refuses WebSocket connections without the token or from another origin', async () => {
    await expect(openSocket(server, { token: 'nope' })).rejects.toThrow(/403/);
    await expect(openSocket(server, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('carries contract calls and validates them at the boundary', async () => {
    const ws = await openSocket(server);
    expect(await call(ws, 1, 'patients.create', { code: 'S1', diagnosis: 'LCS' })).toMatchObject({ ok: true, value: { code: 'S1', diagnosis: 'LCS' } });
    expect(await call(ws, 2, 'patients.create', { code: 'S1' })).toMatchObject({ ok: false, error: { code: 'PATIENT_CODE_TAKEN' } });
    expect(await call(ws, 3, 'patients.create', { code: 'S2', extra: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call(ws, 4, 'patients.list', { search: 'x'.repeat(5000) })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call(ws, 5, 'no.such', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const garbage = nextMessage(ws, (m) => m.type === 'reply' && m.id === -1);
    ws.send('{not json');
    expect(await garbage).toMatchObject({ result: { ok: false, error: { code: 'BAD_REQUEST' } } });
    expect(app.store.patients.list().map((p) => p.code)).toEqual(['S1']);
    ws.close();
  });

  it('records the leave of a reading session when the tab closes without "Leave", marked as closed', async () => {
    const ws = await openSocket(server);
    expect(await call(ws, 20, 'readers.create', { code: 'dr-close', displayName: 'Dr Close' })).toMatchObject({ ok: true });
    const study = await call(ws, 21, 'studies.create', { name: 'Tab closed', kind: 'reader' });
    if (!study.ok) throw new Error(study.error.message);
    const id = (study.value as { id: number }).id;
    // GENERATED cases: video rows without files, the patient in view on frames 30-179
    for (const ids of addSyntheticPatients(app.store, [{ code: 'TAB1', diagnosis: 'ASD', videos: 1 }]).values()) for (const video of ids) seedStage1Result(app.store, video, [[30, 179]]);
    expect(await call(ws, 24, 'studies.addCases', { id, patientCodes: ['TAB1'] })).toMatchObject({ ok: true });
    expect(await call(ws, 22, 'studies.addReader', { id, readerCode: 'dr-close' })).toMatchObject({ ok: true });
    expect(await call(ws, 23, 'studies.readingSession', { id, readerCode: 'dr-close', action: 'enter' })).toMatchObject({ ok: true });
    // a second tab that enters and leaves properly records nothing more on closing
    const other = await openSocket(server);
    expect(await call(other, 1, 'studies.readingSession', { id, readerCode: 'dr-close', action: 'enter' })).toMatchObject({ ok: true });
    expect(await call(other, 2, 'studies.readingSession', { id, readerCode: 'dr-close', action: 'leave' })).toMatchObject({ ok: true });
    other.close();
    ws.close();
    const trail = () => app.store.audit.list({ entity: 'study', limit: 20 }).filter((e) => e.action.startsWith('study.reading.')).reverse();
    for (let i = 0; i < 100 && trail().length < 4; i++) await new Promise((r) => setTimeout(r, 20));
    const entries = trail();
    expect(entries.map((e) => e.action)).toEqual(['study.reading.enter', 'study.reading.enter', 'study.reading.leave', 'study.reading.leave']);
    expect(JSON.stringify(entries[2])).not.toContain('window was closed');
    expect(JSON.stringify(entries[3])).toContain('the reading window was closed');
  });

  it('drops a connection that sends a message over the size limit', async () => {
    const ws = await openSocket(server);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ type: 'call', id: 1, method: 'patients.list', payload: { search: 'x'.repeat(400_000) } }));
    expect(await closed).toBe(1009);
  });

  it.runIf(requireTestdata())('imports an upload, pushes job events, and streams media with ranges', async () => {
    const ws = await openSocket(server);
    const file = readFileSync(testVideo(clips.intelWorker15fps));
    const upload = await post(`${server.url.replace('/?', '/upload?')}`, file, { origin: `http://127.0.0.1:${server.port}` });
    expect(upload.status).toBe(200);
    const { uploadId } = JSON.parse(upload.body) as { uploadId: string };
    const jobDone = nextMessage(ws, (m) => m.type === 'event' && m.name === 'job.updated' && (m.payload as { status: string }).status === 'done');
    const imported = await call(ws, 10, 'videos.import', { patientCode: 'S1', source: { kind: 'upload', uploadId, fileName: 'walk.mp4' } });
    expect(imported).toMatchObject({ ok: true, value: { video: { originalName: 'walk.mp4', probe: { width: 480, height: 270 } } } });
    await jobDone;
    expect(await app.uploads.count()).toBe(0);
    const id = (imported as { value: { video: { id: number } } }).value.video.id;
    const ranged = await get(`http://127.0.0.1:${server.port}/media/video/${id}?token=${server.token}`, { range: 'bytes=100-199' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers['content-range']).toBe(`bytes 100-199/${file.length}`);
    expect(ranged.body.equals(file.subarray(100, 200))).toBe(true);
    expect((await get(`http://127.0.0.1:${server.port}/media/video/${id}?token=${server.token}`, { range: `bytes=${file.length + 5}-` })).status).toBe(416);
    expect((await get(`http://127.0.0.1:${server.port}/media/video/999?token=${server.token}`)).status).toBe(404);
    ws.close();
  });
});
