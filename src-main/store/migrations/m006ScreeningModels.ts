import type { Migration } from './migration.js';

/**
 * Screening models trained in the app on the posture measures, or imported from another site.
 *
 * - `screening_models`: one row per model, its whole body (coefficients, standardisation, norms,
 *   cohort summary, protocol, cross-validation) as JSON with the SHA-256 of its canonical JSON;
 *   the id is `lr-` and the first 12 hexadecimal digits of that hash, so the same model has the
 *   same id at every site. A model is `trained` until someone accepts it; the newest accepted
 *   one is what patient verdicts use; a retired one stays for provenance. Accepting and
 *   retiring are audited.
 */
export const m006ScreeningModels: Migration = {
  version: 6,
  name: 'screening models',
  sql: `
    CREATE TABLE screening_models (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      sha256 TEXT NOT NULL UNIQUE,
      body_json TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('trained','accepted','retired')),
      origin TEXT NOT NULL,
      job_id INTEGER REFERENCES jobs(id),
      created_at TEXT NOT NULL,
      accepted_at TEXT,
      accepted_by TEXT
    );
    CREATE INDEX screening_models_status ON screening_models(status, accepted_at);
  `,
};
