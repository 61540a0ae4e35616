import type { Job } from '../../../src-main/contract/entities.js';
import type { WalkScopeClient } from '../api/client.js';

/** Live list of jobs: loaded once, then kept current by `job.updated` events. */
export class JobsState {
  jobs = $state.raw<Job[]>([]);
  error = $state<string | null>(null);
  private readonly listeners = new Set<(job: Job) => void>();

  constructor(private readonly client: WalkScopeClient) {
    client.on('job.updated', (job) => this.apply(job));
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.jobs = await this.client.call('jobs.list', { limit: 100 });
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  apply(job: Job): void {
    const index = this.jobs.findIndex((j) => j.id === job.id);
    this.jobs = index < 0 ? [job, ...this.jobs] : this.jobs.map((j) => (j.id === job.id ? job : j));
    for (const listener of this.listeners) listener(job);
  }

  /** Called for every job update (e.g. to reload a patient page when its video's job ends). */
  onUpdate(listener: (job: Job) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get active(): Job[] {
    return this.jobs.filter((j) => j.status === 'queued' || j.status === 'running');
  }

  async cancel(id: number): Promise<void> {
    try {
      this.apply(await this.client.call('jobs.cancel', { id }));
    } catch (error) {
      this.error = (error as Error).message;
    }
  }
}
