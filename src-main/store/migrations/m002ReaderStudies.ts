import type { Migration } from './migration.js';

/** Study cohorts, readers' randomised orders, blinded readings, fold models. */
export const m002ReaderStudies: Migration = {
  version: 2,
  name: 'reader studies and assessment history',
  sql: `
    ALTER TABLE studies ADD COLUMN description TEXT NOT NULL DEFAULT '';
    ALTER TABLE studies ADD COLUMN model_id TEXT REFERENCES model_bundles(id);
    ALTER TABLE studies ADD COLUMN folds INTEGER;

    CREATE TABLE study_cases (
      study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
      case_code TEXT NOT NULL,
      video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE RESTRICT,
      truth INTEGER NOT NULL CHECK (truth IN (0, 1)),
      fold INTEGER,
      clip_start_sec REAL,
      clip_end_sec REAL,
      PRIMARY KEY (study_id, case_code),
      UNIQUE (study_id, video_id)
    );

    CREATE TABLE study_readers (
      study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
      reader_id INTEGER NOT NULL REFERENCES readers(id) ON DELETE RESTRICT,
      order_json TEXT NOT NULL,
      added_at TEXT NOT NULL,
      PRIMARY KEY (study_id, reader_id)
    );

    CREATE TABLE study_readings (
      study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
      reader_id INTEGER NOT NULL REFERENCES readers(id) ON DELETE RESTRICT,
      case_code TEXT NOT NULL,
      call TEXT NOT NULL CHECK (call IN ('ASD','non-ASD')),
      confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
      comment TEXT NOT NULL DEFAULT '',
      time_spent_ms INTEGER NOT NULL CHECK (time_spent_ms >= 0),
      created_at TEXT NOT NULL,
      PRIMARY KEY (study_id, reader_id, case_code),
      FOREIGN KEY (study_id, case_code) REFERENCES study_cases(study_id, case_code) ON DELETE CASCADE
    );

    CREATE TABLE study_fold_models (
      study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
      fold INTEGER NOT NULL,
      model_id TEXT NOT NULL REFERENCES model_bundles(id) ON DELETE RESTRICT,
      PRIMARY KEY (study_id, fold)
    );
  `,
};
