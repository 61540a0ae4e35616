import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Stage1Summary, Stage2Result, Video } from '../../../src-main/contract/entities.js';
import { runCli } from '../../../src-main/cli/main.js';
import { isEncryptedFile } from '../../../src-main/filecrypt/storedFile.js';
import { appVersion } from '../../../src-main/runtime/appVersion.js';
import { isMediaRefusal, openVaultMedia } from '../../../src-main/server/vaultMedia.js';
import { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { backupDataFolder } from '../../../src-main/store/backup.js';
import { databaseKeyVariable, newDatabaseKey } from '../../../src-main/store/databaseKey.js';
import { restoreBackup } from '../../../src-main/store/restore.js';
import { ok } from '../../helpers/tempApp.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

/**
 * The whole chain on an encrypted data folder, with a real clip: import, media analysis, stage 1,
 * the measurements and the de-identified export all read the encrypted original (ffmpeg through
 * the job's loopback media server); stage 2 scores the encrypted clip as it scores the same clip
 * in clear; every file they leave in the vault is encrypted and nothing is left in clear in
 * vault/tmp; the review screen's media route serves the plain bytes; a backup checks the
 * encrypted videos against their names and restores; `walkscope db encrypt` encrypts the videos
 * and thumbnails of a folder made before the key. The patients are made up for the test.
 */
const saved = process.env[databaseKeyVariable];
const tinyBundle = resolve(import.meta.dirname, '../../fixtures/models/slow_r50-tiny');
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'walkscope-enc-chain-'));
});
afterEach(() => {
  if (saved === undefined) delete process.env[databaseKeyVariable];
  else process.env[databaseKeyVariable] = saved;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const open = (dataDir: string, runJobs = true) => WalkScopeApp.open({ dataDir, transport: 'test', log: () => {}, backupCheckMs: false, runJobs });

async function vaultFiles(app: WalkScopeApp): Promise<Array<{ path: string; encrypted: boolean }>> {
  const files = (await app.store.vault.listFiles()).filter((p) => !p.startsWith('models/'));
  return Promise.all(files.map(async (path) => ({ path, encrypted: await isEncryptedFile(app.store.vault.absolute(path)) })));
}

async function streamAll(file: { size: number; stream(s: number, e: number): AsyncIterable<unknown> }): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of file.stream(0, file.size - 1)) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe.runIf(requireTestdata())('an encrypted data folder, through the whole chain (real clip)', () => {
  const key = newDatabaseKey();
  let app: WalkScopeApp;
  let video: Video;
  const dataDir = () => join(work, 'data');

  beforeAll(async () => {
    process.env[databaseKeyVariable] = key;
    app = await open(dataDir());
    ok(await app.call('patients.create', { code: 'ENC-CHAIN-01', name: 'Made-up Walker' }));
    video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'ENC-CHAIN-01', source: { kind: 'path', path: testVideo(clips.sports2dH264) } })).video;
    ok(await app.call('analyses.run', { videoIds: [video.id], only: ['stage1', 'measure'] }));
    await app.runner.idle();
  }, 900_000);
  afterAll(async () => {
    await app?.close();
  });

  it('runs media analysis, stage 1 and the measures on the encrypted original', async () => {
    const jobs = app.store.jobs.list(undefined, 20);
    expect(jobs.map((j) => [j.kind, j.status, j.error ?? null]).sort()).toEqual([
      ['measure', 'done', null],
      ['media.analyse', 'done', null],
      ['stage1', 'done', null],
    ]);
    const summary = ok<Stage1Summary>(await app.call('analyses.stage1', { videoId: video.id }));
    expect(summary.selection).toBe('walker');
    expect(ok<{ frameCount: number } | null>(await app.call('measurements.get', { videoId: video.id }))).not.toBeNull();
    const thumbnail = ok<{ dataUrl: string | null }>(await app.call('videos.thumbnail', { id: video.id })).dataUrl;
    expect(Buffer.from(thumbnail!.split(',')[1]!, 'base64').subarray(0, 2).toString('hex')).toBe('ffd8');
  });

  it('leaves every video, clip and thumbnail encrypted in the vault, and nothing in vault/tmp', async () => {
    const files = await vaultFiles(app);
    expect(files.filter((f) => f.path.startsWith('videos/'))).toHaveLength(2); // the original and the person-centred clip
    expect(files.filter((f) => f.path.startsWith('thumbnails/')).length).toBeGreaterThanOrEqual(1);
    expect(files.filter((f) => !f.encrypted)).toEqual([]);
    expect(readdirSync(app.store.vault.tmpDir)).toEqual([]);
  });

  it('serves the plain bytes to the player and exports the de-identified clip from the encrypted original', async () => {
    const opened = await openVaultMedia(app.store.vault, app.store.videos.get(video.id).vaultPath);
    if (isMediaRefusal(opened)) throw new Error(opened.reason);
    expect((await streamAll(opened)).equals(readFileSync(testVideo(clips.sports2dH264)))).toBe(true);
    await opened.close();
    const exported = ok<{ frames: number; contentBase64: string }>(await app.call('videos.exportDeidentified', { id: video.id }));
    expect(exported.frames).toBe(app.services.results.tracks(video.id)!.frameCount);
    expect(Buffer.from(exported.contentBase64, 'base64').subarray(4, 8).toString('latin1')).toBe('ftyp');
  }, 300_000);

  it('stage 2 classifies the encrypted person-centred clip as it classifies the same clip stored in clear (tiny random-weight fixture, not a clinical model)', async () => {
    ok(await app.call('models.import', { source: { kind: 'path', path: tinyBundle } }));
    ok(await app.call('analyses.runStage2', { videoId: video.id }));
    await app.runner.idle();
    const encrypted = ok<Stage2Result>(await app.call('analyses.stage2', { videoId: video.id }));
    expect(encrypted.clips.length).toBeGreaterThan(0);
    const clipFile = join(work, 'clip-in-clear.mp4');
    writeFileSync(clipFile, await app.store.vault.read(app.store.videos.get(encrypted.classifiedVideoId).vaultPath));
    const savedKey = process.env[databaseKeyVariable];
    delete process.env[databaseKeyVariable];
    const plain = await open(join(work, 'plain-for-stage2'));
    try {
      ok(await plain.call('patients.create', { code: 'ENC-CHAIN-02' }));
      const copy = ok<{ video: Video }>(await plain.call('videos.import', { patientCode: 'ENC-CHAIN-02', source: { kind: 'path', path: clipFile } })).video;
      ok(await plain.call('models.import', { source: { kind: 'path', path: tinyBundle } }));
      ok(await plain.call('analyses.runStage2', { videoId: copy.id }));
      await plain.runner.idle();
      const inClear = ok<Stage2Result>(await plain.call('analyses.stage2', { videoId: copy.id }));
      expect(inClear.clips.map((c) => c.probabilityAsd)).toEqual(encrypted.clips.map((c) => c.probabilityAsd));
    } finally {
      await plain.close();
      process.env[databaseKeyVariable] = savedKey;
    }
  }, 300_000);

  it('backs up (each encrypted video checked against its name) and restores with the key', async () => {
    process.env[databaseKeyVariable] = key;
    const written = await backupDataFolder(app.store, 'test', join(work, 'backup'), appVersion);
    expect(written.manifest.files.filter((f) => f.path.startsWith('vault/videos/'))).toHaveLength(2);
    const restored = await restoreBackup({ from: written.path, dataDir: join(work, 'restored'), actor: 'test' });
    expect(restored.auditChain.intact).toBe(true);
    const again = await open(join(work, 'restored'), false);
    try {
      const thumbnail = ok<{ dataUrl: string | null }>(await again.call('videos.thumbnail', { id: video.id })).dataUrl;
      expect(thumbnail).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    } finally {
      await again.close();
    }
  });
});

