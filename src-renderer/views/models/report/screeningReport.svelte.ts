/**
 * One screening model's cross-validation report (`screening.get`) and what its page does:
 * accept it, export its JSON file, download the report as PDF, HTML, CSV or JSON.
 */
import type { ScreeningModel } from '../../../../src-main/contract/screening.js';
import type { WalkScopeClient } from '../../../lib/api/client.js';
import { downloadFile } from '../../../lib/download.js';
import { t } from '../../../lib/i18n.svelte.js';
import { acceptedHeadNotice, acceptModel, exportModel } from '../screeningActions.js';

export type ReportFormat = 'pdf' | 'html' | 'csv' | 'json';

export class ScreeningReport {
  model = $state.raw<ScreeningModel | null>(null);
  loadError = $state<string | null>(null);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  /** The report format being made, while it is. */
  making = $state<ReportFormat | null>(null);
  private id = '';

  /** `client` is a getter so a component can pass its prop without capturing its first value. */
  constructor(
    private readonly client: () => WalkScopeClient,
    private readonly ask: (question: string) => boolean = (q) => confirm(q),
  ) {}

  async load(id: string): Promise<void> {
    this.id = id;
    try {
      const model = await this.client().call('screening.get', { id });
      if (id !== this.id) return;
      this.model = model;
      this.loadError = null;
    } catch (e) {
      if (id === this.id) this.loadError = (e as Error).message;
    }
  }

  async accept(): Promise<void> {
    if (!this.model) return;
    this.notice = null;
    try {
      const accepted = await acceptModel(this.client(), this.model, this.ask);
      if (!accepted) return;
      this.notice = acceptedHeadNotice(accepted) ?? t('screeningReport.view.accepted', { name: accepted.name });
      await this.load(this.id);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  async exportJson(): Promise<void> {
    if (!this.model) return;
    try {
      await exportModel(this.client(), this.model);
    } catch (e) {
      this.error = t('screeningReport.view.exportFailed', { reason: (e as Error).message });
    }
  }

  async report(format: ReportFormat): Promise<void> {
    if (!this.model) return;
    this.making = format;
    try {
      downloadFile(await this.client().call('screening.report', { id: this.model.id, format }));
    } catch (e) {
      this.error = t('screeningReport.view.reportFailed', { format: format.toUpperCase(), reason: (e as Error).message });
    } finally {
      this.making = null;
    }
  }
}
