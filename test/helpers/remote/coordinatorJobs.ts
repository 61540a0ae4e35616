import type { ModelBundle, Video } from '../../../src-main/contract/entities.js';
import type { JobParams } from '../../../src-main/contract/jobs.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import type { StoredJob } from '../../../src-main/store/jobsRepo.js';

/** The params of a stage 2 job on a stored video with an installed model, as the analysis pipeline would queue it. */
export function stage2ParamsOf(app: WalkScopeApp, video: Video, model: ModelBundle): JobParams<'stage2'> {
  return {
    videoId: video.id,
    classifiedVideoId: video.id,
    classifiedVideoPath: app.store.vault.absolute(app.store.videos.get(video.id).vaultPath),
    stage1AnalysisId: null,
    bundleDir: app.services.models.folderOf(model.id),
    modelId: model.id,
    aggregation: 'mean',
  };
}

/** Resolves with the jobs once none of them is queued or running; throws naming the open ones after `timeoutMs`. */
export async function jobsFinished(app: WalkScopeApp, ids: readonly number[], timeoutMs: number, pollMs = 200): Promise<StoredJob[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = ids.map((id) => app.store.jobs.get(id));
    const open = jobs.filter((job) => job.status === 'queued' || job.status === 'running');
    if (open.length === 0) return jobs;
    if (Date.now() > deadline) throw new Error(`jobs still open after ${timeoutMs} ms: ${open.map((job) => `${job.id} ${job.status}`).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
