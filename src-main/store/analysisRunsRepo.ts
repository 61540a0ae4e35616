import type { AnalysisStepKind } from '../contract/entities.js';
import type { MeasureOptions, Stage1Options, Stage2Options } from '../contract/jobs.js';
import type { Db } from './database.js';
import type { Clock } from './clock.js';
import type { AuditLog } from './auditLog.js';

/** One step as planned when the run was asked for, with the user's choices for it: to run, or skipped with the reason. */
export type PlannedStep = ({ kind: 'stage1'; options: Stage1Options } | { kind: 'measure'; options: MeasureOptions } | { kind: 'stage2'; options: Stage2Options }) & {
  /** Set when the step will not run (e.g. no model installed), in words. */
  skipped?: string;
};

export interface StoredRun {
  id: number;
  videoId: number;
  steps: PlannedStep[];
  actor: string;
  createdAt: string;
}

interface RunRow {
  id: number;
  video_id: number;
  steps_json: string;
  actor: string;
  created_at: string;
}

const toRun = (row: RunRow): StoredRun => ({ id: row.id, videoId: row.video_id, steps: JSON.parse(row.steps_json) as PlannedStep[], actor: row.actor, createdAt: row.created_at });

/** Analysis runs: which steps of a video's analysis were asked for, and by whom (their jobs point at them). */
export class AnalysisRunsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  create(actor: string, videoId: number, steps: PlannedStep[]): StoredRun {
    return this.db.transaction(() => {
      const info = this.db.prepare('INSERT INTO analysis_runs (video_id, steps_json, actor, created_at) VALUES (?, ?, ?, ?)').run(videoId, JSON.stringify(steps), actor, this.clock());
      const run = this.get(Number(info.lastInsertRowid))!;
      this.audit.record(actor, 'analysis.run', 'video', videoId, null, { runId: run.id, steps });
      return run;
    })();
  }

  get(id: number): StoredRun | undefined {
    const row = this.db.prepare('SELECT * FROM analysis_runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRun(row) : undefined;
  }

  list(ids: readonly number[]): StoredRun[] {
    if (ids.length === 0) return [];
    return (this.db.prepare('SELECT * FROM analysis_runs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(ids)) as RunRow[]).map(toRun);
  }

  /** Marks a planned step skipped (it could not be queued when its turn came), with the reason. */
  skip(id: number, kind: AnalysisStepKind, reason: string): void {
    const run = this.get(id);
    if (!run) return;
    const steps = run.steps.map((s) => (s.kind === kind ? { ...s, skipped: reason } : s));
    this.db.prepare('UPDATE analysis_runs SET steps_json = ? WHERE id = ?').run(JSON.stringify(steps), id);
  }
}
