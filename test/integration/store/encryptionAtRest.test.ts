import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src-main/cli/main.js';
import { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { backupDataFolder } from '../../../src-main/store/backup.js';
import { databaseKeyFileVariable, newDatabaseKey } from '../../../src-main/store/databaseKey.js';
import { restoreBackup } from '../../../src-main/store/restore.js';
import { appVersion } from '../../../src-main/runtime/appVersion.js';
import { ok } from '../../helpers/tempApp.js';

/**
 * The database encrypted at rest (SQLCipher 4's format through SQLite3 Multiple Ciphers), with the
 * key in a file outside the data folder: no patient's name is in the files on disk, a missing or
 * wrong key is a sentence and changes nothing, a plain database is encrypted in place by
 * `walkscope db encrypt`, and backups stay encrypted and restore with the key. The patient is
 * made up for the test.
 */
const secretName = 'Hanako Example-Secret';
const secretCode = 'ENC-7731';

let work: string;
const savedKeyFile = process.env[databaseKeyFileVariable];
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'walkscope-encrypted-'));
});
afterEach(() => {
  if (savedKeyFile === undefined) delete process.env[databaseKeyFileVariable];
  else process.env[databaseKeyFileVariable] = savedKeyFile;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
function keyFile(mode = 0o600, content = `${newDatabaseKey()}\n`): string {
  const dir = join(work, `keys-${++counter}`);
  mkdirSync(dir, { mode: 0o700 });
  const file = join(dir, 'walkscope.key');
  writeFileSync(file, content, { mode });
  chmodSync(file, mode);
  return file;
}

const open = (dataDir: string) => WalkScopeApp.open({ dataDir, transport: 'test', log: () => {}, backupCheckMs: false, runJobs: false });

/** Every byte WalkScope keeps of the database on disk: the file and its WAL and SHM files. */
function databaseBytes(dataDir: string): Buffer {
  return Buffer.concat(readdirSync(dataDir).filter((n) => n.startsWith('walkscope.db')).map((n) => readFileSync(join(dataDir, n))));
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the database encrypted at rest', () => {
  it('keeps no name, code or note readable on disk, and opens again with the key', async () => {
    process.env[databaseKeyFileVariable] = keyFile();
    const dataDir = join(work, 'fresh');
    const app = await open(dataDir);
    ok(await app.call('patients.create', { code: secretCode, name: secretName, notes: 'walks with a cane since 2019' }));
    const info = ok<{ databaseEncryption: { encrypted: boolean; keySource: string } }>(await app.call('app.info', {}));
    expect(info.databaseEncryption).toEqual({ encrypted: true, keySource: `${databaseKeyFileVariable}=${process.env[databaseKeyFileVariable]}` });
    // while it runs (the WAL holds the newest pages) and after it closes
    for (const bytes of [databaseBytes(dataDir)]) for (const secret of [secretName, secretCode, 'cane', 'patient.create', 'SQLite format 3']) expect(bytes.includes(secret), secret).toBe(false);
    await app.close();
    for (const secret of [secretName, secretCode, 'cane']) expect(databaseBytes(dataDir).includes(secret), secret).toBe(false);
    const again = await open(dataDir);
    expect(ok<Array<{ name: string }>>(await again.call('patients.list', {}))[0]!.name).toBe(secretName);
    expect(again.store.auditChain.intact).toBe(true);
    await again.close();
  });

  it('refuses to open without the key or with another one, in a sentence, and changes nothing', async () => {
    const right = keyFile();
    process.env[databaseKeyFileVariable] = right;
    const dataDir = join(work, 'refusals');
    const app = await open(dataDir);
    ok(await app.call('patients.create', { code: secretCode, name: secretName }));
    await app.close();
    const before = databaseBytes(dataDir);

    delete process.env[databaseKeyFileVariable];
    await expect(open(dataDir)).rejects.toMatchObject({ code: 'DATABASE_KEY_MISSING', message: 'The database walkscope.db is encrypted and no key was given. Set WALKSCOPE_DB_KEY_FILE to the key file it was encrypted with.' });
    process.env[databaseKeyFileVariable] = keyFile();
    await expect(open(dataDir)).rejects.toMatchObject({ code: 'DATABASE_KEY_WRONG' });
    expect(databaseBytes(dataDir).equals(before)).toBe(true);

    process.env[databaseKeyFileVariable] = right;
    const reopened = await open(dataDir);
    expect(ok<unknown[]>(await reopened.call('patients.list', {}))).toHaveLength(1);
    await reopened.close();
  });

  it('refuses a key kept inside the data folder, one other accounts can read, and one that is not a key', async () => {
    const dataDir = join(work, 'bad-keys');
    mkdirSync(dataDir, { mode: 0o700 });
    const inside = join(dataDir, 'walkscope.key');
    writeFileSync(inside, `${newDatabaseKey()}\n`, { mode: 0o600 });
    process.env[databaseKeyFileVariable] = inside;
    await expect(open(dataDir)).rejects.toMatchObject({ code: 'DATABASE_KEY_INVALID', message: expect.stringContaining('is inside the data folder') });
    process.env[databaseKeyFileVariable] = keyFile(0o644);
    await expect(open(dataDir)).rejects.toMatchObject({ code: 'DATABASE_KEY_INVALID', message: expect.stringContaining('can be read by other accounts (mode 644); make it 0600') });
    process.env[databaseKeyFileVariable] = keyFile(0o600, 'my password\n');
    await expect(open(dataDir)).rejects.toMatchObject({ code: 'DATABASE_KEY_INVALID', message: expect.stringContaining('must hold 64 hex characters') });
    process.env[databaseKeyFileVariable] = join(work, 'no-such.key');
    await expect(open(dataDir)).rejects.toMatchObject({ code: 'DATABASE_KEY_INVALID', message: expect.stringContaining('does not exist') });
    expect(existsSync(join(dataDir, 'walkscope.db'))).toBe(false);
  });

  it('encrypts a plain database in place with walkscope db encrypt; until then a key is refused', async () => {
    delete process.env[databaseKeyFileVariable];
    const dataDir = join(work, 'plain');
    const plain = await open(dataDir);
    ok(await plain.call('patients.create', { code: secretCode, name: secretName }));
    await plain.close();
    expect(databaseBytes(dataDir).includes(secretName)).toBe(true);

    const key = keyFile();
    process.env[databaseKeyFileVariable] = key;
    await expect(open(dataDir)).rejects.toMatchObject({ code: 'DATABASE_NOT_ENCRYPTED' });
    const encrypted = await cli(['db', 'encrypt', '--data-dir', dataDir]);
    expect(encrypted.code, encrypted.err).toBe(0);
    expect(encrypted.out).toMatch(new RegExp(`^Encrypted ${join(dataDir, 'walkscope.db').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(\\d+ pages\\) and 0 files of the vault \\(0\\.0 MB\\) in [\\d.]+ s with the key from ${databaseKeyFileVariable}=`));
    expect(databaseBytes(dataDir).includes(secretName)).toBe(false);
    const again = await cli(['db', 'encrypt', '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('is already encrypted, and so is every file of its vault');
    const info = await cli(['info', '--data-dir', dataDir]);
    expect(info.out).toContain(`Database at rest: encrypted (key from ${databaseKeyFileVariable}=${key})`);
    const app = await open(dataDir);
    expect(ok<Array<{ name: string }>>(await app.call('patients.list', {}))[0]!.name).toBe(secretName);
    expect(app.store.auditChain.intact).toBe(true);
    await app.close();
  });

  it('keeps backups encrypted with the same key; they restore with it and are refused without it', async () => {
    const key = keyFile();
    process.env[databaseKeyFileVariable] = key;
    const dataDir = join(work, 'backed-up');
    const app = await open(dataDir);
    ok(await app.call('patients.create', { code: secretCode, name: secretName }));
    const written = await backupDataFolder(app.store, 'test', join(work, 'backup-1'), appVersion);
    const copy = readFileSync(join(written.path, 'walkscope.db'));
    expect(copy.includes(secretName)).toBe(false);
    expect(copy.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    const single = await cli(['backup', '--database-only', '--out', join(work, 'single.db'), '--data-dir', dataDir]);
    expect(single.code, single.err).toBe(0);
    expect(readFileSync(join(work, 'single.db')).includes(secretName)).toBe(false);
    await app.close();

    delete process.env[databaseKeyFileVariable];
    await expect(restoreBackup({ from: written.path, dataDir: join(work, 'restored-without-key'), actor: 'test' })).rejects.toMatchObject({ code: 'DATABASE_KEY_MISSING' });
    expect(existsSync(join(work, 'restored-without-key')) ? readdirSync(join(work, 'restored-without-key')) : []).toEqual([]);
    process.env[databaseKeyFileVariable] = key;
    const restored = await restoreBackup({ from: written.path, dataDir: join(work, 'restored'), actor: 'test' });
    expect(restored.auditChain.intact).toBe(true);
    const reopened = await open(join(work, 'restored'));
    expect(ok<Array<{ name: string }>>(await reopened.call('patients.list', {}))[0]!.name).toBe(secretName);
    await reopened.close();
  });

  it('a scheduled backup, made by a job worker with its own connection, is encrypted too', async () => {
    process.env[databaseKeyFileVariable] = keyFile();
    const dataDir = join(work, 'scheduled');
    const backups = join(work, 'scheduled-backups');
    const app = await open(dataDir);
    ok(await app.call('patients.create', { code: secretCode, name: secretName }));
    ok(await app.call('settings.update', { changes: { backupFolder: backups, backupEveryHours: 24, backupKeep: 2 } }));
    app.runner.start();
    const job = app.queueBackupIfDue();
    expect(job).not.toBeNull();
    await app.runner.idle();
    expect(app.store.jobs.get(job!.id)).toMatchObject({ status: 'done' });
    const path = (app.store.jobs.get(job!.id).result as { path: string }).path;
    expect(readFileSync(join(path, 'walkscope.db')).includes(secretName)).toBe(false);
    await app.close();
  });
});
