import { createHash } from 'node:crypto';
import { AppError } from '../contract/errors.js';
import { screeningModelBodySchema, type ScreeningModel, type ScreeningModelBody, type ScreeningModelSummary } from '../contract/screening.js';
import { canonicalJson } from '../domain/canonicalJson.js';
import type { AuditLog } from './auditLog.js';
import type { Clock } from './clock.js';
import type { Db } from './database.js';

interface ScreeningModelRow {
  id: string;
  name: string;
  sha256: string;
  body_json: string;
  status: ScreeningModelSummary['status'];
  origin: string;
  job_id: number | null;
  created_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
}

/** SHA-256 of a model body's canonical JSON: what names the model and what its exchange file carries. */
export function screeningModelSha256(body: ScreeningModelBody): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export const screeningModelIdOf = (sha256: string): string => `lr-${sha256.slice(0, 12)}`;

/** The id of the stage 2 bundle an accepted head on video features is written into. */
export const headBundleIdOf = (modelId: string): string => `head-${modelId}`;

/** Screening models trained here or imported; the newest accepted one is the active one. */
export class ScreeningModelsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  private activeId(): string | null {
    // a head on video features gives its verdicts as a stage 2 bundle, never as the posture model
    const row = this.db
      .prepare(`SELECT id FROM screening_models WHERE status = 'accepted' AND json_extract(body_json, '$.videoFeatures') IS NULL ORDER BY accepted_at DESC, rowid DESC LIMIT 1`)
      .get() as { id: string } | undefined;
    return row?.id ?? null;
  }

  private toModel(row: ScreeningModelRow, activeId: string | null): ScreeningModel {
    const body = screeningModelBodySchema.parse(JSON.parse(row.body_json));
    return {
      id: row.id,
      name: row.name,
      sha256: row.sha256,
      status: row.status,
      active: row.id === activeId,
      createdAt: row.created_at,
      acceptedAt: row.accepted_at,
      acceptedBy: row.accepted_by,
      features: body.features,
      videoFeatures: body.videoFeatures ?? null,
      headBundleId: body.videoFeatures && this.db.prepare('SELECT 1 FROM model_bundles WHERE id = ?').get(headBundleIdOf(row.id)) ? headBundleIdOf(row.id) : null,
      patients: body.cohort.patients,
      balancedAccuracy: body.evaluation.patient.balancedAccuracy,
      auroc: body.evaluation.patient.auroc,
      beatsChance: body.beatsChance,
      fused: body.fusion !== null,
      origin: row.origin,
      body,
    };
  }

  /** Newest first. */
  list(): ScreeningModelSummary[] {
    const active = this.activeId();
    return (this.db.prepare('SELECT * FROM screening_models ORDER BY created_at DESC, rowid DESC').all() as ScreeningModelRow[]).map((row) => {
      const { body: _body, ...summary } = this.toModel(row, active);
      return summary;
    });
  }

  find(id: string): ScreeningModel | undefined {
    const row = this.db.prepare('SELECT * FROM screening_models WHERE id = ?').get(id) as ScreeningModelRow | undefined;
    return row ? this.toModel(row, this.activeId()) : undefined;
  }

  get(id: string): ScreeningModel {
    const model = this.find(id);
    if (!model) throw new AppError('SCREENING_MODEL_NOT_FOUND', id);
    return model;
  }

  /** The model patient verdicts use: the newest accepted posture-measure model. */
  active(): ScreeningModel | undefined {
    const id = this.activeId();
    return id ? this.get(id) : undefined;
  }

  /**
   * Stores a model (status "trained"); the same body again returns the stored one unchanged
   * (its id is its hash), so importing a model twice or re-running a job adds nothing.
   */
  insert(actor: string, input: { body: ScreeningModelBody; origin: string; jobId: number | null }): ScreeningModel {
    return this.db.transaction(() => {
      const sha256 = screeningModelSha256(input.body);
      const id = screeningModelIdOf(sha256);
      const existing = this.find(id);
      if (existing) return existing;
      this.db
        .prepare(`INSERT INTO screening_models (id, name, sha256, body_json, status, origin, job_id, created_at) VALUES (?, ?, ?, ?, 'trained', ?, ?, ?)`)
        .run(id, input.body.name, sha256, JSON.stringify(input.body), input.origin, input.jobId, this.clock());
      const b = input.body;
      this.audit.record(actor, 'screening-model.add', 'screening-model', id, null, {
        sha256,
        name: b.name,
        origin: input.origin,
        features: b.features,
        cohort: b.cohort,
        protocol: b.protocol,
        balancedAccuracy: b.evaluation.patient.balancedAccuracy,
        auroc: b.evaluation.patient.auroc,
        beatsChance: b.beatsChance,
        fused: b.fusion !== null,
      });
      return this.get(id);
    })();
  }

  /** Makes the model the active one (a retired model can be accepted again: the audit log keeps both steps). */
  accept(actor: string, id: string): ScreeningModel {
    return this.db.transaction(() => {
      const before = this.get(id);
      const previous = this.activeId();
      this.db.prepare(`UPDATE screening_models SET status = 'accepted', accepted_at = ?, accepted_by = ? WHERE id = ?`).run(this.clock(), actor, id);
      this.audit.record(actor, 'screening-model.accept', 'screening-model', id, { status: before.status, active: previous }, { status: 'accepted', active: id, beatsChance: before.beatsChance });
      return this.get(id);
    })();
  }

  retire(actor: string, id: string): ScreeningModel {
    return this.db.transaction(() => {
      const before = this.get(id);
      this.db.prepare(`UPDATE screening_models SET status = 'retired' WHERE id = ?`).run(id);
      this.audit.record(actor, 'screening-model.retire', 'screening-model', id, { status: before.status, active: before.active }, { status: 'retired' });
      return this.get(id);
    })();
  }
}
