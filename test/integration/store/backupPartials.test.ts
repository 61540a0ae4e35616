import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { appVersion } from '../../../src-main/runtime/appVersion.js';
import { backupDataFolder, sweepAbandonedPartials } from '../../../src-main/store/backup.js';
import { Store } from '../../../src-main/store/store.js';

/**
 * A backup cut short by a crash leaves its `.partial` folder (a copy of the database: patient
 * data). The next backup into the same folder removes those whose writer is dead on this machine,
 * and only those: not one a live process is writing, not another machine's, not anything else.
 */
const work = mkdtempSync(join(tmpdir(), 'walkscope-partials-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('partial backups left by a crash', () => {
  it('are removed by the next backup into the folder when their writer is dead; the rest stay', async () => {
    const folder = join(work, 'backups');
    mkdirSync(folder);
    const host = encodeURIComponent(hostname());
    const dead = `.walkscope-backup-20261201-020000Z.partial-${await deadPid()}@${host}-0badc0de`;
    const live = `.walkscope-backup-20261201-030000Z.partial-${process.pid}@${host}-00c0ffee`;
    const elsewhere = `.walkscope-backup-20261201-040000Z.partial-12345@another-workstation-deadbeef`;
    for (const name of [dead, live, elsewhere, '.not-a-backup']) {
      mkdirSync(join(folder, name));
      writeFileSync(join(folder, name, 'walkscope.db'), 'half a copy');
    }
    const store = await Store.open({ dataDir: join(work, 'data'), databaseKey: null });
    try {
      const written = await backupDataFolder(store, 'test', join(folder, 'walkscope-backup-now'), appVersion);
      expect(existsSync(join(written.path, 'manifest.json'))).toBe(true);
    } finally {
      store.close();
    }
    expect(readdirSync(folder).sort()).toEqual([live, elsewhere, '.not-a-backup', 'walkscope-backup-now'].sort());
    expect(await sweepAbandonedPartials(folder)).toEqual([]);
    expect(await sweepAbandonedPartials(join(work, 'no-such-folder'))).toEqual([]);
  });
});
