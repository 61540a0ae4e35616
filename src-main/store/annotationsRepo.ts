import { annotationShapeSchema, type Annotation, type AnnotationShape } from '../contract/measurements.js';
import { AppError } from '../contract/errors.js';
import type { Db } from './database.js';
import type { Clock } from './clock.js';
import type { AuditLog } from './auditLog.js';

interface AnnotationRow {
  id: number;
  video_id: number;
  frame: number;
  shape_json: string;
  value: number;
  label: string;
  author: string;
  created_at: string;
}

const toAnnotation = (row: AnnotationRow): Annotation => ({
  id: row.id,
  videoId: row.video_id,
  frame: row.frame,
  shape: annotationShapeSchema.parse(JSON.parse(row.shape_json)),
  value: row.value,
  label: row.label,
  author: row.author,
  createdAt: row.created_at,
});

/** Lines, angles and vertical references drawn on a paused frame. Removed ones are kept, marked removed. */
export class AnnotationsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** The video's annotations (not removed), oldest first. */
  listForVideo(videoId: number): Annotation[] {
    return (this.db.prepare('SELECT * FROM annotations WHERE video_id = ? AND removed_at IS NULL ORDER BY id').all(videoId) as AnnotationRow[]).map(toAnnotation);
  }

  get(id: number): Annotation {
    const row = this.db.prepare('SELECT * FROM annotations WHERE id = ? AND removed_at IS NULL').get(id) as AnnotationRow | undefined;
    if (!row) throw new AppError('ANNOTATION_NOT_FOUND', String(id));
    return toAnnotation(row);
  }

  add(actor: string, input: { videoId: number; frame: number; shape: AnnotationShape; value: number; label: string }): Annotation {
    return this.db.transaction(() => {
      const info = this.db
        .prepare('INSERT INTO annotations (video_id, frame, shape_json, value, label, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(input.videoId, input.frame, JSON.stringify(input.shape), input.value, input.label, actor, this.clock());
      const created = this.get(Number(info.lastInsertRowid));
      this.audit.record(actor, 'annotation.add', 'annotation', created.id, null, created);
      return created;
    })();
  }

  remove(actor: string, id: number): Annotation {
    return this.db.transaction(() => {
      const before = this.get(id);
      this.db.prepare('UPDATE annotations SET removed_at = ?, removed_by = ? WHERE id = ?').run(this.clock(), actor, id);
      this.audit.record(actor, 'annotation.remove', 'annotation', id, before, null);
      return before;
    })();
  }
}
