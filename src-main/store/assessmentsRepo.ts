import type { Assessment } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import type { Db } from './database.js';
import type { Clock } from './clock.js';
import type { AuditLog } from './auditLog.js';

interface AssessmentRow {
  id: number;
  video_id: number;
  reader_id: number;
  reader_code: string;
  reader_name: string;
  call: Assessment['call'];
  confidence: number;
  comment: string;
  supersedes_id: number | null;
  created_at: string;
  superseded_by: number | null;
}

const toAssessment = (row: AssessmentRow): Assessment => ({
  id: row.id,
  videoId: row.video_id,
  readerCode: row.reader_code,
  readerName: row.reader_name,
  call: row.call,
  confidence: row.confidence,
  comment: row.comment,
  supersedesId: row.supersedes_id,
  supersededById: row.superseded_by,
  createdAt: row.created_at,
});

const selectAssessment = `
  SELECT a.*, r.code AS reader_code, r.display_name AS reader_name,
         (SELECT n.id FROM assessments n WHERE n.supersedes_id = a.id) AS superseded_by
  FROM assessments a JOIN readers r ON r.id = a.reader_id`;

/**
 * A doctor's call on a video. An amendment never overwrites: it adds a row that supersedes
 * the previous one, so the whole history stays (and the audit log records both).
 */
export class AssessmentsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** Every assessment of a video, newest first, including superseded ones. */
  listForVideo(videoId: number): Assessment[] {
    return (this.db.prepare(`${selectAssessment} WHERE a.video_id = ? ORDER BY a.id DESC`).all(videoId) as AssessmentRow[]).map(toAssessment);
  }

  get(id: number): Assessment {
    const row = this.db.prepare(`${selectAssessment} WHERE a.id = ?`).get(id) as AssessmentRow | undefined;
    if (!row) throw new AppError('ASSESSMENT_NOT_FOUND', String(id));
    return toAssessment(row);
  }

  add(actor: string, input: { videoId: number; readerId: number; call: Assessment['call']; confidence: number; comment: string; amends: number | null }): Assessment {
    return this.db.transaction(() => {
      let previous: Assessment | undefined;
      if (input.amends !== null) {
        previous = this.get(input.amends);
        if (previous.videoId !== input.videoId) throw new AppError('ASSESSMENT_NOT_FOUND', `${input.amends} for this video`);
        if (previous.supersededById !== null) throw new AppError('ASSESSMENT_ALREADY_AMENDED', String(input.amends));
      } else {
        const current = this.db
          .prepare(`SELECT a.id FROM assessments a WHERE a.video_id = ? AND a.reader_id = ? AND NOT EXISTS (SELECT 1 FROM assessments n WHERE n.supersedes_id = a.id)`)
          .get(input.videoId, input.readerId) as { id: number } | undefined;
        if (current) previous = this.get(current.id);
      }
      const info = this.db
        .prepare(`INSERT INTO assessments (video_id, reader_id, call, confidence, comment, supersedes_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(input.videoId, input.readerId, input.call, input.confidence, input.comment, previous?.id ?? null, this.clock());
      const created = this.get(Number(info.lastInsertRowid));
      this.audit.record(actor, previous ? 'assessment.amend' : 'assessment.add', 'assessment', created.id, previous ?? null, created);
      return created;
    })();
  }
}
