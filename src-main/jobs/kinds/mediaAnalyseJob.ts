import { rm } from 'node:fs/promises';
import { mediaAnalyseParamsSchema, mediaAnalyseResultSchema } from '../../contract/jobs.js';
import type { JobKindDescriptor } from '../jobKind.js';

/** After import: the exact frame count, variable frame rate detection and the thumbnail. */
export const mediaAnalyseJob: JobKindDescriptor<'media.analyse'> = {
  kind: 'media.analyse',
  title: 'media analysis (frames, thumbnail)',
  params: mediaAnalyseParamsSchema,
  result: mediaAnalyseResultSchema,
  work: () => import('../work/mediaAnalyseWork.js'),
  after: null,
  remote: { inputFiles: ['videoPath'], outputFiles: ['thumbnailTemp'] },
  async commit({ store }, job, result) {
    if (job.videoId === null) return () => {};
    const video = store.videos.get(job.videoId);
    const thumbnailPath = `thumbnails/${video.sha256}.jpg`;
    await store.vault.adopt(result.thumbnailTemp, thumbnailPath);
    return () => {
      store.videos.setThumbnail(video.id, thumbnailPath);
      store.videos.updateProbe(video.id, {
        ...video.probe,
        frameCount: result.frameCount,
        variableFrameRate: video.probe.variableFrameRate || result.variableFrameRate,
      });
    };
  },
  discard: (result) => rm(result.thumbnailTemp, { force: true }),
};
