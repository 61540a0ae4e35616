import type { Migration } from './migration.js';

/** Patients, videos, analyses, readers, assessments, studies, model bundles, jobs, settings, audit log. */
export const m001Foundation: Migration = {
  version: 1,
  name: 'foundation',
  sql: `
    CREATE TABLE patients (
      id INTEGER PRIMARY KEY,
      code TEXT NOT NULL UNIQUE COLLATE NOCASE,
      name TEXT,
      sex TEXT NOT NULL DEFAULT 'unknown' CHECK (sex IN ('female','male','other','unknown')),
      birth_year INTEGER,
      diagnosis TEXT NOT NULL DEFAULT 'unknown' CHECK (diagnosis IN ('ASD','DHS','LCS','HipOA','other','unknown')),
      notes TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    CREATE TABLE videos (
      id INTEGER PRIMARY KEY,
      patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE RESTRICT,
      kind TEXT NOT NULL DEFAULT 'original' CHECK (kind IN ('original','person-centred')),
      source_video_id INTEGER REFERENCES videos(id) ON DELETE RESTRICT,
      sha256 TEXT NOT NULL,
      vault_path TEXT NOT NULL,
      original_name TEXT NOT NULL,
      original_path TEXT,
      view TEXT NOT NULL DEFAULT 'unknown' CHECK (view IN ('sagittal','frontal','unknown')),
      size_bytes INTEGER NOT NULL,
      probe_json TEXT NOT NULL,
      thumbnail_path TEXT,
      imported_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX videos_original_sha ON videos(sha256) WHERE kind = 'original';
    CREATE INDEX videos_patient ON videos(patient_id);

    CREATE TABLE analyses (
      id INTEGER PRIMARY KEY,
      video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE RESTRICT,
      stage INTEGER NOT NULL CHECK (stage IN (1, 2)),
      job_id INTEGER REFERENCES jobs(id),
      params_json TEXT NOT NULL DEFAULT '{}',
      result_json TEXT,
      created_at TEXT NOT NULL
    );
    CREATE INDEX analyses_video ON analyses(video_id, stage);

    CREATE TABLE readers (
      id INTEGER PRIMARY KEY,
      code TEXT NOT NULL UNIQUE COLLATE NOCASE,
      display_name TEXT NOT NULL,
      role TEXT NOT NULL DEFAULT 'clinician',
      created_at TEXT NOT NULL
    );

    CREATE TABLE assessments (
      id INTEGER PRIMARY KEY,
      video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE RESTRICT,
      reader_id INTEGER NOT NULL REFERENCES readers(id) ON DELETE RESTRICT,
      call TEXT NOT NULL CHECK (call IN ('ASD','non-ASD')),
      confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
      comment TEXT NOT NULL DEFAULT '',
      supersedes_id INTEGER REFERENCES assessments(id),
      created_at TEXT NOT NULL
    );
    CREATE INDEX assessments_video ON assessments(video_id);

    CREATE TABLE studies (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('reader','cross-validation')),
      protocol_json TEXT NOT NULL DEFAULT '{}',
      seed INTEGER NOT NULL,
      created_at TEXT NOT NULL
    );

    CREATE TABLE model_bundles (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      version TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      vault_path TEXT NOT NULL,
      manifest_json TEXT NOT NULL,
      validated INTEGER NOT NULL CHECK (validated IN (0, 1)),
      imported_at TEXT NOT NULL
    );

    CREATE TABLE jobs (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('queued','running','done','failed','cancelled')),
      video_id INTEGER REFERENCES videos(id) ON DELETE SET NULL,
      params_json TEXT NOT NULL DEFAULT '{}',
      progress REAL NOT NULL DEFAULT 0,
      message TEXT NOT NULL DEFAULT '',
      error_code TEXT,
      error_message TEXT,
      result_json TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      started_at TEXT,
      finished_at TEXT
    );
    CREATE INDEX jobs_status ON jobs(status, id);

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value_json TEXT NOT NULL
    );

    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      entity TEXT NOT NULL,
      entity_id TEXT NOT NULL,
      before_json TEXT,
      after_json TEXT
    );
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
};
