import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from '../../../src-main/store/database.js';
import { migrations } from '../../../src-main/store/migrations/index.js';
import { AuditLog } from '../../../src-main/store/auditLog.js';
import { PatientsRepo } from '../../../src-main/store/patientsRepo.js';

const fixedClock = () => '2026-01-01T00:00:00.000Z';

describe('the SQLite store', () => {
  it('runs migrations once and records the version', () => {
    const db = openDatabase(':memory:');
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    migrate(db, migrations); // a second run changes nothing
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('applies later migrations in order, each atomically', () => {
    const db = openDatabase(':memory:');
    const base = schemaVersion(db);
    const broken = { version: base + 1, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); THIS IS NOT SQL;' };
    expect(() => migrate(db, [...migrations, broken])).toThrow();
    expect(schemaVersion(db)).toBe(base);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined();
    db.close();
  });

  it('refuses a database written by a newer WalkScope', () => {
    const db = openDatabase(':memory:');
    db.pragma('user_version = 999');
    expect(() => migrate(db, migrations)).toThrow(/newer WalkScope/);
    db.close();
  });

  it('keeps the audit log append-only', () => {
    const db = openDatabase(':memory:');
    const audit = new AuditLog(db, fixedClock);
    const patients = new PatientsRepo(db, fixedClock, audit);
    patients.create('dr.a', 'P1', { diagnosis: 'ASD' });
    patients.update('dr.b', 'P1', { diagnosis: 'LCS', notes: 'revised' });
    const entries = audit.list({ entity: 'patient' });
    expect(entries.map((e) => [e.actor, e.action])).toEqual([
      ['dr.b', 'patient.update'],
      ['dr.a', 'patient.create'],
    ]);
    expect(entries[0]!.before).toMatchObject({ diagnosis: 'ASD' });
    expect(entries[0]!.after).toMatchObject({ diagnosis: 'LCS', notes: 'revised' });
    expect(() => db.prepare('UPDATE audit_log SET actor = ?').run('someone')).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
  });

  it('writes a change and its audit entry together or not at all', () => {
    const db = openDatabase(':memory:');
    const audit = new AuditLog(db, fixedClock);
    const patients = new PatientsRepo(db, fixedClock, audit);
    patients.create('dr.a', 'P1', {});
    expect(() => patients.create('dr.a', 'p1', {})).toThrow(/already exists/); // codes are case-insensitive
    db.exec(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log WHEN NEW.action = 'patient.update' BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
    expect(() => patients.update('dr.a', 'P1', { notes: 'lost?' })).toThrow(/disk full/);
    expect(patients.getByCode('P1').notes).toBe('');
    db.close();
  });

  it('searches codes and names with wildcards taken literally', () => {
    const db = openDatabase(':memory:');
    const audit = new AuditLog(db, fixedClock);
    const patients = new PatientsRepo(db, fixedClock, audit);
    patients.create('a', 'P_1', { name: 'Ann 100%' });
    patients.create('a', 'PX1', { name: 'Bob' });
    expect(patients.list('P_').map((p) => p.code)).toEqual(['P_1']);
    expect(patients.list('100%').map((p) => p.code)).toEqual(['P_1']);
    expect(patients.list('bob').map((p) => p.code)).toEqual(['PX1']);
    expect(patients.list('').length).toBe(2);
    db.close();
  });
});
