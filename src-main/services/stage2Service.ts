import type { Job, Stage2Result } from '../contract/entities.js';
import type { VideoClassification } from '../classify/classifyVideo.js';
import type { JobCommitter } from '../jobs/jobRunner.js';
import type { Stage2Params } from '../jobs/work/stage2Work.js';
import { publicJob } from '../store/jobsRepo.js';
import type { Store } from '../store/store.js';
import { appVersion } from './appVersion.js';
import type { ModelService } from './modelService.js';
import type { WalkScopeApp } from './walkscopeApp.js';

/** The newest person-centred clip made from a video, if stage 1 has run. */
export function personCentredClipOf(store: Store, videoId: number): number | undefined {
  const row = store.db.prepare(`SELECT id FROM videos WHERE source_video_id = ? AND kind = 'person-centred' ORDER BY id DESC LIMIT 1`).get(videoId) as { id: number } | undefined;
  return row?.id;
}

export function enqueueStage2(app: WalkScopeApp, models: ModelService, request: { videoId: number; modelId?: string; useOriginal?: boolean; aggregation?: 'mean' | 'median' | 'max' }): Job {
  const video = app.store.videos.get(request.videoId);
  const model = request.modelId ? models.get(request.modelId) : models.defaultModel();
  const clipId = request.useOriginal ? undefined : personCentredClipOf(app.store, video.id);
  const classified = clipId !== undefined ? app.store.videos.get(clipId) : video;
  const params: Stage2Params = {
    videoId: video.kind === 'original' ? video.id : (video.sourceVideoId ?? video.id),
    classifiedVideoId: classified.id,
    classifiedVideoPath: app.store.vault.absolute(classified.vaultPath),
    bundleDir: models.folderOf(model.id),
    aggregation: request.aggregation ?? 'mean',
  };
  return publicJob(app.runner.enqueue('stage2', video.id, { ...params, modelId: model.id }));
}

/** Stores a finished classification with its full provenance. */
export function stage2Committer(store: Store): JobCommitter {
  return (job, raw) => {
    const result = raw as VideoClassification;
    const params = job.params as unknown as Stage2Params & { modelId: string };
    store.analyses.insert('walkscope (job)', {
      videoId: params.videoId,
      stage: 2,
      jobId: job.id,
      params: { aggregation: params.aggregation, classifiedVideoId: params.classifiedVideoId, modelId: params.modelId },
      result: { ...result, appVersion },
      modelId: params.modelId,
      classifiedVideoId: params.classifiedVideoId,
    });
  };
}

export function stage2ResultOf(store: Store, videoId: number): Stage2Result | null {
  const analysis = store.analyses.latest(videoId, 2);
  if (!analysis) return null;
  const r = analysis.result as VideoClassification & { appVersion: string };
  return {
    analysisId: analysis.id,
    videoId: analysis.videoId,
    classifiedVideoId: analysis.classifiedVideoId ?? analysis.videoId,
    createdAt: analysis.createdAt,
    model: r.bundle,
    researchOnly: r.researchOnly,
    provider: r.provider,
    aggregation: r.aggregation,
    threshold: r.threshold,
    videoScore: r.videoScore,
    verdict: r.verdict,
    clips: r.clips.map((c) => ({ index: c.index, startSec: c.startSec, endSec: c.endSec, probabilityAsd: c.probabilityAsd })),
    appVersion: r.appVersion,
    preprocessing: r.preprocessing as unknown as Record<string, unknown>,
    seconds: r.timings.totalMs / 1000,
  };
}
