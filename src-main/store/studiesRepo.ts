import type { ReaderProgress, ReadingProtocol, StudyCase, StudySummary } from '../contract/entities.js';
import { readingProtocolSchema } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import type { Db } from './database.js';
import type { Clock } from './clock.js';
import type { AuditLog } from './auditLog.js';

interface StudyRow {
  id: number;
  name: string;
  description: string;
  kind: StudySummary['kind'];
  protocol_json: string;
  seed: number;
  model_id: string | null;
  folds: number | null;
  created_at: string;
  case_count: number;
  positive_count: number;
  reader_count: number;
}

const selectStudy = `
  SELECT s.*,
    (SELECT COUNT(*) FROM study_cases c WHERE c.study_id = s.id) AS case_count,
    (SELECT COUNT(*) FROM study_cases c WHERE c.study_id = s.id AND c.truth = 1) AS positive_count,
    (SELECT COUNT(*) FROM study_readers r WHERE r.study_id = s.id) AS reader_count
  FROM studies s`;

const toStudy = (row: StudyRow): StudySummary => ({
  id: row.id,
  name: row.name,
  description: row.description,
  kind: row.kind,
  protocol: readingProtocolSchema.parse(JSON.parse(row.protocol_json)),
  seed: row.seed,
  modelId: row.model_id,
  folds: row.folds,
  createdAt: row.created_at,
  caseCount: row.case_count,
  positiveCount: row.positive_count,
  readerCount: row.reader_count,
});

export interface StoredReading {
  readerId: number;
  readerCode: string;
  caseCode: string;
  call: 'ASD' | 'non-ASD';
  confidence: number;
  comment: string;
  timeSpentMs: number;
  createdAt: string;
}

