import type { Job, Video } from '../../../src-main/contract/entities.js';
import type { WalkScopeClient } from '../api/client.js';
import { analyseRow, type AnalyseRow } from './analysisRows.js';
import { t } from '../i18n.svelte.js';

export type { AnalyseRow, AnalyseStep } from './analysisRows.js';

/**
 * "Analyse all" and "Re-run all" on the patient page. One call asks the back end to analyse
 * the patient's original videos (`analyses.run`: what each still needs, or everything again);
 * the back end queues stage 1, then the measures and stage 2 as each stage 1 commits, whether or not this page
 * stays open. This class only shows how far each video's run is: it reads the runs again
 * whenever one of their jobs changes (updates arrive through `subscribe`; nothing polls).
 */
export class AnalyseAll {
  rows = $state<AnalyseRow[]>([]);
  running = $state(false);
  /** A problem with the whole run (e.g. the request was refused). */
  error = $state<string | null>(null);
  /** A classification model is installed (without one, runs stop after stage 1). */
  hasModel = $state(false);

  private names = new Map<number, string>();
  private readonly unsubscribe: () => void;

  /** `client` is a getter so a component can pass its prop without capturing its first value. */
  constructor(
    private readonly client: () => WalkScopeClient,
    subscribe: (listener: (job: Job) => void) => () => void,
  ) {
    this.unsubscribe = subscribe((job) => void this.onJob(job));
  }

  dispose(): void {
    this.unsubscribe();
  }

  /** Forgets the rows (another patient is shown); the runs go on in the back end. */
  reset(): void {
    this.rows = [];
    this.error = null;
    this.running = false;
  }

  get summary(): string {
    const count = (step: AnalyseRow['step']) => this.rows.filter((r) => r.step === step).length;
    const total = this.rows.length;
    const done = count('done') + count('up to date');
    const failed = count('failed');
    return t('jobs.analysis.summary', { done, count: total }) + (failed > 0 ? t('jobs.analysis.summaryFailed', { count: failed }) : '') + (this.running ? t('jobs.analysis.summaryWorking') : '');
  }

  async start(videos: readonly Video[], options: { rerun?: boolean } = {}): Promise<void> {
    if (this.running) return;
    const originals = videos.filter((v) => v.kind === 'original');
    this.error = null;
    if (originals.length === 0) {
      this.rows = [];
      this.error = t('jobs.analysis.noOriginals');
      return;
    }
    this.names = new Map(originals.map((v) => [v.id, v.originalName]));
    this.running = true;
    try {
      const [plans, models] = await Promise.all([this.client().call('analyses.run', { videoIds: originals.map((v) => v.id), scope: options.rerun ? 'all' : 'needed' }), this.client().call('models.list', {})]);
      this.hasModel = models.some((m) => m.kind !== 'features'); // a feature backbone gives no verdict
      this.rows = plans.map((p) => analyseRow(p.videoId, this.names.get(p.videoId) ?? t('jobs.row.video', { id: p.videoId }), p.needs, p.run));
      this.settle();
      // a job may have ended before the reply came back
      if (this.running) await this.refresh();
    } catch (e) {
      this.rows = [];
      this.running = false;
      this.error = t('jobs.analysis.notQueued', { reason: (e as Error).message });
    }
  }

  private async onJob(job: Job): Promise<void> {
    if (job.runId === null || !this.rows.some((r) => r.runId === job.runId)) return;
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    const ids = this.rows.flatMap((r) => (r.runId === null ? [] : [r.runId]));
    if (ids.length === 0) return;
    try {
      const runs = new Map((await this.client().call('analyses.runs', { ids })).map((run) => [run.id, run]));
      this.rows = this.rows.map((r) => {
        const run = r.runId === null ? undefined : runs.get(r.runId);
        return run ? analyseRow(r.videoId, r.name, run.steps.map((s) => s.kind), run) : r;
      });
      this.settle();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private settle(): void {
    this.running = this.rows.some((r) => r.step === 'working');
  }
}
