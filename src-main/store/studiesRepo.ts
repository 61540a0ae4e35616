import type { ReadingProtocol, StudyCase, StudySummary } from '../contract/entities.js';
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
  patient_count: number;
  positive_patient_count: number;
  training_count: number;
  reader_count: number;
}

const selectStudy = `
  SELECT s.*,
    (SELECT COUNT(*) FROM study_cases c WHERE c.study_id = s.id AND c.training = 0) AS case_count,
    (SELECT COUNT(*) FROM study_cases c WHERE c.study_id = s.id AND c.training = 0 AND c.truth = 1) AS positive_count,
    (SELECT COUNT(DISTINCT v.patient_id) FROM study_cases c JOIN videos v ON v.id = c.video_id WHERE c.study_id = s.id AND c.training = 0) AS patient_count,
    (SELECT COUNT(DISTINCT v.patient_id) FROM study_cases c JOIN videos v ON v.id = c.video_id WHERE c.study_id = s.id AND c.training = 0 AND c.truth = 1) AS positive_patient_count,
    (SELECT COUNT(*) FROM study_cases c WHERE c.study_id = s.id AND c.training = 1) AS training_count,
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
  patientCount: row.patient_count,
  positivePatientCount: row.positive_patient_count,
  trainingCaseCount: row.training_count,
  readerCount: row.reader_count,
});

export interface StoredReading {
  readerId: number;
  readerCode: string;
  session: number;
  caseCode: string;
  call: 'ASD' | 'non-ASD';
  confidence: number;
  comment: string;
  timeSpentMs: number;
  createdAt: string;
}

/** A case as stored, with what the reader is shown. */
export interface StoredCase extends StudyCase {
  /** The person-centred clip shown and the window on its timeline; null: the original is shown. */
  shown: { videoId: number; startSec: number | null; endSec: number | null } | null;
  /** The stage 1 result the window was placed in (its patient track marks the original). */
  stage1AnalysisId: number | null;
}

interface CaseRow {
  case_code: string;
  video_id: number;
  patient_code: string;
  truth: 0 | 1;
  fold: number | null;
  clip_start_sec: number | null;
  clip_end_sec: number | null;
  training: number;
  shown_video_id: number | null;
  shown_start_sec: number | null;
  shown_end_sec: number | null;
  stage1_analysis_id: number | null;
}

/** One reader's order of the cases in one session, and the seed it was shuffled with (null: not recorded). */
export interface SessionOrder {
  session: number;
  seed: number | null;
  order: string[];
}

export interface EnrolledReader {
  readerId: number;
  readerCode: string;
  readerName: string;
  orders: SessionOrder[];
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
    return this.caseRecords(studyId).map(({ shown: _shown, stage1AnalysisId: _stage1, ...c }) => c);
  }

  /** Cases with what the reader is shown (never sent to a reader as such: the service blinds it). */
  caseRecords(studyId: number): StoredCase[] {
    return (
      this.db
        .prepare(
          `SELECT c.case_code, c.video_id, p.code AS patient_code, c.truth, c.fold, c.clip_start_sec, c.clip_end_sec, c.training,
                  c.shown_video_id, c.shown_start_sec, c.shown_end_sec, c.stage1_analysis_id
           FROM study_cases c JOIN videos v ON v.id = c.video_id JOIN patients p ON p.id = v.patient_id
           WHERE c.study_id = ? ORDER BY c.case_code`,
        )
        .all(studyId) as CaseRow[]
    ).map((r) => ({
      caseCode: r.case_code,
      videoId: r.video_id,
      patientCode: r.patient_code,
      truth: r.truth,
      fold: r.fold,
      clipStartSec: r.clip_start_sec,
      clipEndSec: r.clip_end_sec,
      training: r.training === 1,
      shown: r.shown_video_id === null ? null : { videoId: r.shown_video_id, startSec: r.shown_start_sec, endSec: r.shown_end_sec },
      stage1AnalysisId: r.stage1_analysis_id,
    }));
  }

  addCases(actor: string, studyId: number, cases: ReadonlyArray<Omit<StoredCase, 'patientCode' | 'fold'>>): void {
    this.db.transaction(() => {
      const insert = this.db.prepare(
        `INSERT INTO study_cases (study_id, case_code, video_id, truth, clip_start_sec, clip_end_sec, training, shown_video_id, shown_start_sec, shown_end_sec, stage1_analysis_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const c of cases) {
        insert.run(studyId, c.caseCode, c.videoId, c.truth, c.clipStartSec, c.clipEndSec, c.training ? 1 : 0, c.shown?.videoId ?? null, c.shown?.startSec ?? null, c.shown?.endSec ?? null, c.stage1AnalysisId);
      }
      this.audit.record(actor, 'study.addCases', 'study', studyId, null, {
        cases: cases.map((c) => ({ caseCode: c.caseCode, videoId: c.videoId, truth: c.truth, training: c.training, window: c.clipStartSec === null ? null : [c.clipStartSec, c.clipEndSec], shownVideoId: c.shown?.videoId ?? null })),
      });
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

  /** Enrols a reader with one seeded order per session. */
  enrol(actor: string, studyId: number, readerId: number, orders: ReadonlyArray<SessionOrder>): void {
    this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM study_readers WHERE study_id = ? AND reader_id = ?').get(studyId, readerId);
      if (exists) throw new AppError('STUDY_INVALID', 'this reader is already enrolled in the study');
      const now = this.clock();
      this.db.prepare('INSERT INTO study_readers (study_id, reader_id, order_json, added_at) VALUES (?, ?, ?, ?)').run(studyId, readerId, JSON.stringify(orders[0]?.order ?? []), now);
      this.writeOrders(studyId, readerId, orders, now);
      this.audit.record(actor, 'study.addReader', 'study', studyId, null, { readerId, orders: orders.map((o) => ({ session: o.session, seed: o.seed })) });
    })();
  }

  /** Replaces a reader's session orders (the service appends cases added after enrolment). */
  setOrders(actor: string, studyId: number, readerId: number, orders: ReadonlyArray<SessionOrder>): void {
    this.db.transaction(() => {
      this.writeOrders(studyId, readerId, orders, this.clock());
      this.audit.record(actor, 'study.orders', 'study', studyId, null, { readerId, orders: orders.map((o) => ({ session: o.session, seed: o.seed, cases: o.order.length })) });
    })();
  }

  private writeOrders(studyId: number, readerId: number, orders: ReadonlyArray<SessionOrder>, now: string): void {
    const upsert = this.db.prepare(
      `INSERT INTO study_session_orders (study_id, reader_id, session, seed, order_json, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (study_id, reader_id, session) DO UPDATE SET order_json = excluded.order_json`,
    );
    for (const o of orders) upsert.run(studyId, readerId, o.session, o.seed, JSON.stringify(o.order), now);
  }

  /** Every enrolled reader with their session orders, in reader code order. */
  enrolled(studyId: number): EnrolledReader[] {
    const readers = this.db
      .prepare('SELECT r.id, r.code, r.display_name FROM study_readers sr JOIN readers r ON r.id = sr.reader_id WHERE sr.study_id = ? ORDER BY r.code')
      .all(studyId) as Array<{ id: number; code: string; display_name: string }>;
    const orders = this.db.prepare('SELECT session, seed, order_json FROM study_session_orders WHERE study_id = ? AND reader_id = ? ORDER BY session');
    return readers.map((r) => ({
      readerId: r.id,
      readerCode: r.code,
      readerName: r.display_name,
      orders: (orders.all(studyId, r.id) as Array<{ session: number; seed: number | null; order_json: string }>).map((o) => ({ session: o.session, seed: o.seed, order: JSON.parse(o.order_json) as string[] })),
    }));
  }

  /** The video behind a case, or undefined: for the blinded media endpoints (never sent to the page). */
  caseVideoId(studyId: number, caseCode: string): number | undefined {
    const row = this.db.prepare('SELECT IFNULL(shown_video_id, video_id) AS id FROM study_cases WHERE study_id = ? AND case_code = ?').get(studyId, caseCode) as { id: number } | undefined;
    return row?.id;
  }

  readings(studyId: number): StoredReading[] {
    return (
      this.db
        .prepare(`SELECT x.*, r.code AS reader_code FROM study_readings x JOIN readers r ON r.id = x.reader_id WHERE x.study_id = ? ORDER BY r.code, x.session, x.case_code`)
        .all(studyId) as Array<{ reader_id: number; reader_code: string; session: number; case_code: string; call: 'ASD' | 'non-ASD'; confidence: number; comment: string; time_spent_ms: number; created_at: string }>
    ).map((r) => ({ readerId: r.reader_id, readerCode: r.reader_code, session: r.session, caseCode: r.case_code, call: r.call, confidence: r.confidence, comment: r.comment, timeSpentMs: r.time_spent_ms, createdAt: r.created_at }));
  }

  /** A reader's read cases and their last reading time, per session. */
  sessionReadings(studyId: number, readerId: number): Map<number, { read: Set<string>; lastReadingAt: string | null }> {
    const rows = this.db
      .prepare('SELECT session, case_code, created_at FROM study_readings WHERE study_id = ? AND reader_id = ? ORDER BY created_at')
      .all(studyId, readerId) as Array<{ session: number; case_code: string; created_at: string }>;
    const out = new Map<number, { read: Set<string>; lastReadingAt: string | null }>();
    for (const r of rows) {
      const s = out.get(r.session) ?? { read: new Set<string>(), lastReadingAt: null };
      s.read.add(r.case_code);
      s.lastReadingAt = r.created_at;
      out.set(r.session, s);
    }
    return out;
  }

  addReading(actor: string, studyId: number, reading: Omit<StoredReading, 'readerCode' | 'createdAt'>): void {
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT INTO study_readings (study_id, reader_id, session, case_code, call, confidence, comment, time_spent_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(studyId, reading.readerId, reading.session, reading.caseCode, reading.call, reading.confidence, reading.comment, reading.timeSpentMs, this.clock());
      this.audit.record(actor, 'study.reading', 'study', studyId, null, reading);
    })();
  }

  /** A reader entered or left the reading screen: the record of blinding. */
  /** `closed`: a leave recorded because the reading window or tab was closed, not by the reader's "Leave". */
  recordReadingSession(actor: string, studyId: number, readerCode: string, action: 'enter' | 'leave', closed = false): string {
    const at = this.clock();
    this.audit.record(actor, `study.reading.${action}`, 'study', studyId, null, { readerCode, at, ...(closed ? { how: 'the reading window was closed' } : {}) });
    return at;
  }
}