/** Study definitions, cohorts, enrolled readers with their randomised order, and readings. */
export class StudiesRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  list(): StudySummary[] {
    return (this.db.prepare(`${selectStudy} ORDER BY s.id DESC`).all() as StudyRow[]).map(toStudy);
  }

  get(id: number): StudySummary {
    const row = this.db.prepare(`${selectStudy} WHERE s.id = ?`).get(id) as StudyRow | undefined;
    if (!row) throw new AppError('STUDY_NOT_FOUND', String(id));
    return toStudy(row);
  }

  create(actor: string, input: { name: string; description: string; kind: StudySummary['kind']; protocol: ReadingProtocol; seed: number; modelId: string | null; folds: number | null }): StudySummary {
    return this.db.transaction(() => {
      const info = this.db
        .prepare(`INSERT INTO studies (name, description, kind, protocol_json, seed, model_id, folds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(input.name, input.description, input.kind, JSON.stringify(input.protocol), input.seed, input.modelId, input.folds, this.clock());
      const study = this.get(Number(info.lastInsertRowid));
      this.audit.record(actor, 'study.create', 'study', study.id, null, study);
      return study;
    })();
  }

  cases(studyId: number): StudyCase[] {
    return (
      this.db
        .prepare(
          `SELECT c.case_code, c.video_id, p.code AS patient_code, c.truth, c.fold, c.clip_start_sec, c.clip_end_sec
           FROM study_cases c JOIN videos v ON v.id = c.video_id JOIN patients p ON p.id = v.patient_id
           WHERE c.study_id = ? ORDER BY c.case_code`,
        )
        .all(studyId) as Array<{ case_code: string; video_id: number; patient_code: string; truth: 0 | 1; fold: number | null; clip_start_sec: number | null; clip_end_sec: number | null }>
    ).map((r) => ({ caseCode: r.case_code, videoId: r.video_id, patientCode: r.patient_code, truth: r.truth, fold: r.fold, clipStartSec: r.clip_start_sec, clipEndSec: r.clip_end_sec }));
  }

  addCases(actor: string, studyId: number, cases: Array<Omit<StudyCase, 'patientCode' | 'fold'>>): void {
    this.db.transaction(() => {
      const insert = this.db.prepare(`INSERT INTO study_cases (study_id, case_code, video_id, truth, clip_start_sec, clip_end_sec) VALUES (?, ?, ?, ?, ?, ?)`);
      for (const c of cases) insert.run(studyId, c.caseCode, c.videoId, c.truth, c.clipStartSec, c.clipEndSec);
      this.audit.record(actor, 'study.addCases', 'study', studyId, null, { cases: cases.map((c) => ({ caseCode: c.caseCode, videoId: c.videoId, truth: c.truth })) });
    })();
  }

  setFolds(actor: string, studyId: number, folds: number, assignment: Map<string, number>): void {
    this.db.transaction(() => {
      const update = this.db.prepare('UPDATE study_cases SET fold = ? WHERE study_id = ? AND case_code = ?');
      for (const [caseCode, fold] of assignment) update.run(fold, studyId, caseCode);
      this.db.prepare('UPDATE studies SET folds = ? WHERE id = ?').run(folds, studyId);
      this.audit.record(actor, 'study.assignFolds', 'study', studyId, null, { folds, assignment: Object.fromEntries(assignment) });
    })();
  }

  setFoldModel(actor: string, studyId: number, fold: number, modelId: string): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO study_fold_models (study_id, fold, model_id) VALUES (?, ?, ?) ON CONFLICT (study_id, fold) DO UPDATE SET model_id = excluded.model_id').run(studyId, fold, modelId);
      this.audit.record(actor, 'study.setFoldModel', 'study', studyId, null, { fold, modelId });
    })();
  }

  foldModels(studyId: number): Map<number, string> {
    const rows = this.db.prepare('SELECT fold, model_id FROM study_fold_models WHERE study_id = ? ORDER BY fold').all(studyId) as Array<{ fold: number; model_id: string }>;
    return new Map(rows.map((r) => [r.fold, r.model_id]));
  }

  enrol(actor: string, studyId: number, readerId: number, order: string[]): void {
    this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM study_readers WHERE study_id = ? AND reader_id = ?').get(studyId, readerId);
      if (exists) throw new AppError('STUDY_INVALID', 'this reader is already enrolled in the study');
      this.db.prepare('INSERT INTO study_readers (study_id, reader_id, order_json, added_at) VALUES (?, ?, ?, ?)').run(studyId, readerId, JSON.stringify(order), this.clock());
      this.audit.record(actor, 'study.addReader', 'study', studyId, null, { readerId });
    })();
  }

  readingOrder(studyId: number, readerId: number): string[] | undefined {
    const row = this.db.prepare('SELECT order_json FROM study_readers WHERE study_id = ? AND reader_id = ?').get(studyId, readerId) as { order_json: string } | undefined;
    return row ? (JSON.parse(row.order_json) as string[]) : undefined;
  }

  /** The video behind a case, or undefined: for the blinded media endpoints (never sent to the page). */
  caseVideoId(studyId: number, caseCode: string): number | undefined {
    const row = this.db.prepare('SELECT video_id AS id FROM study_cases WHERE study_id = ? AND case_code = ?').get(studyId, caseCode) as { id: number } | undefined;
    return row?.id;
  }

  readings(studyId: number): StoredReading[] {
    return (
      this.db
        .prepare(
          `SELECT x.*, r.code AS reader_code FROM study_readings x JOIN readers r ON r.id = x.reader_id WHERE x.study_id = ? ORDER BY r.code, x.case_code`,
        )
        .all(studyId) as Array<{ reader_id: number; reader_code: string; case_code: string; call: 'ASD' | 'non-ASD'; confidence: number; comment: string; time_spent_ms: number; created_at: string }>
    ).map((r) => ({ readerId: r.reader_id, readerCode: r.reader_code, caseCode: r.case_code, call: r.call, confidence: r.confidence, comment: r.comment, timeSpentMs: r.time_spent_ms, createdAt: r.created_at }));
  }

  readCases(studyId: number, readerId: number): Set<string> {
    const rows = this.db.prepare('SELECT case_code FROM study_readings WHERE study_id = ? AND reader_id = ?').all(studyId, readerId) as Array<{ case_code: string }>;
    return new Set(rows.map((r) => r.case_code));
  }

  addReading(actor: string, studyId: number, reading: Omit<StoredReading, 'readerCode' | 'createdAt'>): void {
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT INTO study_readings (study_id, reader_id, case_code, call, confidence, comment, time_spent_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(studyId, reading.readerId, reading.caseCode, reading.call, reading.confidence, reading.comment, reading.timeSpentMs, this.clock());
      this.audit.record(actor, 'study.reading', 'study', studyId, null, reading);
    })();
  }

  progress(studyId: number): ReaderProgress[] {
    const total = (this.db.prepare('SELECT COUNT(*) AS n FROM study_cases WHERE study_id = ?').get(studyId) as { n: number }).n;
    const rows = this.db
      .prepare(
        `SELECT r.code, r.display_name, COUNT(x.case_code) AS done, MAX(x.created_at) AS last_at, IFNULL(SUM(x.time_spent_ms), 0) AS spent
         FROM study_readers sr JOIN readers r ON r.id = sr.reader_id
         LEFT JOIN study_readings x ON x.study_id = sr.study_id AND x.reader_id = sr.reader_id
         WHERE sr.study_id = ? GROUP BY r.id ORDER BY r.code`,
      )
      .all(studyId) as Array<{ code: string; display_name: string; done: number; last_at: string | null; spent: number }>;
    return rows.map((r) => ({ readerCode: r.code, readerName: r.display_name, done: r.done, total, lastReadingAt: r.last_at, timeSpentMs: r.spent }));
  }
}
