import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/main.js';

/** `walkscope audit verify`, `walkscope info` and the audited backup, on a data folder someone then edits with the triggers dropped. */
describe('walkscope audit verify', () => {
  let dir: string;
  let data: string;
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli([...args, '--data-dir', data], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'walkscope-cli-audit-'));
    data = join(dir, 'data');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says an untouched chain is intact, with its head, and exits 0; the backup is in the log', async () => {
    await run('patients', 'create', 'A-1', '--diagnosis', 'LCS');
    await run('patients', 'update', 'A-1', '--diagnosis', 'ASD');
    expect((await run('backup', '--out', join(dir, 'copy.db'))).code).toBe(0);
    const verified = await run('audit', 'verify');
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/^The audit log's hash chain is intact: 3 entries, rows 1 to 3\.\nHead: row 3, [0-9a-f]{64}\./);
    const entries = JSON.parse((await run('audit', '--json')).out) as Array<{ action: string; after: { target?: string } }>;
    expect(entries[0]).toMatchObject({ action: 'database.backup', after: { target: join(dir, 'copy.db') } });
    expect((await run('info')).out).toMatch(/Audit log: 3 entries, hash chain intact/);
  });

  it('names the first changed row and what is wrong, exits 1, and every command warns', async () => {
    const db = new Database(join(data, 'walkscope.db'));
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.exec(`UPDATE audit_log SET after_json = replace(after_json, '"LCS"', '"ASD"') WHERE action = 'patient.create'`);
    db.exec(`DELETE FROM audit_log WHERE action = 'patient.update'`);
    db.close();

    const verified = await run('audit', 'verify');
    expect(verified.code).toBe(1);
    const lines = verified.out.split('\n');
    expect(lines[0]).toBe("The audit log's hash chain is BROKEN: 2 problems in 4 entries.");
    expect(lines[1]).toMatch(/^First broken row: row 1 \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d, patient\.create\): content changed: its content no longer matches its hash \(changed after it was written\)$/);
    expect(lines[3]).toMatch(/^ {2}row 3 \(.*, database\.backup\): row missing: row 2 before it is missing \(deleted\)$/);
    expect(verified.err).toContain("Warning: the audit log's hash chain is broken (2 problems), first at row 1. Run walkscope audit verify.");

    const json = JSON.parse((await run('audit', 'verify', '--json')).out) as { intact: boolean; problems: Array<{ id: number; kind: string }> };
    expect(json).toMatchObject({ intact: false, problems: [{ id: 1, kind: 'content-changed' }, { id: 3, kind: 'row-missing' }] });
    const info = await run('info');
    expect(info.code).toBe(0); // WalkScope keeps working
    expect(info.out).toMatch(/Audit log: hash chain BROKEN \(2 problems\), first at row 1 \(.*patient\.create\): content changed/);
  });
});
