import type { Migration } from './migration.js';

/**
 * The diagnosis "not ASD (control)": a patient recruited as a control, beside the other
 * disorders. The patients table's CHECK constraint names the allowed diagnoses, and SQLite
 * cannot change a CHECK in place, so the table is rebuilt with every row and id kept.
 */
export const m010ControlDiagnosis: Migration = {
  version: 10,
  name: 'control diagnosis',
  rebuildsTables: true,
  sql: `
    CREATE TABLE patients_new (
      id INTEGER PRIMARY KEY,
      code TEXT NOT NULL UNIQUE COLLATE NOCASE,
      name TEXT,
      sex TEXT NOT NULL DEFAULT 'unknown' CHECK (sex IN ('female','male','other','unknown')),
      birth_year INTEGER,
      diagnosis TEXT NOT NULL DEFAULT 'unknown' CHECK (diagnosis IN ('ASD','DHS','LCS','HipOA','other','control','unknown')),
      notes TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    INSERT INTO patients_new (id, code, name, sex, birth_year, diagnosis, notes, created_at, updated_at)
      SELECT id, code, name, sex, birth_year, diagnosis, notes, created_at, updated_at FROM patients;
    DROP TABLE patients;
    ALTER TABLE patients_new RENAME TO patients;
  `,
};
