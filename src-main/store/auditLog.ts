import type { Db } from './database.js';
import type { Clock } from './clock.js';
import { auditGenesis, auditGuardSql, auditHashFunction, auditRowHash, registerAuditHashFunction, restoreAuditGuards, verifyAuditChain, type AuditChainState, type StoredAuditRow } from './auditChain.js';

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

/** The actor of entries WalkScope writes about the audit log itself. */
export const systemActor = 'walkscope';

/**
 * Append-only record of every change to clinical data (and of exports, backups, patient
 * opens and refused requests): who, what, when, before and after. Triggers in the schema
 * refuse UPDATE and DELETE; every row is a link of a hash chain (auditChain.ts) so that
 * changes made with the triggers dropped are found. Callers write the entry in the same
 * transaction as the change it describes.
 */
export class AuditLog {
  private readonly insert;
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    registerAuditHashFunction(db);
    // id, previous hash and hash are computed in the one statement that writes the row, so two
    // processes appending at once cannot chain to the same row
    this.insert = db.prepare(
      `INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash)
       SELECT n.id, @at, @actor, @action, @entity, @entityId, @before, @after, n.prev,
              ${auditHashFunction}(n.id, @at, @actor, @action, @entity, @entityId, @before, @after, n.prev)
       FROM (SELECT coalesce(max(id), 0) + 1 AS id, coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), @genesis) AS prev FROM audit_log) AS n`,
    );
  }

  record(actor: string, action: string, entity: string, entityId: string | number, before: unknown, after: unknown): void {
    this.insert.run({
      at: this.clock(),
      actor,
      action,
      entity,
      entityId: String(entityId),
      before: before === undefined ? null : JSON.stringify(before),
      after: after === undefined ? null : JSON.stringify(after),
      genesis: auditGenesis,
    });
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

  /**
   * At every open of the store: re-creates the append-only triggers if someone dropped them,
   * hashes the rows written before the chain existed (once), verifies the chain, and records
   * a newly found break. Never throws for a broken chain: the data stays reachable.
   */
  openChain(): AuditChainState {
    const restored = restoreAuditGuards(this.db);
    this.hashRowsBeforeTheChain();
    if (restored.length > 0) this.record(systemActor, 'audit.guardsRestored', 'audit', 'audit_log', null, { triggers: restored });
    const state = this.verifyChain();
    if (!state.intact) this.recordBreak(state);
    return state;
  }

  /** Walks the whole chain now. */
  verifyChain(): AuditChainState {
    const rows = this.db
      .prepare('SELECT id, at, actor, action, entity, entity_id AS entityId, before_json AS beforeJson, after_json AS afterJson, prev_hash AS prevHash, hash FROM audit_log ORDER BY id')
      .iterate() as IterableIterator<StoredAuditRow>;
    return verifyAuditChain(rows, this.clock());
  }

  /**
   * When the log has rows and none has a hash (the first open after migration 9), hashes them
   * in id order in one transaction and records `audit.chainStart`: their history before this
   * moment cannot be checked. Never again afterwards: a row without a hash later is a break.
   */
  private hashRowsBeforeTheChain(): void {
    const needed = () => this.db.prepare('SELECT EXISTS (SELECT 1 FROM audit_log) AS any, EXISTS (SELECT 1 FROM audit_log WHERE hash IS NOT NULL) AS chained').get() as { any: number; chained: number };
    const first = needed();
    if (!first.any || first.chained) return;
    this.db
      .transaction(() => {
        const again = needed();
        if (!again.any || again.chained) return;
        const select = this.db.prepare('SELECT id, at, actor, action, entity, entity_id AS entityId, before_json AS beforeJson, after_json AS afterJson FROM audit_log WHERE id > ? ORDER BY id LIMIT 1000');
        const update = this.db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?');
        this.db.exec('DROP TRIGGER IF EXISTS audit_log_no_update');
        let prev = auditGenesis;
        let lastId = 0;
        let count = 0;
        for (let batch = select.all(lastId) as StoredAuditRow[]; batch.length > 0; batch = select.all(lastId) as StoredAuditRow[]) {
          for (const row of batch) {
            const hash = auditRowHash(row, prev);
            update.run(prev, hash, row.id);
            prev = hash;
            lastId = row.id;
            count += 1;
          }
        }
        this.db.exec(auditGuardSql);
        this.record(systemActor, 'audit.chainStart', 'audit', 'audit_log', null, {
          rowsHashed: count,
          lastRowHashed: lastId,
          note: 'rows before the chain existed were hashed when it was introduced',
        });
      })
      .immediate();
  }

  /** Records the first problem of a broken chain, once per distinct break. */
  recordBreak(state: AuditChainState): void {
    if (state.intact) return;
    const first = state.problems[0]!;
    const summary = { firstBrokenRow: first.id, kind: first.kind, problems: state.problemCount };
    const last = this.db.prepare(`SELECT after_json FROM audit_log WHERE action = 'audit.chainBroken' ORDER BY id DESC LIMIT 1`).get() as { after_json: string | null } | undefined;
    if (last?.after_json === JSON.stringify(summary)) return;
    this.record(systemActor, 'audit.chainBroken', 'audit', 'audit_log', null, summary);
  }
}
