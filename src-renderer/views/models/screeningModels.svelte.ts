/**
 * The screening models of the Models screen: the list (`screening.list`), and what is done to
 * them from it (accept, retire, export, import a model file). Sentences for the user land in
 * `error` and `notice`.
 */
import type { ScreeningModelSummary } from '../../../src-main/contract/screening.js';
import type { WalkScopeClient } from '../../lib/api/client.js';
import { acceptModel, exportModel, retireModel } from './screeningActions.js';

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
      this.error = `The screening models could not be listed: ${(e as Error).message}`;
    } finally {
      this.loaded = true;
    }
  }

  async accept(model: ScreeningModelSummary): Promise<void> {
    await this.act(async () => {
      const accepted = await acceptModel(this.client(), model, this.ask);
      if (accepted) this.notice = `${accepted.name} is accepted: patient verdicts now use it.`;
      return accepted !== null;
    });
  }

  async retire(model: ScreeningModelSummary): Promise<void> {
    await this.act(async () => {
      const retired = await retireModel(this.client(), model, this.ask);
      if (retired) this.notice = `${retired.name} is retired: patient verdicts no longer use it.`;
      return retired !== null;
    });
  }

  async exportJson(model: ScreeningModelSummary): Promise<void> {
    try {
      await exportModel(this.client(), model);
    } catch (e) {
      this.error = `${model.name} could not be exported: ${(e as Error).message}`;
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
          this.notice = `Imported ${model.name} from ${file.name} (status ${model.status}; accept it to use it for patient verdicts).`;
        } catch (e) {
          this.error = `${file.name}: ${(e as Error).message}`;
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
