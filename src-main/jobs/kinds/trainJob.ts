import { trainParamsSchema, trainResultSchema } from '../../contract/jobs.js';
import { removeFeatureCohortFile } from '../../store/featureCohortFile.js';
import type { JobKindDescriptor } from '../jobKind.js';

/**
 * Training a screening model on the posture measures: repeated patient-disjoint
 * cross-validation, then the final model on every patient. The result is stored as a model of
 * status "trained"; someone must accept it before patient verdicts use it.
 */
export const trainJob: JobKindDescriptor<'train'> = {
  kind: 'train',
  title: 'screening model training',
  params: trainParamsSchema,
  result: trainResultSchema,
  work: () => import('../work/trainWork.js'),
  after: null,
  async commit({ store }, job, result) {
    const { featuresFile } = job.params;
    return () => {
      store.screeningModels.insert(job.params.requestedBy, { body: result, origin: `trained here (job ${job.id})`, jobId: job.id });
      // a video-features cohort's input file goes once the model is stored (queued to run after the transaction)
      if (featuresFile) queueMicrotask(() => removeFeatureCohortFile(featuresFile.path));
    };
  },
};
