import { readFeatureCheckpoint, removeFeatureCheckpoint } from '../../classify/featureCheckpoint.js';
import { AppError } from '../../contract/errors.js';
import { featuresParamsSchema, featuresResultSchema } from '../../contract/jobs.js';
import type { NewClipFeatures } from '../../store/clipFeaturesRepo.js';
import type { JobKindDescriptor } from '../jobKind.js';

/**
 * Video features: the pooled features of every sampled clip of one video from a feature
 * backbone, for training a head on them. The work keeps each finished clip in a checkpoint, so a
 * job that is run again after a crash only computes the clips it had not finished; the commit
 * stores every clip (once: the same clip and bundle are never stored twice) and then removes
 * the checkpoint. A cancelled or failed job's checkpoint stays, so extracting again resumes.
 */
export const featuresJob: JobKindDescriptor<'features'> = {
  kind: 'features',
  title: 'video features (feature backbone)',
  params: featuresParamsSchema,
  result: featuresResultSchema,
  work: () => import('../work/featuresWork.js'),
  after: null,
  async commit({ store }, job, result) {
    const { params } = job;
    const stored = await readFeatureCheckpoint(result.checkpointPath, result.featureSize);
    const rows: NewClipFeatures[] = result.clips.map((clip) => {
      const features = stored.clips.get(clip.index);
      if (!features) throw new AppError('FEATURES_CHECKPOINT_INVALID', `${result.checkpointPath} has no features for clip ${clip.index + 1} of ${result.clips.length}`);
      return {
        videoId: params.videoId,
        sampledVideoId: params.sampledVideoId,
        stage1AnalysisId: params.stage1AnalysisId,
        bundleId: params.bundleId,
        bundleSha256: result.bundle.sha256,
        clipIndex: clip.index,
        startSec: clip.startSec,
        endSec: clip.endSec,
        frameIndices: clip.frameIndices,
        features,
        jobId: job.id,
      };
    });
    return () => {
      store.clipFeatures.insertVideo('walkscope (job)', rows);
      // the checkpoint goes once the transaction has stored every clip (queued to run after it);
      // were it rolled back, the checkpoint stays and the job's next run resumes from it
      queueMicrotask(() => {
        if (store.clipFeatures.countForSampledVideo(params.sampledVideoId, result.bundle.sha256) >= rows.length) removeFeatureCheckpoint(result.checkpointPath);
      });
    };
  },
  // no discard: a result dropped because another runner took the job over leaves the checkpoint
  // to that runner, and a cancelled or failed extraction's finished clips serve the next one
};
