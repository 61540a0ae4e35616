import { AppError } from '../../contract/errors.js';
import { publicJob, withSubject } from '../../store/jobsRepo.js';
import type { ServiceContext } from '../serviceContext.js';
import type { Services } from '../services.js';
import type { AreaHandlers } from './handlerTypes.js';

/** Analyses (runs of stage 1 and stage 2, their current results) and the jobs that make them. */
export function analysisHandlers(
  ctx: ServiceContext,
  { pipeline, results }: Services,
): AreaHandlers<'analyses.run' | 'analyses.runs' | 'analyses.runStage1' | 'analyses.runStage2' | 'analyses.stage1' | 'analyses.tracks' | 'analyses.stage2' | 'jobs.list' | 'jobs.cancel'> {
  const { store } = ctx;
  return {
    'analyses.run': (request, context) => pipeline.start(context.actor, request),

    'analyses.runs': (request) => pipeline.runs(request.ids),

    'analyses.runStage1': (request, context) => {
      const { videoId, ...stage1 } = request;
      const [plan] = pipeline.start(context.actor, { videoIds: [videoId], scope: 'all', stage1 });
      return pipeline.jobOf(plan!, 'stage1');
    },

    'analyses.runStage2': (request, context) => {
      const { videoId, ...stage2 } = request;
      const [plan] = pipeline.start(context.actor, { videoIds: [videoId], scope: 'stage2', stage2 });
      return pipeline.jobOf(plan!, 'stage2');
    },

    'analyses.stage1': (request) => {
      store.videos.get(request.videoId);
      return results.stage1Summary(request.videoId);
    },

    'analyses.tracks': (request) => {
      store.videos.get(request.videoId);
      return results.tracks(request.videoId);
    },

    'analyses.stage2': (request) => {
      store.videos.get(request.videoId);
      return results.stage2Result(request.videoId);
    },

    'jobs.list': (request) => store.jobs.list(request.status, request.limit ?? 100).map((job) => withSubject(publicJob(job), store.videos)),

    'jobs.cancel': async (request) => {
      if (!store.jobs.find(request.id)) throw new AppError('JOB_NOT_FOUND', String(request.id));
      return publicJob(await ctx.jobs.cancel(request.id));
    },
  };
}
