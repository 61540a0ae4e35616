import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import type { BackupManifest } from '../../../src-main/contract/entities.js';
import { AppError } from '../../../src-main/contract/errors.js';
import { runCli } from '../../../src-main/cli/main.js';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import { appVersion } from '../../../src-main/runtime/appVersion.js';
import { WalkScopeApp, type AppOptions } from '../../../src-main/services/walkscopeApp.js';
import { backupDataFolder, listBackups } from '../../../src-main/store/backup.js';
import { restoreBackup } from '../../../src-main/store/restore.js';
import { migrations } from '../../../src-main/store/migrations/index.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { ok } from '../../helpers/tempApp.js';

const latestVersion = migrations.at(-1)!.version;

/**
 * Backups a hospital can restore: a backup folder (database, the vault files it refers to, a
 * manifest of their SHA-256) taken while jobs write, restored into an empty folder and opened;
 * restores that must be refused leave nothing behind; scheduled backups keep the newest N.
 * The data folder holds the real clips of ../shared/testdata (their media analyses are the jobs).
 */

let work: string;
let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'walkscope-backup-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function open(dataDir: string, options: Partial<AppOptions> = {}): Promise<WalkScopeApp> {
  const app = await WalkScopeApp.open({ dataDir, transport: 'test', log: () => {}, backupCheckMs: false, ...options });
  let closed = false;
  const close = app.close.bind(app);
  app.close = async () => {
    if (closed) return;
    closed = true;
    await close();
  };
  cleanups.push(() => app.close());
  return app;
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An ffprobe that waits for `gate` to exist before probing a video (`-version` answers at once): holds a media analysis "running". */
function gatedFfprobe(gate: string): string {
  const { ffprobe } = resolveFfmpeg();
  const path = join(work, `ffprobe-${relative(work, gate).replace(/\W/g, '_')}.sh`);
  writeFileSync(path, `#!/bin/sh\n[ "$1" = "-version" ] && exec '${ffprobe}' "$@"\nwhile [ ! -e '${gate}' ]; do sleep 0.05; done\nexec '${ffprobe}' "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const megabytesPerSecond = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);

/** Every entry under `dir`: folders 0700, files 0600. */
function modes(dir: string): Array<{ path: string; mode: string }> {
  const wrong: Array<{ path: string; mode: string }> = [];
  const visit = (path: string) => {
    const info = lstatSync(path);
    const mode = info.mode & 0o777;
    if (mode !== (info.isDirectory() ? 0o700 : 0o600)) wrong.push({ path: relative(dir, path), mode: mode.toString(8) });
    if (info.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return wrong;
}

/** A data folder with one patient and the real clips imported; their media analyses queued, none run. */
async function seeded(name: string, clipNames: readonly string[] = Object.values(clips)): Promise<string> {
  const dataDir = join(work, name);
  const app = await open(dataDir, { runJobs: false });
  ok(await app.call('patients.create', { code: 'B-1', diagnosis: 'ASD' }));
  for (const clip of clipNames) ok(await app.call('videos.import', { patientCode: 'B-1', source: { kind: 'path', path: testVideo(clip) } }));
  await app.close();
  return dataDir;
}

/** What a restored data folder must be: SQLite's integrity check passes and every vault file its database refers to is there, with its SHA-256. */
function checkRestoredFolder(dataDir: string, source: string): void {
  const db = new Database(join(dataDir, 'walkscope.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    const videos = db.prepare('SELECT vault_path, sha256, thumbnail_path FROM videos').all() as Array<{ vault_path: string; sha256: string; thumbnail_path: string | null }>;
    expect(videos.length).toBeGreaterThan(0);
    for (const video of videos) {
      expect(sha256(join(dataDir, 'vault', video.vault_path)), video.vault_path).toBe(video.sha256);
      if (video.thumbnail_path !== null) expect(sha256(join(dataDir, 'vault', video.thumbnail_path))).toBe(sha256(join(source, 'vault', video.thumbnail_path)));
    }
  } finally {
    db.close();
  }
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function refusal(error: unknown): { code: string; message: string } {
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).toReply();
}

async function refused(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return refusal(error);
  }
  throw new Error('the restore was not refused');
}

describe.runIf(requireTestdata())('a backup taken while jobs write', () => {
  it('restores into an empty folder: integrity ok, every referenced vault file there with its hash, the audit chain verifies, running jobs queued again', async () => {
    const source = await seeded('busy');
    const backups = join(work, 'busy-backups');
    const gate = join(work, 'busy-gate');
    const app = await open(source, { runJobs: false });
    app.store.settings.update('test', { jobConcurrency: 6, ffprobePath: gatedFfprobe(gate), backupFolder: backups, backupKeep: 3 });
    const mediaJobs = app.store.jobs.list(['queued']).map((j) => j.id).sort((a, b) => a - b);
    expect(mediaJobs).toHaveLength(5);
    app.runner.start();
    await until(() => mediaJobs.every((id) => app.store.jobs.get(id).status === 'running'), 'the media analyses to start');

    // the scheduled backup runs beside them; they are let go as it starts, so their commits
    // (thumbnails into the vault, rows into the database) write while it copies
    const backupJob = app.queueBackupIfDue()!;
    expect(backupJob.kind).toBe('backup');
    expect(app.queueBackupIfDue()).toBeNull(); // one at a time
    await until(() => app.store.jobs.get(backupJob.id).status !== 'queued', 'the backup to start');
    writeFileSync(gate, '');
    await until(() => app.store.jobs.get(backupJob.id).status !== 'running', 'the backup to finish');
    const done = app.store.jobs.get(backupJob.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('done');
    await app.runner.idle();
    expect(mediaJobs.map((id) => app.store.jobs.get(id).status)).toEqual(mediaJobs.map(() => 'done'));

    // the backup folder: named by time, a manifest listing every file with its hash, private
    const [backup] = await listBackups(backups);
    expect(backup!.path).toMatch(/walkscope-backup-\d{8}-\d{6}Z$/);
    const manifestText = readFileSync(join(backup!.path, 'manifest.json'), 'utf8');
    const manifest = JSON.parse(manifestText) as BackupManifest;
    expect(manifest).toMatchObject({ format: 'walkscope-backup-v1', appVersion, schemaVersion: app.store.schemaVersion, source });
    expect(manifest.files[0]!.path).toBe('walkscope.db');
    for (const file of manifest.files) expect(sha256(join(backup!.path, file.path)), file.path).toBe(file.sha256);
    expect(manifest.files.filter((f) => f.path.startsWith('vault/videos/'))).toHaveLength(5);
    expect(modes(backup!.path)).toEqual([]);
    expect(existsSync(join(backup!.path, 'walkscope.db-wal'))).toBe(false);
    const audited = app.store.audit.list({ entity: 'database' })[0]!;
    expect(audited).toMatchObject({ actor: 'walkscope.scheduler', action: 'database.backup', after: { target: backup!.path, scheduled: true, auditHead: manifest.auditHead } });
    expect((audited.after as { manifestSha256: string }).manifestSha256).toBe(createHash('sha256').update(manifestText).digest('hex'));

    // measured on the settled folder (thumbnails included): `walkscope backup`'s path, then a restore of it
    let at = performance.now();
    const settled = await backupDataFolder(app.store, 'dr.b', join(work, 'busy-settled-backup'), appVersion);
    const settledBackupMs = performance.now() - at;
    at = performance.now();
    await restoreBackup({ from: settled.path, dataDir: join(work, 'busy-settled-restored'), actor: 'dr.b' });
    const settledRestoreMs = performance.now() - at;
    checkRestoredFolder(join(work, 'busy-settled-restored'), source);
    console.log(
      `[backup bench] settled data folder, ${(settled.bytes / 1e6).toFixed(1)} MB in ${settled.manifest.files.length} files: backup ${settledBackupMs.toFixed(0)} ms (${megabytesPerSecond(settled.bytes, settledBackupMs)} MB/s), ` +
        `restore ${settledRestoreMs.toFixed(0)} ms (${megabytesPerSecond(settled.bytes, settledRestoreMs)} MB/s)`,
    );
    await app.close();

    // restore into a folder that does not exist yet, through the command line
    const restored = join(work, 'restored', 'busy');
    const started = performance.now();
    const answer = await cli('restore', '--from', backup!.path, '--data-dir', restored, '--json');
    const restoreMs = performance.now() - started;
    expect(answer.code, answer.err + answer.out).toBe(0);
    const result = JSON.parse(answer.out) as { auditChain: { intact: boolean; reachesBackupHead: boolean }; jobs: { requeued: number[]; cancelled: number[] }; bytes: number };
    expect(result.auditChain).toEqual({ intact: true, reachesBackupHead: true });
    expect(result.jobs.cancelled).toEqual([backupJob.id]);
    expect(readdirSync(join(work, 'restored'))).toEqual(['busy']); // no temporary sibling left
    checkRestoredFolder(restored, source);
    expect(modes(restored)).toEqual([]);
    const verified = await cli('audit', 'verify', '--data-dir', restored);
    expect(verified.code, verified.out).toBe(0);

    const copy = await open(restored, { runJobs: false });
    const jobs = copy.store.jobs.list(undefined);
    expect(jobs.filter((j) => j.status === 'running')).toEqual([]);
    for (const id of mediaJobs) {
      const job = copy.store.jobs.get(id);
      // a job running when the database was copied is queued again; one whose commit made it into the copy is done
      expect(['queued', 'done']).toContain(job.status);
      if (job.status === 'queued') expect([job.message, job.messagePhrase]).toEqual(['Re-queued: restored from a backup', { key: 'jobs.progress.requeuedRestored' }]);
    }
    expect(result.jobs.requeued).toEqual(mediaJobs.filter((id) => copy.store.jobs.get(id).status === 'queued'));
    expect(copy.store.jobs.get(backupJob.id)).toMatchObject({ status: 'cancelled' });
    expect(copy.store.audit.list({ entity: 'database' })[0]).toMatchObject({ action: 'database.restore', after: { from: backup!.path, manifestSha256: (audited.after as { manifestSha256: string }).manifestSha256 } });
    // the restored folder works: its re-queued jobs run to the end
    copy.store.settings.update('test', { ffprobePath: null, backupFolder: null });
    copy.runner.start();
    await copy.runner.idle();
    expect(mediaJobs.map((id) => copy.store.jobs.get(id).status)).toEqual(mediaJobs.map(() => 'done'));
    await copy.close();

    const backupMs = Date.parse(done.finishedAt!) - Date.parse(done.startedAt!);
    console.log(
      `[backup bench] scheduled backup of ${(result.bytes / 1e6).toFixed(1)} MB (${manifest.files.length} files) with 5 jobs committing: ${backupMs} ms (${megabytesPerSecond(result.bytes, backupMs)} MB/s); ` +
        `walkscope restore (copy, verify, integrity check, open): ${restoreMs.toFixed(0)} ms (${megabytesPerSecond(result.bytes, restoreMs)} MB/s)`,
    );
  }, 180_000);
});

describe.runIf(requireTestdata())('a restore that must be refused', () => {
  let source: string;
  let backup: string;
  beforeAll(async () => {
    source = await seeded('small', [clips.intelEmptyRoom, clips.intelWorker15fps]);
    const app = await WalkScopeApp.open({ dataDir: source, transport: 'test', log: () => {}, runJobs: false, backupCheckMs: false });
    backup = join(work, 'small-backup');
    const started = performance.now();
    const written = await backupDataFolder(app.store, 'dr.b', backup, appVersion);
    const ms = performance.now() - started;
    console.log(`[backup bench] walkscope backup of ${(written.bytes / 1e6).toFixed(1)} MB (${written.manifest.files.length} files): ${ms.toFixed(0)} ms (${megabytesPerSecond(written.bytes, ms)} MB/s)`);
    await app.close();
  }, 60_000);

  it('refuses a folder that holds anything, in a sentence, and changes nothing', async () => {
    const parent = join(work, 'occupied-parent');
    const target = join(parent, 'data');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'notes.txt'), 'keep me');
    const reply = await refused(restoreBackup({ from: backup, dataDir: target, actor: 'dr.b' }));
    expect(reply.code).toBe('RESTORE_TARGET_NOT_EMPTY');
    expect(reply.message).toBe(`WalkScope restores only into an empty or new folder, and ${target} already holds files. Choose a new folder; nothing was changed.`);
    expect(readdirSync(target)).toEqual(['notes.txt']);
    expect(readdirSync(parent)).toEqual(['data']);
    const answer = await cli('restore', '--from', backup, '--data-dir', target);
    expect(answer.code).toBe(1);
    expect(answer.err).toContain('already holds files');
  });

  it('restores into an empty folder that exists', async () => {
    const target = join(work, 'empty-target');
    mkdirSync(target);
    const result = await restoreBackup({ from: backup, dataDir: target, actor: 'dr.b' });
    expect(result).toMatchObject({ dataDir: target, auditChain: { intact: true, reachesBackupHead: true }, schemaVersion: { backup: latestVersion, restored: latestVersion } });
    checkRestoredFolder(target, source);
  });

  it('refuses a backup with a changed file, naming it, and leaves nothing behind', async () => {
    const tampered = join(work, 'tampered-backup');
    cpSync(backup, tampered, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(tampered, 'manifest.json'), 'utf8')) as BackupManifest;
    const video = manifest.files.find((f) => f.path.startsWith('vault/videos/'))!;
    const bytes = readFileSync(join(tampered, video.path));
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(join(tampered, video.path), bytes);
    const parent = join(work, 'tampered-parent');
    const reply = await refused(restoreBackup({ from: tampered, dataDir: join(parent, 'data'), actor: 'dr.b' }));
    expect(reply.code).toBe('RESTORE_REFUSED');
    expect(reply.message).toBe(
      `The backup was not restored: a file of the backup is not as the manifest lists: ${video.path} does not match its SHA-256 in the manifest (changed or damaged). Nothing was written to the data folder.`,
    );
    expect(readdirSync(parent)).toEqual([]); // no data folder, no temporary sibling
  });

  it('refuses a backup with a missing file, or a damaged database, naming what is wrong', async () => {
    const missing = join(work, 'missing-backup');
    cpSync(backup, missing, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(missing, 'manifest.json'), 'utf8')) as BackupManifest;
    const thumbnailOrVideo = manifest.files.at(-1)!;
    rmSync(join(missing, thumbnailOrVideo.path));
    const target = join(work, 'missing-target');
    expect((await refused(restoreBackup({ from: missing, dataDir: target, actor: 'dr.b' }))).message).toContain(`${thumbnailOrVideo.path} is missing`);
    expect(existsSync(target)).toBe(false);

    // a database damaged before the manifest was written (its hash matches): SQLite's integrity check refuses it
    const damaged = join(work, 'damaged-backup');
    cpSync(backup, damaged, { recursive: true });
    const dbFile = join(damaged, 'walkscope.db');
    // the root page of a table that holds rows (where its page lies depends on the schema's migrations)
    const reader = new Database(dbFile, { readonly: true });
    const rootPage = (reader.prepare(`SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'`).get() as { rootpage: number }).rootpage;
    reader.close();
    const db = readFileSync(dbFile);
    const pageSize = db.readUInt16BE(16);
    db.fill(0x5a, pageSize * (rootPage - 1) + 8, pageSize * rootPage - 8); // inside a b-tree page, headers kept
    writeFileSync(dbFile, db);
    const entry = { ...manifest.files[0]!, sha256: sha256(dbFile), size: statSync(dbFile).size };
    writeFileSync(join(damaged, 'manifest.json'), JSON.stringify({ ...manifest, files: [entry, ...manifest.files.slice(1)] }));
    const reply = await refused(restoreBackup({ from: damaged, dataDir: join(work, 'damaged-target'), actor: 'dr.b' }));
    expect(reply.message).toMatch(/integrity check|malformed|not a database/);
    expect(existsSync(join(work, 'damaged-target'))).toBe(false);
  });

  it('refuses a backup made by a newer WalkScope, and a folder that is not a backup', async () => {
    const newer = join(work, 'newer-backup');
    cpSync(backup, newer, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(newer, 'manifest.json'), 'utf8')) as BackupManifest;
    writeFileSync(join(newer, 'manifest.json'), JSON.stringify({ ...manifest, schemaVersion: 99, appVersion: '9.0.0' }));
    expect((await refused(restoreBackup({ from: newer, dataDir: join(work, 'newer-target'), actor: 'dr.b' }))).message).toContain('made by a newer WalkScope (9.0.0, database schema 99');
    expect((await refused(restoreBackup({ from: source, dataDir: join(work, 'not-a-backup-target'), actor: 'dr.b' }))).message).toContain('has no valid manifest.json');
    expect(existsSync(join(work, 'newer-target'))).toBe(false);
  });
});