describe.runIf(requireTestdata())('walkscope db encrypt on a folder made before the key (real clip)', () => {
  it('encrypts the database, the original and its thumbnail (not the model bundle); a second run is refused; the app reads them with the key', async () => {
    delete process.env[databaseKeyVariable];
    const dataDir = join(work, 'before-key');
    const plain = await open(dataDir);
    ok(await plain.call('patients.create', { code: 'ENC-LATER-01' }));
    const video = ok<{ video: Video }>(await plain.call('videos.import', { patientCode: 'ENC-LATER-01', source: { kind: 'path', path: testVideo(clips.intelEmptyRoom) } })).video;
    // a model bundle stays plain (weights, not patient data) and does not count as left to encrypt
    ok(await plain.call('models.import', { source: { kind: 'path', path: tinyBundle } }));
    await plain.runner.idle();
    expect((await vaultFiles(plain)).map((f) => f.encrypted)).toEqual([false, false]);
    await plain.close();

    process.env[databaseKeyVariable] = newDatabaseKey();
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['db', 'encrypt', '--data-dir', dataDir], { out: (t) => out.push(t), err: (t) => err.push(t) });
    expect(code, err.join('\n')).toBe(0);
    expect(out.join('\n')).toMatch(/^Encrypted .*walkscope\.db \(\d+ pages\) and 2 files of the vault \([\d.]+ MB\) in [\d.]+ s with the key from WALKSCOPE_DB_KEY\./);
    const second = await runCli(['db', 'encrypt', '--data-dir', dataDir], { out: () => {}, err: (t) => err.push(t) });
    expect(second).toBe(1);
    expect(err.join('\n')).toContain('is already encrypted, and so is every file of its vault');

    const app = await open(dataDir, false);
    try {
      expect((await vaultFiles(app)).map((f) => f.encrypted)).toEqual([true, true]);
      const opened = await openVaultMedia(app.store.vault, app.store.videos.get(video.id).vaultPath);
      if (isMediaRefusal(opened)) throw new Error(opened.reason);
      expect((await streamAll(opened)).equals(readFileSync(testVideo(clips.intelEmptyRoom)))).toBe(true);
      await opened.close();
      expect(ok<{ dataUrl: string | null }>(await app.call('videos.thumbnail', { id: video.id })).dataUrl).toMatch(/^data:image\/jpeg;base64,/);
    } finally {
      await app.close();
    }
  }, 300_000);
});
