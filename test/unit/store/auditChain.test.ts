import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '../../../src-main/store/database.js';
import { migrations } from '../../../src-main/store/migrations/index.js';
import { AuditLog } from '../../../src-main/store/auditLog.js';
import { auditGenesis, auditRowHash } from '../../../src-main/store/auditChain.js';

const fixedClock = () => '2026-01-01T00:00:00.000Z';

/** A log of five entries, written as WalkScope writes them. */
function fiveEntries(): { db: Db; audit: AuditLog } {
  const db = openDatabase(':memory:');
  const audit = new AuditLog(db, fixedClock);
  for (let i = 1; i <= 5; i++) audit.record('dr.a', i === 1 ? 'patient.create' : 'patient.update', 'patient', 1, i === 1 ? null : { notes: `v${i - 1}` }, { notes: `v${i}` });
  return { db, audit };
}

const dropGuards = (db: Db) => db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');

describe("the audit log's hash chain", () => {
  it('chains every row to the one before it, from the genesis value, and a fresh log verifies', () => {
    const { db, audit } = fiveEntries();
    const rows = db.prepare('SELECT id, prev_hash, hash FROM audit_log ORDER BY id').all() as Array<{ id: number; prev_hash: string; hash: string }>;
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prev_hash).toBe(auditGenesis);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(rows[0]!.hash).toBe(
      auditRowHash({ id: 1, at: fixedClock(), actor: 'dr.a', action: 'patient.create', entity: 'patient', entityId: '1', beforeJson: 'null', afterJson: '{"notes":"v1"}' }, auditGenesis) // record() stores null as the text null,
    );
    const state = audit.verifyChain();
    expect(state).toMatchObject({ intact: true, rows: 5, problems: [], problemCount: 0, head: { id: 5, hash: rows[4]!.hash }, chainStarted: null });
    db.close();
  });

  it('an empty log verifies', () => {
    const db = openDatabase(':memory:');
    expect(new AuditLog(db, fixedClock).verifyChain()).toMatchObject({ intact: true, rows: 0, head: null });
    db.close();
  });

  it('names the row whose content was changed with the triggers dropped', () => {
    const { db, audit } = fiveEntries();
    dropGuards(db);
    db.prepare(`UPDATE audit_log SET after_json = '{"notes":"forged"}' WHERE id = 3`).run();
    const state = audit.verifyChain();
    expect(state.intact).toBe(false);
    expect(state.problems).toEqual([{ id: 3, at: fixedClock(), action: 'patient.update', kind: 'content-changed', detail: 'its content no longer matches its hash (changed after it was written)' }]);
    db.close();
  });

  it('finds a changed row whose hash was recomputed: the next row is no longer chained to it', () => {
    const { db, audit } = fiveEntries();
    dropGuards(db);
    const row = db.prepare('SELECT prev_hash FROM audit_log WHERE id = 2').get() as { prev_hash: string };
    const forged = auditRowHash({ id: 2, at: fixedClock(), actor: 'dr.a', action: 'patient.update', entity: 'patient', entityId: '1', beforeJson: '{"notes":"v1"}', afterJson: '{"notes":"forged"}' }, row.prev_hash);
    db.prepare(`UPDATE audit_log SET after_json = '{"notes":"forged"}', hash = ? WHERE id = 2`).run(forged);
    expect(audit.verifyChain().problems).toMatchObject([{ id: 3, kind: 'order-broken', detail: 'it is not chained to row 2: that row was replaced, or rows were reordered' }]);
    db.close();
  });

  it('finds a deleted row, and deleted first rows', () => {
    const { db, audit } = fiveEntries();
    dropGuards(db);
    db.prepare('DELETE FROM audit_log WHERE id = 3').run();
    expect(audit.verifyChain().problems).toMatchObject([{ id: 4, kind: 'row-missing', detail: 'row 3 before it is missing (deleted)' }]);
    db.prepare('DELETE FROM audit_log WHERE id <= 2').run();
    expect(audit.verifyChain().problems).toMatchObject([{ id: 4, kind: 'row-missing', detail: 'rows 1 to 3 before it are missing (deleted)' }]);
    db.close();
  });

  it('finds rows swapped (ids exchanged) and a row added without a hash', () => {
    const { db, audit } = fiveEntries();
    dropGuards(db);
    db.exec('UPDATE audit_log SET id = 100 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 3; UPDATE audit_log SET id = 3 WHERE id = 100;');
    const swapped = audit.verifyChain();
    expect(swapped.problems[0]).toMatchObject({ id: 2, kind: 'content-changed' }); // the id is part of the content
    db.exec(`INSERT INTO audit_log (at, actor, action, entity, entity_id) VALUES ('2026-01-02T00:00:00.000Z', 'x', 'patient.update', 'patient', '1')`);
    expect(audit.verifyChain().problems.at(-1)).toMatchObject({ id: 6, kind: 'not-hashed' });
    db.close();
  });

  it('hashes the rows written before the chain existed, once, and says so', () => {
    // a database as version 7 left it: rows without hashes
    const old = new Database(':memory:');
    migrate(old, migrations.filter((m) => m.version <= 7));
    for (let i = 1; i <= 3; i++) old.prepare(`INSERT INTO audit_log (at, actor, action, entity, entity_id, after_json) VALUES (?, 'dr.a', 'patient.create', 'patient', ?, '{}')`).run(`2025-0${i}-01T00:00:00.000Z`, String(i));
    migrate(old, migrations);
    const audit = new AuditLog(old, fixedClock);
    const state = audit.openChain();
    expect(state).toMatchObject({ intact: true, rows: 4, chainStarted: { at: fixedClock(), rowsHashed: 3, lastRowHashed: 3 } });
    expect(audit.list({ limit: 1 })[0]).toMatchObject({ id: 4, actor: 'walkscope', action: 'audit.chainStart', after: { rowsHashed: 3, lastRowHashed: 3, note: 'rows before the chain existed were hashed when it was introduced' } });
    // the triggers are back after the hashing, and a second open hashes nothing
    expect(() => old.prepare(`UPDATE audit_log SET actor = 'x'`).run()).toThrow(/append-only/);
    expect(audit.openChain()).toMatchObject({ intact: true, rows: 4 });
    // a row without a hash later is a break, never hashed over
    old.exec('DROP TRIGGER audit_log_no_update');
    old.exec('UPDATE audit_log SET hash = NULL WHERE id = 2');
    expect(new AuditLog(old, fixedClock).openChain().problems[0]).toMatchObject({ id: 2, kind: 'not-hashed' });
    old.close();
  });
});

