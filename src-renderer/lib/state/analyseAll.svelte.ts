import type { Job, ModelBundle, Stage1Summary, Stage2Result, Video } from '../../../src-main/contract/entities.js';
import type { WalkScopeClient } from '../api/client.js';

/** Where one video is in an "Analyse all" run. */
export type AnalyseStep = 'stage 1 queued' | 'stage 2 queued' | 'done' | 'stage 1 only' | 'up to date' | 'failed';

/** What a video still needs, from its stored results. */
export type Needed = 'both stages' | 'stage 2' | 'nothing';

/**
 * A video is up to date when it has a stage 1 result and, with a model installed, a stage 2
 * result made from that stage 1's clip by a model still installed as the same file (same
 * SHA-256). A stage 1 that found nobody needs nothing more: running it again finds nobody again.
 */
export function neededFor(stage1: Stage1Summary | null, stage2: Stage2Result | null, models: readonly ModelBundle[]): Needed {
  if (!stage1) return 'both stages';
  if (stage1.noPersonFound || models.length === 0) return 'nothing';
  const fromThisClip = stage2 !== null && stage1.outputVideoIds.includes(stage2.classifiedVideoId);
  const sameModel = stage2 !== null && models.some((m) => m.id === stage2.model.id && m.sha256 === stage2.model.sha256);
  return fromThisClip && sameModel ? 'nothing' : 'stage 2';
}

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
 * "Analyse all" on the patient page: for every original video, what it still needs (see
 * neededFor): stage 1 and then stage 2 as soon as its stage 1 job is done (stage 2 classifies
 * the person-centred clip stage 1 makes), or stage 2 alone, or nothing (up to date, said so).
 * `rerun` runs both stages for every video whatever it has. Without an installed model it runs
 * stage 1 only and says so. Job updates arrive through `subscribe` (the page's JobsState);
 * nothing polls.
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
    const done = count('done') + count('stage 1 only') + count('up to date');
    const failed = count('failed');
    return `${done} of ${total} video${total === 1 ? '' : 's'} analysed${failed > 0 ? `, ${failed} failed` : ''}${this.running ? ', working…' : ''}`;
  }

  async start(videos: readonly Video[], options: { rerun?: boolean } = {}): Promise<void> {
    if (this.running) return;
    const originals = videos.filter((v) => v.kind === 'original');
    this.error = null;
    this.endedEarly.clear();
    if (originals.length === 0) {
      this.rows = [];
      this.error = 'This patient has no original videos to analyse. Import a walking video first.';
      return;
    }
    let models: ModelBundle[];
    let needs: Needed[];
    try {
      models = await this.client().call('models.list', {});
      needs = options.rerun
        ? originals.map(() => 'both stages')
        : await Promise.all(
            originals.map(async (v) => {
              const [stage1, stage2] = await Promise.all([this.client().call('analyses.stage1', { videoId: v.id }), this.client().call('analyses.stage2', { videoId: v.id })]);
              return neededFor(stage1, stage2, models);
            }),
          );
    } catch (e) {
      this.error = (e as Error).message;
      return;
    }
    this.hasModel = models.length > 0;
    this.running = true;
    this.rows = originals.map((v, i) =>
      needs[i] === 'nothing'
        ? { videoId: v.id, name: v.originalName, step: 'up to date', message: 'Already analysed: not run again (Re-run all runs it anyway).', stage1JobId: null, stage2JobId: null }
        : { videoId: v.id, name: v.originalName, step: 'stage 1 queued', message: 'Queuing stage 1…', stage1JobId: null, stage2JobId: null },
    );
    for (const [i, video] of originals.entries()) {
      if (needs[i] === 'nothing') continue;
      if (needs[i] === 'stage 2') {
        await this.queueStage2(video.id, 'Stage 1 was already done; queuing stage 2…');
        continue;
      }
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

  private async queueStage2(videoId: number, message = 'Stage 1 done; queuing stage 2…'): Promise<void> {
    this.update(videoId, { step: 'stage 2 queued', message });
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
