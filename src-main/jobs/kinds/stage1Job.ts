import { rm } from 'node:fs/promises';
import { stage1ParamsSchema, stage1ResultSchema } from '../../contract/jobs.js';
import { defaultDetector } from '../../detect/detectorSpecs.js';
import { probeVideo } from '../../media/probe.js';
import type { JobKindDescriptor } from '../jobKind.js';

/**
 * Stage 1: the person-centred clip. The clip is stored in the vault as a video of its own,
 * linked to its source (a clip with the same bytes as an earlier one is that video again), and
 * the analysis with its tracks. The new result supersedes the video's older stage 1 results
 * and every stage 2 result made before it: those classified a clip that is no longer current.
 */
export const stage1Job: JobKindDescriptor<'stage1'> = {
  kind: 'stage1',
  title: 'stage 1 (person-centred clip)',
  params: stage1ParamsSchema,
  result: stage1ResultSchema,
  work: () => import('../work/stage1Work.js'),
  after: null,
  remote: { inputFiles: ['videoPath'], outputFiles: ['outputPath', 'thumbnailPath'] },
  async commit({ store, ffmpeg }, job, result) {
    const { params } = job;
    const source = store.videos.get(params.videoId);
    let stored;
    let probe;
    try {
      probe = await probeVideo(result.outputPath, ffmpeg);
      stored = await store.vault.ingest(result.outputPath);
    } finally {
      await rm(result.outputPath, { force: true });
    }
    const thumbnail = result.thumbnailPath ? `thumbnails/${stored.sha256}.jpg` : null;
    if (result.thumbnailPath && thumbnail) await store.vault.adopt(result.thumbnailPath, thumbnail);
    const { overlay, outputPath: _written, thumbnailPath: _thumbnail, ...summary } = result;
    const actor = 'walkscope (job)';
    return () => {
      const clipId =
        store.videos.findPersonCentredBySha(stored.sha256)?.id ??
        store.videos.insert(actor, {
          patientId: source.patientId,
          kind: 'person-centred',
          sourceVideoId: source.id,
          sha256: stored.sha256,
          vaultPath: stored.vaultPath,
          originalName: `${source.originalName.replace(/\.[^.]+$/, '')} (person-centred, ${result.mode} ${result.size}).mp4`,
          originalPath: null,
          view: source.view,
          sizeBytes: stored.sizeBytes,
          probe,
        }).id;
      const analysis = store.analyses.insert(actor, {
        videoId: source.id,
        stage: 1,
        jobId: job.id,
        params: { mode: params.mode, size: params.size, patient: params.patient, detector: params.detector ?? defaultDetector, stride: result.stride },
        result: { ...summary, outputVideoIds: [clipId] },
        classifiedVideoId: clipId,
        tracks: overlay,
      });
      store.analyses.supersedeBefore(actor, analysis);
      if (thumbnail) store.videos.setThumbnail(clipId, thumbnail);
    };
  },
  discard: async (result) => {
    await rm(result.outputPath, { force: true });
    if (result.thumbnailPath) await rm(result.thumbnailPath, { force: true });
  },
};
