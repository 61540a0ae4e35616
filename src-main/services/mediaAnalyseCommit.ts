import type { JobCommitter } from '../jobs/jobRunner.js';
import type { MediaAnalyseResult } from '../jobs/work/mediaAnalyseWork.js';
import type { Store } from '../store/store.js';

/** Stores what the media analysis found: exact frame count, variable frame rate, thumbnail. */
export function mediaAnalyseCommitter(store: Store): JobCommitter {
  return async (job, raw) => {
    const result = raw as MediaAnalyseResult;
    if (job.videoId === null) return;
    const video = store.videos.get(job.videoId);
    const thumbnailPath = `thumbnails/${video.sha256}.jpg`;
    await store.vault.adopt(result.thumbnailTemp, thumbnailPath);
    store.db.transaction(() => {
      store.videos.setThumbnail(video.id, thumbnailPath);
      store.videos.updateProbe(video.id, {
        ...video.probe,
        frameCount: result.frameCount,
        variableFrameRate: video.probe.variableFrameRate || result.variableFrameRate,
      });
    })();
  };
}
