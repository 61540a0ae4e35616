import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { startServeServer, type RunningServer } from '../../../src-main/server/serveServer.js';
import { UploadArea } from '../../../src-main/services/uploads.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { AppError } from '../../../src-main/contract/errors.js';
import { openTempApp } from '../../helpers/tempApp.js';

/**
 * Serve mode's upload limits on a real server and a real upload folder, with limits of a few
 * hundred KB so the tests stay small: an upload over a limit is answered 413 with the sentence
 * (not a reset connection), and a refused or broken-off upload leaves no file behind.
 */
const KiB = 1024;
const limits = { maxFileBytes: 300 * KiB, maxTotalBytes: 500 * KiB, maxShareOfFreeDisk: 0.5 };

interface Answer {
  status: number;
  body: string;
}

/** POSTs `body` in 16 KB pieces; `chunked` leaves out Content-Length (the size is then learnt as it arrives). */
function upload(server: RunningServer, bytes: number, options: { chunked?: boolean } = {}): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const headers: Record<string, string> = { origin: `http://127.0.0.1:${server.port}` };
    if (!options.chunked) headers['content-length'] = String(bytes);
    const req = request(`http://127.0.0.1:${server.port}/upload?token=${server.token}`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    Readable.from(pieces(bytes)).pipe(req);
  });
}

function* pieces(bytes: number): Generator<Buffer> {
  for (let sent = 0; sent < bytes; sent += 16 * KiB) yield Buffer.alloc(Math.min(16 * KiB, bytes - sent), 7);
}

const uploadFiles = (app: WalkScopeApp) => readdirSync(join(app.store.dataDir, 'uploads'));

describe('serve mode upload limits', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let server: RunningServer;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ transport: 'serve' }));
    const staticDir = join(app.store.dataDir, 'static');
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>WalkScope</title>');
    server = await startServeServer({ app, staticDir, uploadLimits: limits });
  });
  afterAll(async () => {
    await server.close();
    await dispose();
  });

  it('takes an upload within the limits and counts it as held until it is discarded', async () => {
    const answer = await upload(server, 200 * KiB);
    expect(answer.status).toBe(200);
    const { uploadId, sizeBytes } = JSON.parse(answer.body) as { uploadId: string; sizeBytes: number };
    expect(sizeBytes).toBe(200 * KiB);
    expect(app.uploads.heldBytes()).toBe(200 * KiB);
    await app.uploads.discard(uploadId);
    expect(app.uploads.heldBytes()).toBe(0);
    expect(uploadFiles(app)).toEqual([]);
  });

  it('answers a declared size over the per-file limit with 413 and the sentence, writing nothing', async () => {
    const answer = await upload(server, 400 * KiB);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      error: {
        code: 'UPLOAD_TOO_LARGE',
        message:
          "The upload was refused: it is 400.0 KB, over the 300.0 KB limit for one file. Large files can be imported on this machine with `walkscope import`; IT can change the limits (serve mode's --upload-max-file and --upload-max-total).",
        detail: 'it is 400.0 KB, over the 300.0 KB limit for one file',
      },
    });
    expect(uploadFiles(app)).toEqual([]);
    expect(app.uploads.heldBytes()).toBe(0);
    expect(app.store.audit.list({ entity: 'request', limit: 1 })[0]).toMatchObject({ action: 'request.refused', entityId: 'upload', after: { code: 'UPLOAD_TOO_LARGE', transport: 'serve', declaredBytes: 400 * KiB } });
  });

  it('stops an upload of unstated size once it passes the limit, and the partial file is already gone when the 413 arrives', async () => {
    const answer = await upload(server, 400 * KiB, { chunked: true });
    expect(answer.status).toBe(413);
    expect((JSON.parse(answer.body) as { error: { message: string } }).error.message).toContain('over the 300.0 KB limit for one file');
    expect(uploadFiles(app)).toEqual([]);
    expect(app.uploads.heldBytes()).toBe(0);
  });

  it('refuses an upload that would pass the total of uploads waiting for import, and takes it once they are imported', async () => {
    const first = JSON.parse((await upload(server, 250 * KiB)).body) as { uploadId: string };
    const second = await upload(server, 260 * KiB);
    expect(second.status).toBe(413);
    expect((JSON.parse(second.body) as { error: { message: string } }).error.message).toContain(
      'with the 250.0 KB of uploads still waiting to be imported it would pass the 500.0 KB limit for all uploads together',
    );
    expect(uploadFiles(app)).toEqual([first.uploadId]);
    await app.uploads.discard(first.uploadId);
    const again = await upload(server, 260 * KiB);
    expect(again.status).toBe(200);
    await app.uploads.discard((JSON.parse(again.body) as { uploadId: string }).uploadId);
  });

  it('keeps serving on the same connection pool after a refusal', async () => {
    expect((await upload(server, 400 * KiB)).status).toBe(413);
    const after = await upload(server, 10 * KiB);
    expect(after.status).toBe(200);
    await app.uploads.discard((JSON.parse(after.body) as { uploadId: string }).uploadId);
  });

  it('removes an upload the browser breaks off at once, not at the next start', async () => {
    expect(uploadFiles(app)).toEqual([]);
    const req = request(`http://127.0.0.1:${server.port}/upload?token=${server.token}`, {
      method: 'POST',
      headers: { origin: `http://127.0.0.1:${server.port}`, 'content-length': String(200 * KiB) },
    });
    req.on('error', () => {});
    req.write(Buffer.alloc(64 * KiB, 1));
    // the server has the file open and partly written before the client goes away
    for (let i = 0; i < 200 && uploadFiles(app).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(uploadFiles(app)).toHaveLength(1);
    req.destroy();
    for (let i = 0; i < 500 && uploadFiles(app).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(uploadFiles(app)).toEqual([]);
    expect(app.uploads.heldBytes()).toBe(0);
  });
});

describe('the upload folder against the free disk', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'walkscope-uploads-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an upload larger than half of the free disk, declared or not', async () => {
    const area = new UploadArea(join(dir, 'uploads'), async () => 1000 * KiB);
    await area.init();
    const refusal = 'it is 600.0 KB, more than 50% of the 1000.0 KB free on the data folder\'s disk; free some space first';
    await expect(area.receive(Readable.from(pieces(600 * KiB)), { declaredBytes: 600 * KiB })).rejects.toThrow(new AppError('UPLOAD_TOO_LARGE', refusal));
    await expect(area.receive(Readable.from(pieces(600 * KiB)))).rejects.toMatchObject({ code: 'UPLOAD_TOO_LARGE', detail: expect.stringContaining('more than 50% of the 1000.0 KB free') });
    expect(await area.count()).toBe(0);
    expect(await area.receive(Readable.from(pieces(400 * KiB)))).toMatchObject({ sizeBytes: 400 * KiB });
  });

  it('uses the real free space of the disk by default', async () => {
    const area = new UploadArea(join(dir, 'real'));
    await area.init();
    expect(await area.receive(Readable.from(pieces(64 * KiB)))).toMatchObject({ sizeBytes: 64 * KiB });
    expect(area.heldBytes()).toBe(64 * KiB);
  });
});
