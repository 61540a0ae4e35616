import { rm } from 'node:fs/promises';
import type { Job, Stage1Summary, TrackOverlay } from '../contract/entities.js';
import type { Stage1Result } from '../detect/prepareVideo.js';
import type { JobCommitter } from '../jobs/jobRunner.js';
import type { Stage1Params } from '../jobs/work/stage1Work.js';
import { probeVideo } from '../media/probe.js';
import { publicJob } from '../store/jobsRepo.js';
import type { Store } from '../store/store.js';
import type { WalkScopeApp } from './walkscopeApp.js';
import { AppError } from '../contract/errors.js';
import { defaultDetector, type DetectorName } from '../detect/detectorSpecs.js';

export function enqueueStage1(app: WalkScopeApp, request: { videoId: number; mode?: 'pad' | 'crop'; size?: number; patient?: 'walker' | 'paper' | number; detector?: DetectorName; stride?: number | undefined }): Job {
  const video = app.store.videos.get(request.videoId);
  if (video.kind !== 'original') throw new AppError('STAGE1_ON_DERIVED', String(video.id));
  if (request.patient === 'paper' && request.stride !== undefined && request.stride !== 1) {
    throw new AppError('BAD_REQUEST', `the reference code's rule detects every frame: give no stride (or 1) with it, not ${request.stride}`);
  }
  const params: Stage1Params = { videoId: video.id, videoPath: app.store.vault.absolute(video.vaultPath), mode: request.mode ?? 'pad', size: request.size ?? 512, patient: request.patient ?? 'walker', detector: request.detector ?? defaultDetector, displayName: video.originalName, ...(request.stride !== undefined ? { stride: request.stride } : {}) };
  return publicJob(app.runner.enqueue('stage1', video.id, { ...params }));
}

/** Stores the person-centred clip in the vault as a video of its own, linked to its source, and the analysis with its tracks. */
export function stage1Committer(store: Store, ffmpeg: () => { ffmpeg?: string | undefined; ffprobe?: string | undefined }): JobCommitter {
  return async (job, raw) => {
    const result = raw as Stage1Result;
    const params = job.params as unknown as Stage1Params;
    const source = store.videos.get(params.videoId);
    try {
      const probe = await probeVideo(result.outputPath, ffmpeg());
      const stored = await store.vault.ingest(result.outputPath);
      const existing = store.db.prepare(`SELECT id FROM videos WHERE sha256 = ? AND kind = 'person-centred'`).get(stored.sha256) as { id: number } | undefined;
      store.db.transaction(() => {
        const clipId =
          existing?.id ??
          store.videos.insert('walkscope (job)', {
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
        const { overlay, outputPath: _o, ...summary } = result;
        store.analyses.insert('walkscope (job)', { videoId: source.id, stage: 1, jobId: job.id, params: { mode: params.mode, size: params.size, patient: params.patient, detector: params.detector ?? defaultDetector, stride: result.stride }, result: { ...summary, outputVideoIds: [clipId] }, classifiedVideoId: clipId, tracks: overlay });
      })();
    } finally {
      await rm(result.outputPath, { force: true });
    }
  };
}

export function stage1SummaryOf(store: Store, videoId: number): Stage1Summary | null {
  const analysis = store.analyses.latest(videoId, 1);
  if (!analysis) return null;
  const r = analysis.result as Omit<Stage1Result, 'overlay' | 'outputPath'> & { outputVideoIds: number[] };
  return {
    analysisId: analysis.id,
    videoId,
    createdAt: analysis.createdAt,
    mode: r.mode,
    size: r.size,
    selection: r.selection,
    patientTrackId: r.patientTrackId,
    reason: r.reason,
    outputVideoIds: r.outputVideoIds,
    noPersonFound: false,
    coverage: r.coverage,
    // results stored before the stride existed detected every frame
    stride: r.stride ?? 1,
    segments: r.segments,
    detector: r.detector,
    backend: r.backend,
    trackCount: r.trackCount,
    seconds: (r.timings.detectMs + r.timings.writeMs) / 1000,
  };
}

export function tracksOf(store: Store, videoId: number): TrackOverlay | null {
  const analysis = store.analyses.latest(videoId, 1);
  return analysis ? (store.analyses.tracks(analysis.id) as TrackOverlay) : null;
}
