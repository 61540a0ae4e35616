import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from '../../../src-main/store/database.js';
import { migrations } from '../../../src-main/store/migrations/index.js';
import { screeningClassOf } from '../../../src-main/contract/screening.js';

/**
 * Migration 10 rebuilds the patients table so its CHECK allows the diagnosis `control`. The
 * patients here are made up for the test (codes P1, P2), on a real SQLite file.
 */
describe('the control diagnosis (migration 10)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function databaseAtVersion9(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ws-control-'));
    dirs.push(dir);
    const file = join(dir, 'walkscope.db');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.filter((m) => m.version <= 9));
    const now = '2026-12-02T10:00:00.000Z';
    db.prepare(`INSERT INTO patients (id, code, name, sex, birth_year, diagnosis, notes, created_at, updated_at) VALUES (7, 'P1', 'Test One', 'female', 1950, 'LCS', 'a note', ?, ?)`).run(now, now);
    db.prepare(`INSERT INTO patients (id, code, diagnosis, created_at, updated_at) VALUES (9, 'P2', 'ASD', ?, ?)`).run(now, now);
    db.prepare(`INSERT INTO videos (id, patient_id, sha256, vault_path, original_name, size_bytes, probe_json, imported_at) VALUES (3, 7, 'ab', 'videos/ab.mp4', 'walk.mp4', 10, '{}', ?)`).run(now);
    expect(() => db.prepare(`UPDATE patients SET diagnosis = 'control' WHERE id = 7`).run()).toThrow(/CHECK constraint/);
    db.close();
    return file;
  }

  it('keeps every patient, id and video, and then accepts control', () => {
    const file = databaseAtVersion9();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(10);
    expect(db.prepare('SELECT id, code, name, sex, birth_year, diagnosis, notes FROM patients ORDER BY id').all()).toEqual([
      { id: 7, code: 'P1', name: 'Test One', sex: 'female', birth_year: 1950, diagnosis: 'LCS', notes: 'a note' },
      { id: 9, code: 'P2', name: null, sex: 'unknown', birth_year: null, diagnosis: 'ASD', notes: '' },
    ]);
    db.prepare(`UPDATE patients SET diagnosis = 'control' WHERE id = 7`).run();
    expect(db.prepare('SELECT diagnosis FROM patients WHERE id = 7').get()).toEqual({ diagnosis: 'control' });
    expect(() => db.prepare(`UPDATE patients SET diagnosis = 'healthy' WHERE id = 7`).run()).toThrow(/CHECK constraint/);
    db.close();
  });

  it('leaves foreign keys on and still enforced on the rebuilt table, with nothing dangling', () => {
    const db = openDatabase(databaseAtVersion9());
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(() => db.prepare('DELETE FROM patients WHERE id = 7').run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`INSERT INTO videos (patient_id, sha256, vault_path, original_name, size_bytes, probe_json, imported_at) VALUES (99, 'cd', 'v', 'x.mp4', 1, '{}', 'now')`).run()).toThrow(/FOREIGN KEY/);
    // the code stays unique without regard to case
    expect(() => db.prepare(`INSERT INTO patients (code, created_at, updated_at) VALUES ('p1', 'now', 'now')`).run()).toThrow(/UNIQUE/);
    db.close();
  });

  it('refuses a rebuild that would leave rows pointing at nothing, and changes nothing', () => {
    const db = openDatabase(':memory:');
    const base = schemaVersion(db);
    db.prepare(`INSERT INTO patients (id, code, created_at, updated_at) VALUES (1, 'P1', 'now', 'now')`).run();
    db.prepare(`INSERT INTO videos (patient_id, sha256, vault_path, original_name, size_bytes, probe_json, imported_at) VALUES (1, 'ab', 'v', 'x.mp4', 1, '{}', 'now')`).run();
    const losing = { version: base + 1, name: 'loses patients', rebuildsTables: true, sql: 'CREATE TABLE p2 (id INTEGER PRIMARY KEY, code TEXT, created_at TEXT, updated_at TEXT); DROP TABLE patients; ALTER TABLE p2 RENAME TO patients;' };
    expect(() => migrate(db, [...migrations, losing])).toThrow(/migration \d+ \(loses patients\) would leave 1 rows pointing at nothing/);
    expect(schemaVersion(db)).toBe(base);
    expect(db.prepare('SELECT code FROM patients').all()).toEqual([{ code: 'P1' }]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('counts control as not ASD in the screening cohort, as the other disorders', () => {
    expect(screeningClassOf('control')).toBe(0);
    expect(screeningClassOf('DHS')).toBe(0);
    expect(screeningClassOf('ASD')).toBe(1);
    expect(screeningClassOf('unknown')).toBeNull();
  });
});
