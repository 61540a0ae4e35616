import { rm } from 'node:fs/promises';
import type { ModelBundle } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import { copyBundle, openBundle, type OpenedBundle } from '../classify/bundle.js';
import type { BundleManifest } from '../classify/bundleManifest.js';
import type { Store } from '../store/store.js';

interface BundleRow {
  id: string;
  name: string;
  version: string;
  sha256: string;
  vault_path: string;
  manifest_json: string;
  validated: number;
  imported_at: string;
}

const toBundle = (row: BundleRow): ModelBundle => {
  const manifest = JSON.parse(row.manifest_json) as BundleManifest;
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    architecture: String(manifest.architecture.family),
    sha256: row.sha256,
    validated: row.validated === 1,
    importedAt: row.imported_at,
    threshold: manifest.threshold,
    intendedUse: manifest.intendedUse,
    manifest: manifest as unknown as Record<string, unknown>,
  };
};

/** Installed model bundles: checked on import, stored in the vault under their hash. */
export class ModelService {
  constructor(private readonly store: Store) {}

  list(): ModelBundle[] {
    return (this.store.db.prepare('SELECT * FROM model_bundles ORDER BY imported_at DESC').all() as BundleRow[]).map(toBundle);
  }

  get(id: string): ModelBundle {
    const row = this.store.db.prepare('SELECT * FROM model_bundles WHERE id = ?').get(id) as BundleRow | undefined;
    if (!row) throw new AppError('MODEL_NOT_FOUND', id);
    return toBundle(row);
  }

  /** The folder of an installed bundle, for the classifier. */
  folderOf(id: string): string {
    const row = this.store.db.prepare('SELECT vault_path FROM model_bundles WHERE id = ?').get(id) as { vault_path: string } | undefined;
    if (!row) throw new AppError('MODEL_NOT_FOUND', id);
    return this.store.vault.absolute(row.vault_path);
  }

  /** The one to use when none is named: the newest validated bundle, else the newest. */
  defaultModel(): ModelBundle {
    const all = this.list();
    const chosen = all.find((m) => m.validated) ?? all[0];
    if (!chosen) throw new AppError('NO_MODEL_INSTALLED');
    return chosen;
  }

  async import(actor: string, source: string): Promise<ModelBundle> {
    const bundle: OpenedBundle = await openBundle(source);
    try {
      const existing = this.store.db.prepare('SELECT id, sha256 FROM model_bundles WHERE id = ?').get(bundle.manifest.id) as { id: string; sha256: string } | undefined;
      if (existing && existing.sha256 === bundle.sha256) return this.get(existing.id);
      if (existing) throw new AppError('MODEL_INVALID', `a different model with id ${existing.id} is already installed; remove it first or give the new bundle its own id`);
      const vaultPath = `models/${bundle.sha256}`;
      const temp = this.store.vault.tempPath('-bundle');
      await copyBundle(bundle, temp);
      await this.store.vault.adopt(temp, vaultPath).catch(async (error: unknown) => {
        await rm(temp, { recursive: true, force: true });
        throw error;
      });
      this.store.db.transaction(() => {
        this.store.db
          .prepare(`INSERT INTO model_bundles (id, name, version, sha256, vault_path, manifest_json, validated, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(bundle.manifest.id, bundle.manifest.name, bundle.manifest.version, bundle.sha256, vaultPath, JSON.stringify(bundle.manifest), bundle.manifest.validated ? 1 : 0, this.store.clock());
        this.store.audit.record(actor, 'model.import', 'model', bundle.manifest.id, null, { id: bundle.manifest.id, version: bundle.manifest.version, sha256: bundle.sha256, validated: bundle.manifest.validated });
      })();
      return this.get(bundle.manifest.id);
    } finally {
      await bundle.dispose();
    }
  }

  async remove(actor: string, id: string): Promise<void> {
    const model = this.get(id);
    const used = this.store.db.prepare('SELECT COUNT(*) AS n FROM analyses WHERE model_id = ?').get(id) as { n: number };
    this.store.db.transaction(() => {
      // Results keep the model's id and hash in their provenance; the link is cleared.
      this.store.db.prepare('UPDATE analyses SET model_id = NULL WHERE model_id = ?').run(id);
      this.store.db.prepare('DELETE FROM study_fold_models WHERE model_id = ?').run(id);
      this.store.db.prepare('UPDATE studies SET model_id = NULL WHERE model_id = ?').run(id);
      this.store.db.prepare('DELETE FROM model_bundles WHERE id = ?').run(id);
      this.store.audit.record(actor, 'model.remove', 'model', id, { id, sha256: model.sha256, resultsUsingIt: used.n }, null);
    })();
    await this.store.vault.remove(`models/${model.sha256}`);
  }
}
