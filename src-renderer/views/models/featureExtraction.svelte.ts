/**
 * Where the clip features of one feature backbone stand over the cohort's analysed videos
 * (`features.status`), and their extraction (`features.extract`, one `features` job per video).
 * The jobs are followed through `job.updated` events: when one of them ends the status is read
 * again and `onFinished` is called (the cohort's refusal depends on it). Nothing polls.
 */
import type { Job } from '../../../src-main/contract/entities.js';
import type { FeatureExtraction } from '../../../src-main/contract/screening.js';
import type { WalkScopeClient } from '../../lib/api/client.js';
import { t } from '../../lib/i18n.svelte.js';

interface Scope {
  bundleId: string;
  patientCodes?: string[];
}

const ended = (job: Job) => job.status === 'done' || job.status === 'failed' || job.status === 'cancelled';

/** Analysed videos that have neither features nor an extraction under way. */
export const toExtract = (x: FeatureExtraction): number => Math.max(0, x.videos - x.notAnalysed - x.extracted - x.pending);

export class VideoFeatureExtraction {
  status = $state.raw<FeatureExtraction | null>(null);
  loading = $state(false);
  extracting = $state(false);
  error = $state<string | null>(null);
  /** Extractions that failed or were cancelled since the last extract. */
  failed = $state(0);
  private scope: Scope | null = null;
  private ask = 0;
  /** Features jobs not yet ended that this screen knows of (queued here, or seen running). */
  private following = new Set<number>();

  constructor(
    private readonly client: () => WalkScopeClient,
    private readonly onFinished: () => void = () => {},
  ) {}

  /** Reads the status for a backbone and the cohort's patients; null stops (posture measures chosen). */
  async load(scope: Scope | null): Promise<void> {
    this.scope = scope;
    const mine = ++this.ask;
    if (!scope) {
      this.status = null;
      this.error = null;
      this.loading = false;
      return;
    }
    this.loading = true;
    try {
      const status = await this.client().call('features.status', scope);
      if (mine !== this.ask) return;
      this.status = status;
      this.error = null;
    } catch (e) {
      if (mine !== this.ask) return;
      this.status = null;
      this.error = t('models.extraction.statusFailed', { message: (e as Error).message });
    } finally {
      if (mine === this.ask) this.loading = false;
    }
  }

  async extract(): Promise<void> {
    const scope = this.scope;
    if (!scope || this.extracting) return;
    this.extracting = true;
    this.error = null;
    this.failed = 0;
    try {
      const queued = await this.client().call('features.extract', scope);
      for (const id of queued.queuedJobIds) this.following.add(id);
      if (scope === this.scope) this.status = queued;
    } catch (e) {
      this.error = t('models.extraction.extractFailed', { message: (e as Error).message });
    } finally {
      this.extracting = false;
    }
  }

  /** Every `job.updated` event; an extraction that ends reads the status again. */
  async onJob(job: Job): Promise<void> {
    if (job.kind !== 'features' || !this.scope) return;
    if (!ended(job)) {
      // also extractions queued elsewhere (the CLI, another window): the status counts them as pending
      this.following.add(job.id);
      return;
    }
    if (!this.following.delete(job.id)) return;
    if (job.status !== 'done') this.failed += 1;
    await this.load(this.scope);
    if (this.following.size === 0) this.onFinished();
  }
}
