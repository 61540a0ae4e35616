import type { Patient, PatientFields } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import type { Db } from './database.js';
import type { Clock } from './clock.js';
import type { AuditLog } from './auditLog.js';

interface PatientRow {
  id: number;
  code: string;
  name: string | null;
  sex: Patient['sex'];
  birth_year: number | null;
  diagnosis: Patient['diagnosis'];
  notes: string;
  created_at: string;
  updated_at: string;
  video_count: number;
}

function toPatient(row: PatientRow): Patient {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    sex: row.sex,
    birthYear: row.birth_year,
    diagnosis: row.diagnosis,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    videoCount: row.video_count,
  };
}

const selectPatient = `
  SELECT p.*, (SELECT COUNT(*) FROM videos v WHERE v.patient_id = p.id AND v.kind = 'original') AS video_count
  FROM patients p`;

/** Escapes LIKE wildcards so a search for "50%" finds that text, not everything. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class PatientsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  list(search = '', limit = 200): Patient[] {
    const rows = this.db
      .prepare(
        `${selectPatient}
         WHERE @q = '' OR p.code LIKE @like ESCAPE '\\' OR IFNULL(p.name, '') LIKE @like ESCAPE '\\' OR p.diagnosis LIKE @like ESCAPE '\\'
         ORDER BY p.code COLLATE NOCASE LIMIT @limit`,
      )
      .all({ q: search.trim(), like: likePattern(search.trim()), limit }) as PatientRow[];
    return rows.map(toPatient);
  }

  findByCode(code: string): Patient | undefined {
    const row = this.db.prepare(`${selectPatient} WHERE p.code = ?`).get(code) as PatientRow | undefined;
    return row ? toPatient(row) : undefined;
  }

  getByCode(code: string): Patient {
    const patient = this.findByCode(code);
    if (!patient) throw new AppError('PATIENT_NOT_FOUND', code);
    return patient;
  }

  getById(id: number): Patient {
    const row = this.db.prepare(`${selectPatient} WHERE p.id = ?`).get(id) as PatientRow | undefined;
    if (!row) throw new AppError('PATIENT_NOT_FOUND', `#${id}`);
    return toPatient(row);
  }

  create(actor: string, code: string, fields: Partial<PatientFields>): Patient {
    return this.db.transaction(() => {
      if (this.findByCode(code)) throw new AppError('PATIENT_CODE_TAKEN', code);
      const now = this.clock();
      const info = this.db
        .prepare(
          `INSERT INTO patients (code, name, sex, birth_year, diagnosis, notes, created_at, updated_at)
           VALUES (@code, @name, @sex, @birthYear, @diagnosis, @notes, @now, @now)`,
        )
        .run({
          code,
          name: fields.name ?? null,
          sex: fields.sex ?? 'unknown',
          birthYear: fields.birthYear ?? null,
          diagnosis: fields.diagnosis ?? 'unknown',
          notes: fields.notes ?? '',
          now,
        });
      const created = this.getById(Number(info.lastInsertRowid));
      this.audit.record(actor, 'patient.create', 'patient', created.id, null, created);
      return created;
    })();
  }

  update(actor: string, code: string, changes: Partial<PatientFields>): Patient {
    return this.db.transaction(() => {
      const before = this.getByCode(code);
      const next = {
        name: changes.name === undefined ? before.name : changes.name,
        sex: changes.sex ?? before.sex,
        birthYear: changes.birthYear === undefined ? before.birthYear : changes.birthYear,
        diagnosis: changes.diagnosis ?? before.diagnosis,
        notes: changes.notes ?? before.notes,
      };
      this.db
        .prepare(
          `UPDATE patients SET name = @name, sex = @sex, birth_year = @birthYear, diagnosis = @diagnosis, notes = @notes,
           updated_at = @now WHERE id = @id`,
        )
        .run({ ...next, now: this.clock(), id: before.id });
      const after = this.getById(before.id);
      this.audit.record(actor, 'patient.update', 'patient', before.id, before, after);
      return after;
    })();
  }
}