describe.runIf(requireTestdata())('scheduled backups', () => {
  it('are due every backupEveryHours, keep the newest backupKeep WalkScope backups and touch nothing else in the folder', async () => {
    const source = await seeded('scheduled', [clips.intelEmptyRoom]);
    const backups = join(work, 'scheduled-backups');
    mkdirSync(join(backups, 'hospital-notes'), { recursive: true });
    writeFileSync(join(backups, 'hospital-notes', 'manifest.json'), '{"not": "ours"}');
    let now = Date.parse('2026-03-01T08:00:00.000Z');
    const app = await open(source, { runJobs: false, clock: () => new Date(now).toISOString() });
    ok(await app.call('settings.update', { changes: { backupFolder: backups, backupEveryHours: 24, backupKeep: 2 } }));
    app.runner.start();
    const runs: number[] = [];
    for (let day = 0; day < 4; day++) {
      const job = app.queueBackupIfDue();
      expect(job, `day ${day}`).not.toBeNull();
      runs.push(job!.id);
      await app.runner.idle();
      expect(app.store.jobs.get(job!.id)).toMatchObject({ status: 'done' });
      now += 23 * 3_600_000;
      expect(app.queueBackupIfDue()).toBeNull(); // not due yet
      now += 3_600_000;
    }
    const kept = await listBackups(backups);
    expect(kept).toHaveLength(2);
    expect(kept.map((b) => b.path)).toEqual(runs.slice(2).reverse().map((id) => (app.store.jobs.get(id).result as { path: string }).path));
    expect(readdirSync(backups).sort()).toEqual([...kept.map((b) => relative(backups, b.path)), 'hospital-notes'].sort());
    const audited = app.store.audit.list({ entity: 'database' }).filter((e) => e.action === 'database.backup');
    expect(audited).toHaveLength(4);
    expect((audited[0]!.after as { removed?: string[] }).removed).toEqual([(app.store.jobs.get(runs[1]!).result as { path: string }).path]);
  }, 120_000);

  it('shows a failed scheduled backup in Jobs and as a warning, naming the missing vault file', async () => {
    const source = await seeded('failing', [clips.intelEmptyRoom]);
    const backups = join(work, 'failing-backups');
    const app = await open(source, { runJobs: false });
    ok(await app.call('settings.update', { changes: { backupFolder: backups } }));
    const video = app.store.db.prepare('SELECT vault_path AS vaultPath FROM videos LIMIT 1').get() as { vaultPath: string };
    rmSync(join(source, 'vault', video.vaultPath));
    const job = app.queueBackupIfDue()!;
    app.runner.start();
    await app.runner.idle();
    const failed = app.store.jobs.get(job.id);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'BACKUP_FAILED' } });
    expect(failed.error!.message).toContain(`the vault file ${video.vaultPath}, which the database refers to, is missing`);
    const info = ok<{ warnings: string[] }>(await app.call('app.info', {}));
    expect(info.warnings.some((w) => w.startsWith(`The last scheduled backup into ${backups} failed (job ${job.id}`))).toBe(true);
    expect(readdirSync(backups)).toEqual([]); // no half backup
  }, 60_000);

  it('refuses a backup folder that is relative or inside the data folder', async () => {
    const dataDir = join(work, 'settings-check');
    const app = await open(dataDir, { runJobs: false });
    const relativeFolder = await app.call('settings.update', { changes: { backupFolder: 'backups' } });
    expect(relativeFolder).toMatchObject({ ok: false, error: { code: 'SETTINGS_INVALID' } });
    const inside = await app.call('settings.update', { changes: { backupFolder: join(dataDir, 'backups') } });
    expect(inside).toMatchObject({ ok: false, error: { code: 'SETTINGS_INVALID', message: expect.stringContaining('inside the data folder') } });
  });
});
