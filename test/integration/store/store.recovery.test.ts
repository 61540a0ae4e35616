import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

const root = resolve(import.meta.dirname, '../../..');
const cli = join(root, 'bin/walkscope.js');

function runCli(args: string[], dataDir: string): ChildProcess {
  return spawn(process.execPath, [cli, ...args, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function vaultFiles(dataDir: string): string[] {
  const dir = join(dataDir, 'vault', 'videos');
  return existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.includes('.')) : [];
}

function count(dataDir: string, sql: string): number {
  const db = new Database(join(dataDir, 'walkscope.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe.runIf(requireTestdata())('a process killed mid-way leaves a consistent store', () => {
  let work: string;
  let bigVideo: string;
  let longVideo: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'walkscope-crash-'));
    const { ffmpeg } = resolveFfmpeg();
    // ~200 MB by stream-copying a real clip many times: slow enough to copy that a kill lands mid-import.
    const list = join(work, 'list.txt');
    writeFileSync(list, Array.from({ length: 120 }, () => `file '${testVideo(clips.sports2dH264)}'`).join('\n'));
    bigVideo = join(work, 'big.mp4');
    execFileSync(ffmpeg, ['-v', 'error', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', bigVideo]);
    // A long, tiny video: its analysis job runs for a while.
    longVideo = join(work, 'long.mp4');
    execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=96x64:rate=30:duration=1500', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', longVideo]);
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('during an import: no half file, no row, no orphan in the vault after restart', async () => {
    const dataDir = join(work, 'data-import');
    execFileSync(process.execPath, [cli, 'patients', 'create', 'K1', '--data-dir', dataDir]);
    const child = runCli(['import', bigVideo, '--patient', 'K1', '--no-wait'], dataDir);
    const tmp = join(dataDir, 'vault', 'tmp');
    await until(() => existsSync(tmp) && readdirSync(tmp).some((f) => f.endsWith('.part')), 60_000, 'the copy to start');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(readdirSync(tmp).some((f) => f.endsWith('.part'))).toBe(true); // the crash really left debris

    const app = await WalkScopeApp.open({ dataDir, transport: 'test', runJobs: false, log: () => {} });
    try {
      expect(readdirSync(tmp)).toEqual([]);
      expect(vaultFiles(dataDir)).toEqual([]);
      expect(app.store.videos.listForPatient(app.store.patients.getByCode('K1').id)).toEqual([]);
      expect(app.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(app.store.db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('between the vault rename and the database row: the orphan file is swept at restart', async () => {
    const dataDir = join(work, 'data-orphan');
    const app = await WalkScopeApp.open({ dataDir, transport: 'test', runJobs: false, log: () => {} });
    const stored = await app.store.vault.ingest(testVideo(clips.intelWorker15fps));
    await app.close(); // as if the process died before the insert
    expect(vaultFiles(dataDir).length).toBe(1);
    const reopened = await WalkScopeApp.open({ dataDir, transport: 'test', runJobs: false, log: () => {} });
    expect(vaultFiles(dataDir)).toEqual([]);
    expect(stored.sha256).toMatch(/^[a-f0-9]{64}$/);
    await reopened.close();
  });

  it('during a job: the job is re-queued at the next start and then completes', async () => {
    const dataDir = join(work, 'data-job');
    execFileSync(process.execPath, [cli, 'patients', 'create', 'K2', '--data-dir', dataDir]);
    execFileSync(process.execPath, [cli, 'import', longVideo, '--patient', 'K2', '--no-wait', '--data-dir', dataDir]);
    expect(count(dataDir, `SELECT COUNT(*) AS n FROM jobs WHERE status = 'queued'`)).toBe(1);
    const child = runCli(['jobs', 'run'], dataDir);
    await until(() => count(dataDir, `SELECT COUNT(*) AS n FROM jobs WHERE status = 'running'`) === 1, 60_000, 'the job to start');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(count(dataDir, `SELECT COUNT(*) AS n FROM jobs WHERE status = 'running'`)).toBe(1);

    const app = await WalkScopeApp.open({ dataDir, transport: 'test', runJobs: false, log: () => {} });
    try {
      const [job] = app.store.jobs.list(undefined);
      expect(job).toMatchObject({ status: 'queued', attempts: 1, message: 'Re-queued after an interruption' });
      expect(readdirSync(join(dataDir, 'vault', 'tmp'))).toEqual([]);
      app.runner.start();
      await app.runner.idle();
      expect(app.store.jobs.get(job!.id)).toMatchObject({ status: 'done', attempts: 2 });
      const video = app.store.videos.get(job!.videoId!);
      expect(video.hasThumbnail).toBe(true);
      expect(video.probe.frameCount).toBe(45_000);
      expect(vaultFiles(dataDir).length).toBe(1);
    } finally {
      await app.close();
    }
  });
});
