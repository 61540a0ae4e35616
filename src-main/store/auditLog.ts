import type { Db } from './database.js';
import type { Clock } from './clock.js';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

/**
 * Append-only record of every change to clinical data: who, what, when, before and after.
 * Triggers in the schema refuse UPDATE and DELETE on the table. Callers write the entry in
 * the same transaction as the change it describes.
 */
export class AuditLog {
  private readonly insert;
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.insert = db.prepare(
      'INSERT INTO audit_log (at, actor, action, entity, entity_id, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  record(actor: string, action: string, entity: string, entityId: string | number, before: unknown, after: unknown): void {
    this.insert.run(
      this.clock(),
      actor,
      action,
      entity,
      String(entityId),
      before === undefined ? null : JSON.stringify(before),
      after === undefined ? null : JSON.stringify(after),
    );
  }

  list(filter: { entity?: string; entityId?: string | number; limit?: number } = {}): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log
         WHERE (@entity IS NULL OR entity = @entity) AND (@entityId IS NULL OR entity_id = @entityId)
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({ entity: filter.entity ?? null, entityId: filter.entityId === undefined ? null : String(filter.entityId), limit: filter.limit ?? 100 }) as Array<Record<string, unknown>>;
    return rows.map((row) => ({
      id: row.id as number,
      at: row.at as string,
      actor: row.actor as string,
      action: row.action as string,
      entity: row.entity as string,
      entityId: row.entity_id as string,
      before: row.before_json === null ? null : JSON.parse(row.before_json as string),
      after: row.after_json === null ? null : JSON.parse(row.after_json as string),
    }));
  }
}
