import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src-main/store/store.js';
import { backupDatabase } from '../../../src-main/store/backup.js';

/** The audit log on a data folder, across restarts: someone edits walkscope.db with the sqlite3 shell between two opens. */
describe('the audit trail across restarts', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'walkscope-audit-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const tamper = (sql: string) => {
    const db = new Database(join(dataDir, 'walkscope.db'));
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.exec(sql);
    db.close();
  };
  const triggers = (store: Store) => (store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);

  it('re-creates dropped triggers at the next start, records that, and finds the row changed meanwhile', async () => {
    let store = await Store.open({ dataDir });
    store.patients.create('dr.a', 'P1', { diagnosis: 'ASD' });
    store.patients.update('dr.a', 'P1', { diagnosis: 'LCS' });
    store.patients.create('dr.a', 'P2', {});
    store.close();

    tamper(`UPDATE audit_log SET after_json = replace(after_json, 'LCS', 'ASD') WHERE id = 2`);

    store = await Store.open({ dataDir }); // opens: the data stays reachable
    expect(triggers(store)).toEqual(['audit_log_no_delete', 'audit_log_no_update']);
    expect(() => store.db.prepare(`UPDATE audit_log SET actor = 'x'`).run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(store.auditChain).toMatchObject({ intact: false, problemCount: 1, problems: [{ id: 2, action: 'patient.update', kind: 'content-changed' }] });
    const recorded = store.audit.list({ entity: 'audit' }).map((e) => [e.action, e.after]);
    expect(recorded).toEqual([
      ['audit.chainBroken', { firstBrokenRow: 2, kind: 'content-changed', problems: 1 }],
      ['audit.guardsRestored', { triggers: ['audit_log_no_update', 'audit_log_no_delete'] }],
    ]);
    expect(store.patients.getByCode('P1').diagnosis).toBe('LCS');
    store.close();

    // the next start finds the same break and does not record it again
    store = await Store.open({ dataDir });
    expect(store.auditChain.problems[0]).toMatchObject({ id: 2 });
    expect(store.audit.list({ entity: 'audit' })).toHaveLength(2);
    store.close();
  });

  it('finds a row deleted between two starts', async () => {
    let store = await Store.open({ dataDir });
    for (const code of ['P1', 'P2', 'P3']) store.patients.create('dr.a', code, {});
    store.close();
    tamper('DELETE FROM audit_log WHERE id = 2');
    store = await Store.open({ dataDir });
    expect(store.auditChain.problems).toMatchObject([{ id: 3, kind: 'row-missing', detail: 'row 2 before it is missing (deleted)' }]);
    store.close();
  });

  it('audits a backup with its target, after the copy is written', async () => {
    const store = await Store.open({ dataDir });
    const target = join(dataDir, 'copy.db');
    await backupDatabase(store, 'dr.b', target);
    expect(store.audit.list({ entity: 'database' })).toMatchObject([{ actor: 'dr.b', action: 'database.backup', entityId: 'walkscope.db', after: { target } }]);
    expect(store.audit.verifyChain().intact).toBe(true);
    store.close();
  });
});
