import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * The audit log's hash chain. Every row carries `prev_hash` (the hash of the row before it,
 * or the genesis value for the first) and `hash` = SHA-256 of the canonical serialisation
 * of its content and `prev_hash`. Changing, removing or reordering rows breaks the chain at
 * the first row affected; `verifyAuditChain` names it. Adding rows at the end with hashes
 * recomputed cannot be told from WalkScope's own rows without a head noted elsewhere, so
 * `walkscope audit verify` prints the head for the hospital to keep.
 */

/** The prev_hash of the first row of the chain. */
export const auditGenesis = '0'.repeat(64);

/** What the hash covers: the row as stored (before and after as their stored JSON text). */
export interface AuditRowContent {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  beforeJson: string | null;
  afterJson: string | null;
}

/** SHA-256 (hex) over a JSON array of a version tag, the row's content and prev_hash: unambiguous for any text. */
export function auditRowHash(row: AuditRowContent, prevHash: string): string {
  const canonical = JSON.stringify(['walkscope-audit-v1', row.id, row.at, row.actor, row.action, row.entity, row.entityId, row.beforeJson, row.afterJson, prevHash]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** The SQL function the insert computes the hash with, so reading the previous hash and writing the row are one statement. */
export const auditHashFunction = 'walkscope_audit_hash';

export function registerAuditHashFunction(db: Database.Database): void {
  db.function(auditHashFunction, { deterministic: true }, (id, at, actor, action, entity, entityId, beforeJson, afterJson, prevHash) =>
    auditRowHash(
      { id: Number(id), at: String(at), actor: String(actor), action: String(action), entity: String(entity), entityId: String(entityId), beforeJson: beforeJson === null ? null : String(beforeJson), afterJson: afterJson === null ? null : String(afterJson) },
      String(prevHash),
    ),
  );
}

/** The triggers that refuse UPDATE and DELETE; created by migration 1 and re-created on every open if someone dropped them. */
export const auditGuardSql = `
  CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

/** Re-creates the append-only triggers when they are missing; returns the names it had to re-create. */
export function restoreAuditGuards(db: Database.Database): string[] {
  const present = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'`).all() as Array<{ name: string }>).map((r) => r.name));
  const missing = ['audit_log_no_update', 'audit_log_no_delete'].filter((name) => !present.has(name));
  if (missing.length > 0) db.exec(auditGuardSql);
  return missing;
}

export type AuditChainProblemKind = 'content-changed' | 'row-missing' | 'order-broken' | 'not-hashed';

export interface AuditChainProblem {
  /** The first row at which the chain no longer holds. */
  id: number;
  at: string;
  action: string;
  kind: AuditChainProblemKind;
  /** What is wrong, in a sentence. */
  detail: string;
}

export interface AuditChainState {
  intact: boolean;
  rows: number;
  /** The newest row and its hash: note it outside this computer to detect later removal of the newest rows. */
  head: { id: number; hash: string | null } | null;
  /** The first problems found, in row order (at most `problemLimit`). */
  problems: AuditChainProblem[];
  problemCount: number;
  /** When the chain was introduced over rows that existed before it (their earlier history cannot be checked). */
  chainStarted: { at: string; rowsHashed: number; lastRowHashed: number } | null;
  checkedAt: string;
}

export interface StoredAuditRow extends AuditRowContent {
  prevHash: string | null;
  hash: string | null;
}

const problemLimit = 20;
const kindWords: Record<AuditChainProblemKind, string> = {
  'content-changed': 'content changed',
  'row-missing': 'row missing',
  'order-broken': 'order broken',
  'not-hashed': 'not hashed',
};

/** "content changed", "row missing", ... */
export function problemKindWords(kind: AuditChainProblemKind): string {
  return kindWords[kind];
}

/** Walks the rows in id order and checks every row's own hash and its link to the row before it. */
export function verifyAuditChain(rows: Iterable<StoredAuditRow>, checkedAt: string): AuditChainState {
  const problems: AuditChainProblem[] = [];
  let problemCount = 0;
  let count = 0;
  let previous: StoredAuditRow | undefined;
  let chainStarted: AuditChainState['chainStarted'] = null;
  const report = (row: StoredAuditRow, kind: AuditChainProblemKind, detail: string) => {
    problemCount += 1;
    if (problems.length < problemLimit) problems.push({ id: row.id, at: row.at, action: row.action, kind, detail });
  };
  for (const row of rows) {
    count += 1;
    const expectedId = previous ? previous.id + 1 : 1;
    if (row.action === 'audit.chainStart' && chainStarted === null) chainStarted = chainStartOf(row);
    if (row.hash === null || row.prevHash === null) {
      report(row, 'not-hashed', 'it has no hash (written outside WalkScope, or its hash was removed)');
    } else if (auditRowHash(row, row.prevHash) !== row.hash) {
      report(row, 'content-changed', 'its content no longer matches its hash (changed after it was written)');
    } else if (row.id !== expectedId) {
      report(row, 'row-missing', row.id - expectedId === 1 ? `row ${expectedId} before it is missing (deleted)` : `rows ${expectedId} to ${row.id - 1} before it are missing (deleted)`);
    } else if (previous === undefined ? row.prevHash !== auditGenesis : previous.hash !== null && row.prevHash !== previous.hash) {
      report(row, 'order-broken', previous === undefined ? 'it is the first row but is chained to another row' : `it is not chained to row ${previous.id}: that row was replaced, or rows were reordered`);
    }
    previous = row;
  }
  return {
    intact: problemCount === 0,
    rows: count,
    head: previous ? { id: previous.id, hash: previous.hash } : null,
    problems,
    problemCount,
    chainStarted,
    checkedAt,
  };
}

function chainStartOf(row: StoredAuditRow): AuditChainState['chainStarted'] {
  try {
    const after = JSON.parse(row.afterJson ?? 'null') as { rowsHashed?: unknown; lastRowHashed?: unknown } | null;
    if (typeof after?.rowsHashed === 'number' && typeof after.lastRowHashed === 'number') return { at: row.at, rowsHashed: after.rowsHashed, lastRowHashed: after.lastRowHashed };
  } catch {
    // a changed row: reported by its hash
  }
  return null;
}
