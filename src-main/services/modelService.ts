import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { ModelBundle } from '../contract/entities.js';
import { AppError, errorMessage } from '../contract/errors.js';
import { copyBundle, openBundle } from '../classify/bundle.js';
import { bundleVaultPath, publicBundle, type StoredBundle } from '../store/modelBundlesRepo.js';
import type { ServiceContext } from './serviceContext.js';

/** Installed stage 2 model bundles: checked on import, kept in the vault under their hash. */
export class ModelService {
  constructor(private readonly ctx: ServiceContext) {}

  list(): ModelBundle[] {
    return this.ctx.store.modelBundles.list().map(publicBundle);
  }

  get(id: string): ModelBundle {
    return publicBundle(this.ctx.store.modelBundles.get(id));
  }

  /** The installed bundles that classify (feature backbones give no verdict and are left out). */
  classifiers(): ModelBundle[] {
    return this.list().filter((m) => m.kind === 'classifier');
  }

  /** The named bundle, if it classifies; a feature backbone is refused with AppError('MODEL_IS_FEATURE_BACKBONE'). */
  classifier(id: string): ModelBundle {
    const bundle = this.get(id);
    if (bundle.kind === 'features') throw new AppError('MODEL_IS_FEATURE_BACKBONE', bundle.name);
    return bundle;
  }

  /** The folder of an installed bundle, for the classifier. */
  folderOf(id: string): string {
    return this.ctx.store.vault.absolute(this.ctx.store.modelBundles.get(id).vaultPath);
  }

  /** The classifier to use when none is named: the newest validated one, else the newest (never a feature backbone). */
  defaultModel(): ModelBundle {
    return publicBundle(this.defaultStored());
  }

  /** The named classifier, or the default one (stage 2: a feature backbone is refused). */
  chosen(id: string | undefined): ModelBundle {
    return id ? this.classifier(id) : this.defaultModel();
  }

  /** Why stage 2 cannot run now (no classifier installed), or undefined when it can. */
  noClassifierReason(): string | undefined {
    const all = this.list();
    if (all.some((m) => m.kind === 'classifier')) return undefined;
    const backbone = all.find((m) => m.kind === 'features');
    return backbone ? errorMessage('MODEL_IS_FEATURE_BACKBONE', backbone.name) : errorMessage('NO_MODEL_INSTALLED');
  }

  private defaultStored(): StoredBundle {
    const all = this.ctx.store.modelBundles.list().filter((m) => m.kind === 'classifier');
    const chosen = all.find((m) => m.validated) ?? all[0];
    if (!chosen) throw new AppError('NO_MODEL_INSTALLED');
    return chosen;
  }

  /**
   * A bundle to classify with, named on the command line: a bundle folder or zip on disk, an
   * installed model's id, or (nothing named) the default installed model.
   */
  resolveBundlePath(named: string | undefined): string {
    if (named && existsSync(named)) return named;
    if (named && !this.ctx.store.modelBundles.find(named)) throw new AppError('MODEL_NOT_FOUND', `${named} (neither a bundle folder or zip on disk nor an installed model)`);
    return this.ctx.store.vault.absolute(named ? this.ctx.store.modelBundles.get(named).vaultPath : this.defaultStored().vaultPath);
  }

  /** `importedFrom`: the name the user gave the bundle by (its zip's or folder's), kept as its provenance. */
  async import(actor: string, source: string, importedFrom?: string): Promise<ModelBundle> {
    const bundle = await openBundle(source);
    try {
      const existing = this.ctx.store.modelBundles.find(bundle.manifest.id);
      if (existing && existing.sha256 === bundle.sha256) return publicBundle(existing);
      if (existing) throw new AppError('MODEL_INVALID', `a different model with id ${existing.id} is already installed; remove it first or give the new bundle its own id`);
      const vaultPath = bundleVaultPath(bundle.sha256);
      const temp = this.ctx.store.vault.tempPath('-bundle');
      await copyBundle(bundle, temp);
      await this.ctx.store.vault.adopt(temp, vaultPath).catch(async (error: unknown) => {
        await rm(temp, { recursive: true, force: true });
        throw error;
      });
      const { manifest } = bundle;
      return publicBundle(this.ctx.store.modelBundles.insert(actor, { id: manifest.id, name: manifest.name, version: manifest.version, sha256: bundle.sha256, vaultPath, manifest, validated: manifest.validated, importedFrom: importedFrom ?? null }));
    } finally {
      await bundle.dispose();
    }
  }

  async remove(actor: string, id: string): Promise<void> {
    const bundle = this.ctx.store.modelBundles.get(id);
    this.ctx.store.modelBundles.remove(actor, id);
    await this.ctx.store.vault.remove(bundle.vaultPath);
  }
}
