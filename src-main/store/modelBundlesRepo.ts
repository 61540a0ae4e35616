import type { ModelBundle } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import type { Db } from './database.js';
import type { Clock } from './clock.js';
import type { AuditLog } from './auditLog.js';

interface BundleRow {
  id: string;
  name: string;
  version: string;
  sha256: string;
  vault_path: string;
  manifest_json: string;
  validated: number;
  imported_at: string;
  imported_from: string | null;
}

/** What the list reads from a stored manifest (classify/bundleManifest.ts checked the whole of it on import). */
interface StoredManifest {
  architecture: { family: unknown };
  /** Absent for a feature backbone. */
  threshold?: number;
  output?: { kind: string; featureSize?: number };
  intendedUse: string;
  input?: { frames: number; clipSeconds: number; size: number; fps?: number };
  provenance?: { trainingData: string; date: string; authors: string[]; checkpoint?: { file: string; sha256: string }; validation?: string; crossValidatedMetrics?: { summary?: unknown } | null };
}

export interface StoredBundle extends ModelBundle {
  /** The bundle's folder inside the vault (`models/<sha256>`). */
  vaultPath: string;
}

function toBundle(row: BundleRow): StoredBundle {
  const manifest = JSON.parse(row.manifest_json) as StoredManifest & Record<string, unknown>;
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    architecture: String(manifest.architecture.family),
    sha256: row.sha256,
    validated: row.validated === 1,
    importedAt: row.imported_at,
    kind: manifest.output?.kind === 'features' ? 'features' : 'classifier',
    featureSize: manifest.output?.kind === 'features' ? (manifest.output.featureSize ?? null) : null,
    threshold: manifest.threshold ?? null,
    intendedUse: manifest.intendedUse,
    input: manifest.input ? { frames: manifest.input.frames, clipSeconds: manifest.input.clipSeconds, fps: manifest.input.fps ?? null, size: manifest.input.size } : null,
    provenance: manifest.provenance
      ? {
          trainingData: manifest.provenance.trainingData,
          date: manifest.provenance.date,
          authors: manifest.provenance.authors,
          checkpoint: manifest.provenance.checkpoint ? { file: manifest.provenance.checkpoint.file, sha256: manifest.provenance.checkpoint.sha256 } : null,
          validation: manifest.provenance.validation ?? null,
          crossValidated: typeof manifest.provenance.crossValidatedMetrics?.summary === 'string' ? manifest.provenance.crossValidatedMetrics.summary : null,
        }
      : null,
    importedFrom: row.imported_from,
    manifest,
    vaultPath: row.vault_path,
  };
}

/** Strips store-only fields for the contract. */
export function publicBundle(bundle: StoredBundle): ModelBundle {
  const { vaultPath: _v, ...rest } = bundle;
  return rest;
}

/** The vault folder a bundle with this model hash is kept in. */
export const bundleVaultPath = (sha256: string): string => `models/${sha256}`;

/** Installed stage 2 model bundles (their files live in the vault under their hash). */
export class ModelBundlesRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** Newest import first. */
  list(): StoredBundle[] {
    return (this.db.prepare('SELECT * FROM model_bundles ORDER BY imported_at DESC, rowid DESC').all() as BundleRow[]).map(toBundle);
  }

  find(id: string): StoredBundle | undefined {
    const row = this.db.prepare('SELECT * FROM model_bundles WHERE id = ?').get(id) as BundleRow | undefined;
    return row ? toBundle(row) : undefined;
  }

  get(id: string): StoredBundle {
    const bundle = this.find(id);
    if (!bundle) throw new AppError('MODEL_NOT_FOUND', id);
    return bundle;
  }

  /** `importedFrom`: the zip's or folder's name the user gave. */
  insert(actor: string, input: { id: string; name: string; version: string; sha256: string; vaultPath: string; manifest: unknown; validated: boolean; importedFrom?: string | null }): StoredBundle {
    return this.db.transaction(() => {
      this.db
        .prepare(`INSERT INTO model_bundles (id, name, version, sha256, vault_path, manifest_json, validated, imported_at, imported_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(input.id, input.name, input.version, input.sha256, input.vaultPath, JSON.stringify(input.manifest), input.validated ? 1 : 0, this.clock(), input.importedFrom ?? null);
      this.audit.record(actor, 'model.import', 'model', input.id, null, { id: input.id, version: input.version, sha256: input.sha256, validated: input.validated, importedFrom: input.importedFrom ?? null });
      return this.get(input.id);
    })();
  }

  /**
   * Removes the row; results keep the model's id and hash in their provenance (their link is
   * cleared) and studies forget it as their model or a fold's model.
   */
  remove(actor: string, id: string): void {
    this.db.transaction(() => {
      const bundle = this.get(id);
      const used = (this.db.prepare('SELECT COUNT(*) AS n FROM analyses WHERE model_id = ?').get(id) as { n: number }).n;
      this.db.prepare('UPDATE analyses SET model_id = NULL WHERE model_id = ?').run(id);
      this.db.prepare('DELETE FROM study_fold_models WHERE model_id = ?').run(id);
      this.db.prepare('UPDATE studies SET model_id = NULL WHERE model_id = ?').run(id);
      this.db.prepare('DELETE FROM model_bundles WHERE id = ?').run(id);
      this.audit.record(actor, 'model.remove', 'model', id, { id, sha256: bundle.sha256, resultsUsingIt: used }, null);
    })();
  }

  /** Vault folders of installed bundles (kept by the orphan sweep). */
  vaultPaths(): string[] {
    return (this.db.prepare('SELECT vault_path AS p FROM model_bundles').all() as Array<{ p: string }>).map((r) => r.p);
  }
}
