/**
 * The explanation of one patient's screening verdict (`screening.explain`), for the patient
 * page and the review: loaded again when the patient changes or the page says something
 * changed (a measurement finished). Only the newest request's answer is kept.
 */
import type { ScreeningExplanation } from '../../../src-main/contract/screening.js';
import type { WalkScopeClient } from '../../lib/api/client.js';
import { t } from '../../lib/i18n.svelte.js';

export class ScreeningExplanationState {
  explanation = $state.raw<ScreeningExplanation | null>(null);
  /** Why there is no explanation, in one sentence (from the back end). */
  reason = $state<string | null>(null);
  /** What is missing when there is no explanation: an accepted model, or measurements it can use. */
  missing = $state<'model' | 'measurements' | null>(null);
  /** The call itself failed. */
  error = $state<string | null>(null);
  loaded = $state(false);
  private request = 0;

  /** `client` is a getter so a component can pass its prop without capturing its first value. */
  constructor(private readonly client: () => WalkScopeClient) {}

  async load(code: string, modelId?: string): Promise<void> {
    const mine = ++this.request;
    try {
      const reply = await this.client().call('screening.explain', modelId ? { code, modelId } : { code });
      if (mine !== this.request) return;
      this.explanation = reply.explanation;
      this.reason = reply.explanation ? null : reply.missing === 'model' ? t('patients.explanation.noModel') : (reply.reason ?? t('patients.explanation.noVerdict'));
      this.missing = reply.explanation ? null : reply.missing;
      this.error = null;
    } catch (e) {
      if (mine !== this.request) return;
      this.explanation = null;
      this.reason = null;
      this.missing = null;
      this.error = t('patients.explanation.loadFailed', { message: (e as Error).message });
    } finally {
      if (mine === this.request) this.loaded = true;
    }
  }
}
