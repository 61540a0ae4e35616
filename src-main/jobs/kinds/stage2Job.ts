import { stage2ParamsSchema, stage2ResultSchema } from '../../contract/jobs.js';
import { appVersion } from '../../runtime/appVersion.js';
import type { JobKindDescriptor } from '../jobKind.js';

/**
 * Stage 2: a classification with its full provenance. It names the stage 1 result whose clip it
 * classified; when that stage 1 is no longer the video's current one by the time it is stored
 * (stage 1 ran again meanwhile), it is stored as superseded by the current one, never as current.
 */
export const stage2Job: JobKindDescriptor<'stage2'> = {
  kind: 'stage2',
  title: 'stage 2 (classification)',
  params: stage2ParamsSchema,
  result: stage2ResultSchema,
  work: () => import('../work/stage2Work.js'),
  after: 'stage1',
  remote: { inputFiles: ['classifiedVideoPath'], inputFolders: ['bundleDir'], outputFiles: [] },
  async commit({ store }, job, result) {
    const { params } = job;
    return () => {
      const current = store.analyses.current(params.videoId, 1);
      // jobs queued before results named their stage 1 (params without it): the current stage 1 if it made the classified clip
      const stage1AnalysisId = params.stage1AnalysisId !== undefined ? params.stage1AnalysisId : current?.classifiedVideoId === params.classifiedVideoId ? current.id : null;
      const stale = current !== undefined && stage1AnalysisId !== current.id;
      store.analyses.insert('walkscope (job)', {
        videoId: params.videoId,
        stage: 2,
        jobId: job.id,
        params: { aggregation: params.aggregation, classifiedVideoId: params.classifiedVideoId, modelId: params.modelId },
        result: { ...result, appVersion },
        modelId: params.modelId,
        classifiedVideoId: params.classifiedVideoId,
        stage1AnalysisId,
        supersededBy: stale ? current.id : null,
      });
    };
  },
};
