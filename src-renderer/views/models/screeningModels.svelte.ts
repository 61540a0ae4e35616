/**
 * The screening models of the Models screen: the list (`screening.list`), and what is done to
 * them from it (accept, retire, export, import a model file). Sentences for the user land in
 * `error` and `notice`.
 */
import type { ScreeningModelSummary } from '../../../src-main/contract/screening.js';
import type { WalkScopeClient } from '../../lib/api/client.js';
import { t } from '../../lib/i18n.svelte.js';
import { acceptedHeadNotice, acceptModel, exportModel, retireModel } from './screeningActions.js';
import { statusWord } from './statusWords.js';

export class ScreeningModels {
  models = $state.raw<ScreeningModelSummary[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  importing = $state(false);

  /** `client` is a getter so a component can pass its prop without capturing its first value. */
  constructor(
    private readonly client: () => WalkScopeClient,
    private readonly ask: (question: string) => boolean = (q) => confirm(q),
  ) {}

  async load(): Promise<void> {
    try {
      this.models = await this.client().call('screening.list', {});
    } catch (e) {
      this.error = t('models.screening.listFailed', { message: (e as Error).message });
    } finally {
      this.loaded = true;
    }
  }

  async accept(model: ScreeningModelSummary): Promise<void> {
    await this.act(async () => {
      const accepted = await acceptModel(this.client(), model, this.ask);
      if (accepted) this.notice = acceptedHeadNotice(accepted) ?? t('models.screening.accepted', { name: accepted.name });
      return accepted !== null;
    });
  }

  async retire(model: ScreeningModelSummary): Promise<void> {
    await this.act(async () => {
      const retired = await retireModel(this.client(), model, this.ask);
      if (retired) this.notice = t('models.screening.retired', { name: retired.name });
      return retired !== null;
    });
  }

  async exportJson(model: ScreeningModelSummary): Promise<void> {
    try {
      await exportModel(this.client(), model);
    } catch (e) {
      this.error = t('models.screening.exportFailed', { name: model.name, message: (e as Error).message });
    }
  }

  async importFiles(files: File[]): Promise<void> {
    this.importing = true;
    this.notice = null;
    try {
      for (const file of files) {
        try {
          const source = await this.client().importSourceFor(file);
          const model = await this.client().call('screening.import', { source });
          this.notice = t('models.screening.importedModel', { name: model.name, source: file.name, status: statusWord(model) });
        } catch (e) {
          this.error = t('models.screening.importFailed', { source: file.name, message: (e as Error).message });
        }
      }
      await this.load();
    } finally {
      this.importing = false;
    }
  }

  /** Runs a change and lists again when it happened. */
  private async act(change: () => Promise<boolean>): Promise<void> {
    this.notice = null;
    try {
      if (await change()) await this.load();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }
}
