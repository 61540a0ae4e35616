import type { Migration } from './migration.js';

/**
 * Reader studies to the MRMC standard: training cases; what a case shows (the person-centred
 * clip or the original, and the window on it, cut where the patient is in view); one seeded
 * order per reader and session; readings per session (the same case is read once per
 * modality, in different sessions).
 */
export const m007StudySessions: Migration = {
  version: 7,
  name: 'reading sessions, training cases and the shown window',
  sql: `
    ALTER TABLE study_cases ADD COLUMN training INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1));
    -- the video the reader sees (the stage 1 clip for the person-centred view; null: the original)
    ALTER TABLE study_cases ADD COLUMN shown_video_id INTEGER REFERENCES videos(id) ON DELETE RESTRICT;
    -- the window on the shown video's timeline (the original's window is clip_start_sec/clip_end_sec)
    ALTER TABLE study_cases ADD COLUMN shown_start_sec REAL;
    ALTER TABLE study_cases ADD COLUMN shown_end_sec REAL;
    -- the stage 1 result the window was placed in (its patient track marks the original-marked view)
    ALTER TABLE study_cases ADD COLUMN stage1_analysis_id INTEGER REFERENCES analyses(id) ON DELETE RESTRICT;

    CREATE TABLE study_session_orders (
      study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
      reader_id INTEGER NOT NULL REFERENCES readers(id) ON DELETE RESTRICT,
      session INTEGER NOT NULL CHECK (session >= 1),
      seed INTEGER,
      order_json TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (study_id, reader_id, session)
    );
    -- studies made before sessions: their one order is session 1's (its seed was not recorded)
    INSERT INTO study_session_orders (study_id, reader_id, session, seed, order_json, created_at)
      SELECT study_id, reader_id, 1, NULL, order_json, added_at FROM study_readers;

    CREATE TABLE study_readings_by_session (
      study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
      reader_id INTEGER NOT NULL REFERENCES readers(id) ON DELETE RESTRICT,
      session INTEGER NOT NULL CHECK (session >= 1),
      case_code TEXT NOT NULL,
      call TEXT NOT NULL CHECK (call IN ('ASD','non-ASD')),
      confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
      comment TEXT NOT NULL DEFAULT '',
      time_spent_ms INTEGER NOT NULL CHECK (time_spent_ms >= 0),
      created_at TEXT NOT NULL,
      PRIMARY KEY (study_id, reader_id, session, case_code),
      FOREIGN KEY (study_id, case_code) REFERENCES study_cases(study_id, case_code) ON DELETE CASCADE
    );
    INSERT INTO study_readings_by_session (study_id, reader_id, session, case_code, call, confidence, comment, time_spent_ms, created_at)
      SELECT study_id, reader_id, 1, case_code, call, confidence, comment, time_spent_ms, created_at FROM study_readings;
    DROP TABLE study_readings;
    ALTER TABLE study_readings_by_session RENAME TO study_readings;
  `,
};
