import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/main.js';
import { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { backupDatabase } from '../../../src-main/store/backup.js';
import { dataFolderPermissionProblems } from '../../../src-main/store/dataDir.js';
import { banners, writeFakeFfmpeg } from '../../helpers/media/fakeFfmpeg.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;
const root = mkdtempSync(join(tmpdir(), 'walkscope-perm-'));
let savedUmask = 0;
let savedPath: string | undefined;
beforeAll(() => {
  // the usual umask of a shared workstation: without explicit modes, files come out 0644
  savedUmask = process.umask(0o022);
  // a current ffmpeg on the PATH, so the only warnings left are about permissions
  savedPath = process.env.PATH;
  const tools = join(root, 'tools');
  writeFakeFfmpeg(tools, 'ffmpeg', banners.release611);
  writeFakeFfmpeg(tools, 'ffprobe', banners.release611);
  process.env.PATH = `${tools}:${savedPath ?? ''}`;
});
afterAll(() => {
  process.umask(savedUmask);
  process.env.PATH = savedPath;
  rmSync(root, { recursive: true, force: true });
});

async function cli(dataDir: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--data-dir', dataDir], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe.skipIf(process.platform === 'win32')('data folder permissions', () => {
  it('creates a fresh data folder 0700 and its files 0600: database, WAL/SHM, vault files, thumbnails, backups', async () => {
    const dataDir = join(root, 'fresh', 'WalkScope');
    const app = await WalkScopeApp.open({ dataDir, transport: 'test', log: () => {}, runJobs: false });
    try {
      const db = join(dataDir, 'walkscope.db');
      expect(modeOf(join(root, 'fresh'))).toBe(0o700);
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(db)).toBe(0o600);
      expect(modeOf(`${db}-wal`)).toBe(0o600);
      expect(modeOf(`${db}-shm`)).toBe(0o600);
      for (const folder of ['vault', 'vault/videos', 'vault/thumbnails', 'vault/models', 'vault/tmp', 'uploads', 'instances']) expect(modeOf(join(dataDir, folder)), folder).toBe(0o700);

      const source = join(root, 'walk.mp4');
      writeFileSync(source, 'not really a video, the vault does not care');
      const stored = await app.store.vault.ingest(source);
      expect(modeOf(app.store.vault.absolute(stored.vaultPath))).toBe(0o600);
      expect(modeOf(join(app.store.vault.absolute(stored.vaultPath), '..'))).toBe(0o700);

      // what ffmpeg writes (a thumbnail) has the umask's mode until the vault adopts it
      const thumbnail = app.store.vault.tempPath('.jpg');
      writeFileSync(thumbnail, 'jpeg', { mode: 0o644 });
      await app.store.vault.adopt(thumbnail, 'thumbnails/ab/thumb.jpg');
      expect(modeOf(app.store.vault.absolute('thumbnails/ab/thumb.jpg'))).toBe(0o600);
      expect(modeOf(app.store.vault.absolute('thumbnails/ab'))).toBe(0o700);

      const backup = join(root, 'backup.db');
      await backupDatabase(app.store, 'test', backup);
      expect(modeOf(backup)).toBe(0o600);
      expect(dataFolderPermissionProblems(dataDir)).toEqual([]);
      expect((await app.call('app.info', {})) as { value: { warnings: string[] } }).toMatchObject({ ok: true, value: { warnings: [] } });
    } finally {
      await app.close();
    }
  });

  it('warns about a data folder made 0755 with a 0644 database, without changing it; walkscope doctor --fix-permissions fixes it', async () => {
    const dataDir = join(root, 'shared');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const first = await WalkScopeApp.open({ dataDir, transport: 'test', log: () => {}, runJobs: false });
    await first.close();
    chmodSync(join(dataDir, 'walkscope.db'), 0o644);

    const logged: string[] = [];
    const app = await WalkScopeApp.open({ dataDir, transport: 'test', log: (m) => logged.push(m), runJobs: false });
    // SQLite gives the WAL and SHM files the database file's mode: the folder, the database, -shm and -wal
    const sentence = `The data folder ${dataDir} can be read by other accounts on this computer (4 entries, e.g. . 0755, walkscope.db 0644, walkscope.db-shm 0644); run walkscope doctor --fix-permissions to make it private (folders 0700, files 0600).`;
    try {
      expect(logged).toEqual([`warning: ${sentence}`]);
      expect(await app.call('app.info', {})).toMatchObject({
        ok: true,
        value: {
          warnings: [sentence],
          warningPhrases: [{ key: 'settings.warnings.dataFolderReadable', vars: { folder: dataDir, count: 4, examples: '. 0755, walkscope.db 0644, walkscope.db-shm 0644', command: 'walkscope doctor --fix-permissions' } }],
        },
      });
    } finally {
      await app.close();
    }
    const info = await cli(dataDir, 'info');
    expect(info.out).toContain(`Warning: ${sentence}`);
    // nothing was changed behind the user's back
    expect(modeOf(dataDir)).toBe(0o755);
    expect(modeOf(join(dataDir, 'walkscope.db'))).toBe(0o644);

    const check = await cli(dataDir, 'doctor');
    expect(check.code).toBe(1);
    expect(check.out).toBe(`Warning: ${sentence}`);
    const fixed = await cli(dataDir, 'doctor', '--fix-permissions');
    expect(fixed.out).toBe(`Made 4 entries of ${dataDir} private (folders 0700, files 0600).\nNo problems found.`);
    expect(fixed.code).toBe(0);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, 'walkscope.db'))).toBe(0o600);
    expect(existsSync(join(dataDir, 'walkscope.db-wal'))).toBe(false);
    expect((await cli(dataDir, 'info')).out).not.toContain('Warning');
  });
});
