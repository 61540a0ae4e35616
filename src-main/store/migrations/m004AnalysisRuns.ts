import type { Migration } from './migration.js';

/**
 * Analysis pipelines in the back end, and results that know what they were made from.
 *
 * - `analysis_runs`: one row each time the steps of a video's analysis are asked for ("Analyse
 *   all", a re-run of stage 1 with another patient...): which steps, by whom. Jobs carry their
 *   run, so the next step is queued when the one before commits, with or without a window.
 * - `analyses.stage1_analysis_id`: the stage 1 result whose clip a stage 2 result classified.
 * - `analyses.superseded_by`: the stage 1 result that replaced this one (for stage 1 results)
 *   or the stage 1 result after which this stage 2 result no longer describes the current clip.
 *   Superseded results stay for provenance; no screen, export or study shows them as current.
 *
 * Existing rows are filled in: every stage 1 result but the newest of its video is superseded;
 * a stage 2 result is named after the newest earlier stage 1 result that made the clip it
 * classified, and superseded when that is not the video's newest stage 1 (or, for a result on
 * the original, when a stage 1 ran after it).
 */
export const m004AnalysisRuns: Migration = {
  version: 4,
  name: 'analysis runs and superseded results',
  sql: `
    CREATE TABLE analysis_runs (
      id INTEGER PRIMARY KEY,
      video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE RESTRICT,
      steps_json TEXT NOT NULL,
      actor TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX analysis_runs_video ON analysis_runs(video_id, id);

    ALTER TABLE jobs ADD COLUMN run_id INTEGER REFERENCES analysis_runs(id) ON DELETE SET NULL;
    CREATE INDEX jobs_run ON jobs(run_id);

    ALTER TABLE analyses ADD COLUMN stage1_analysis_id INTEGER REFERENCES analyses(id);
    ALTER TABLE analyses ADD COLUMN superseded_by INTEGER REFERENCES analyses(id);

    UPDATE analyses
       SET superseded_by = (SELECT MAX(n.id) FROM analyses n WHERE n.video_id = analyses.video_id AND n.stage = 1)
     WHERE stage = 1 AND id < (SELECT MAX(n.id) FROM analyses n WHERE n.video_id = analyses.video_id AND n.stage = 1);

    UPDATE analyses
       SET stage1_analysis_id = (SELECT MAX(s.id) FROM analyses s
                                  WHERE s.stage = 1 AND s.video_id = analyses.video_id
                                    AND s.classified_video_id = analyses.classified_video_id AND s.id < analyses.id)
     WHERE stage = 2;

    UPDATE analyses
       SET superseded_by = (SELECT MAX(s.id) FROM analyses s WHERE s.stage = 1 AND s.video_id = analyses.video_id)
     WHERE stage = 2 AND (
       (stage1_analysis_id IS NOT NULL
         AND stage1_analysis_id <> (SELECT MAX(s.id) FROM analyses s WHERE s.stage = 1 AND s.video_id = analyses.video_id))
       OR (stage1_analysis_id IS NULL
         AND EXISTS (SELECT 1 FROM analyses s WHERE s.stage = 1 AND s.video_id = analyses.video_id AND s.id > analyses.id))
     );

    CREATE INDEX analyses_current ON analyses(video_id, stage, superseded_by, id);
  `,
};
