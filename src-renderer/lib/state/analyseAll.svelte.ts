import type { Job, Video } from '../../../src-main/contract/entities.js';
import type { WalkScopeClient } from '../api/client.js';

/** Where one video is in an "Analyse all" run. */
export type AnalyseStep = 'stage 1 queued' | 'stage 2 queued' | 'done' | 'stage 1 only' | 'failed';

export interface AnalyseRow {
  videoId: number;
  name: string;
  step: AnalyseStep;
  /** What happened, in words (the error sentence when failed). */
  message: string;
  stage1JobId: number | null;
  stage2JobId: number | null;
}

const finished = (job: Job) => job.status === 'done' || job.status === 'failed' || job.status === 'cancelled';

/**
 * "Analyse all" on the patient page: queues stage 1 for every original video, and stage 2 for
 * each as soon as its stage 1 job is done (stage 2 classifies the person-centred clip stage 1
 * makes). Without an installed model it runs stage 1 only and says so. Job updates arrive
 * through `subscribe` (the page's JobsState); nothing polls.
 */
export class AnalyseAll {
  rows = $state<AnalyseRow[]>([]);
  running = $state(false);
  /** A problem with the whole run (e.g. the model list could not be read). */
  error = $state<string | null>(null);
  hasModel = $state(false);

  /** Final updates of jobs seen before their id was known (a very quick job). */
  private readonly endedEarly = new Map<number, Job>();
  private readonly unsubscribe: () => void;

  /** `client` is a getter so a component can pass its prop without capturing its first value. */
  constructor(
    private readonly client: () => WalkScopeClient,
    subscribe: (listener: (job: Job) => void) => () => void,
  ) {
    this.unsubscribe = subscribe((job) => this.onJob(job));
  }

  dispose(): void {
    this.unsubscribe();
  }

  /** Forgets the rows (another patient is shown); jobs already queued keep running. */
  reset(): void {
    this.rows = [];
    this.error = null;
    this.running = false;
    this.endedEarly.clear();
  }

  get summary(): string {
    const count = (step: AnalyseStep) => this.rows.filter((r) => r.step === step).length;
    const total = this.rows.length;
    const done = count('done') + count('stage 1 only');
    const failed = count('failed');
    return `${done} of ${total} video${total === 1 ? '' : 's'} analysed${failed > 0 ? `, ${failed} failed` : ''}${this.running ? ', working…' : ''}`;
  }

  async start(videos: readonly Video[]): Promise<void> {
    if (this.running) return;
    const originals = videos.filter((v) => v.kind === 'original');
    this.error = null;
    this.endedEarly.clear();
    if (originals.length === 0) {
      this.rows = [];
      this.error = 'This patient has no original videos to analyse. Import a walking video first.';
      return;
    }
    try {
      this.hasModel = (await this.client().call('models.list', {})).length > 0;
    } catch (e) {
      this.error = (e as Error).message;
      return;
    }
    this.running = true;
    this.rows = originals.map((v) => ({ videoId: v.id, name: v.originalName, step: 'stage 1 queued', message: 'Queuing stage 1…', stage1JobId: null, stage2JobId: null }));
    for (const video of originals) {
      try {
        const job = await this.client().call('analyses.runStage1', { videoId: video.id });
        this.update(video.id, { stage1JobId: job.id, message: 'Stage 1 (person-centred clip) queued.' });
        const early = this.endedEarly.get(job.id);
        if (early) this.onJob(early);
      } catch (e) {
        this.update(video.id, { step: 'failed', message: `Stage 1 could not be queued: ${(e as Error).message}` });
      }
    }
    this.settle();
  }

  private update(videoId: number, changes: Partial<AnalyseRow>): void {
    this.rows = this.rows.map((r) => (r.videoId === videoId ? { ...r, ...changes } : r));
  }

  private settle(): void {
    this.running = this.rows.some((r) => r.step === 'stage 1 queued' || r.step === 'stage 2 queued');
  }

  private onJob(job: Job): void {
    if (!finished(job)) return;
    const row = this.rows.find((r) => r.stage1JobId === job.id || r.stage2JobId === job.id);
    if (!row) {
      if (this.running) this.endedEarly.set(job.id, job);
      return;
    }
    const why = job.status === 'cancelled' ? 'it was cancelled' : (job.error?.message ?? job.message);
    if (row.stage1JobId === job.id && row.step === 'stage 1 queued') {
      if (job.status !== 'done') this.update(row.videoId, { step: 'failed', message: `Stage 1 did not finish: ${why}` });
      else if (!this.hasModel) this.update(row.videoId, { step: 'stage 1 only', message: 'Stage 1 done. No classification model is installed, so stage 2 did not run.' });
      else void this.queueStage2(row.videoId);
    } else if (row.stage2JobId === job.id && row.step === 'stage 2 queued') {
      this.update(row.videoId, job.status === 'done' ? { step: 'done', message: 'Stage 1 and stage 2 done.' } : { step: 'failed', message: `Stage 2 did not finish: ${why}` });
    }
    this.settle();
  }

  private async queueStage2(videoId: number): Promise<void> {
    this.update(videoId, { step: 'stage 2 queued', message: 'Stage 1 done; queuing stage 2…' });
    try {
      const job = await this.client().call('analyses.runStage2', { videoId });
      this.update(videoId, { stage2JobId: job.id, message: 'Stage 1 done; stage 2 (classification) queued.' });
      const early = this.endedEarly.get(job.id);
      if (early) this.onJob(early);
    } catch (e) {
      this.update(videoId, { step: 'failed', message: `Stage 2 could not be queued: ${(e as Error).message}` });
    }
    this.settle();
  }
}
