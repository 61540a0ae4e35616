import { measureParamsSchema, measureResultSchema } from '../../contract/jobs.js';
import type { JobKindDescriptor } from '../jobKind.js';

/**
 * The measurement step, after stage 1: the patient's keypoints refined on every frame they are
 * in view, then the posture and gait measures. The result is stored against the stage 1 result
 * it measured; a video's current measurements are those of its current stage 1 result, so a
 * re-run of stage 1 (another patient, stride or mode) leaves the older ones behind as history.
 */
export const measureJob: JobKindDescriptor<'measure'> = {
  kind: 'measure',
  title: 'posture and gait measures',
  params: measureParamsSchema,
  result: measureResultSchema,
  work: () => import('../work/measureWork.js'),
  after: 'stage1',
  remote: { inputFiles: ['videoPath'], outputFiles: [] },
  async commit({ store }, job, result) {
    const { params } = job;
    return () => {
      store.measurements.insert('walkscope (job)', {
        videoId: params.videoId,
        stage1AnalysisId: params.stage1AnalysisId,
        jobId: job.id,
        result: { provenance: result.provenance, verticalReferenceDeg: result.verticalReferenceDeg, segments: result.segments, gait: result.gait, summary: result.summary, seconds: result.timings.totalMs / 1000 },
        frames: { pose: result.pose, series: result.series },
      });
    };
  },
};
