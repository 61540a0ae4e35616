import { z } from 'zod';
import type { Stage1Summary, Stage2Result, TrackOverlay } from '../contract/entities.js';
import { trackOverlaySchema } from '../contract/entities.js';
import { stage1ResultSchema, stage2ResultSchema } from '../contract/jobs.js';
import type { StoredAnalysis } from '../store/analysesRepo.js';
import type { ServiceContext } from './serviceContext.js';

/** A stage 1 result as stored: the job's result without the clip path and the overlay (kept apart), plus the stored clip's video id. */
const storedStage1Schema = stage1ResultSchema
  .omit({ outputPath: true, overlay: true })
  .extend({
    outputVideoIds: z.array(z.number().int()),
    // results stored before the detection stride existed detected every frame and counted no frames between detections
    stride: stage1ResultSchema.shape.stride.optional(),
    coverage: stage1ResultSchema.shape.coverage.partial({ betweenDetections: true }),
  });

const storedStage2Schema = stage2ResultSchema.extend({ appVersion: z.string() });

/**
 * The current results of a video's analysis, as the screens, exports and studies read them:
 * never a superseded one (a stage 1 replaced by a newer run, a stage 2 made from an older clip).
 */
export class AnalysisResults {
  constructor(private readonly ctx: ServiceContext) {}

  /** The current stage 1 result, if stage 1 has run. */
  currentStage1(videoId: number): StoredAnalysis | undefined {
    return this.ctx.store.analyses.current(videoId, 1);
  }

  /** The video's current person-centred clip (made by its current stage 1), if any. */
  currentClipId(videoId: number): number | undefined {
    return this.currentStage1(videoId)?.classifiedVideoId ?? undefined;
  }

  stage1Summary(videoId: number): Stage1Summary | null {
    const analysis = this.currentStage1(videoId);
    if (!analysis) return null;
    const r = storedStage1Schema.parse(analysis.result);
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
      coverage: r.coverage,
      stride: r.stride ?? 1,
      segments: r.segments,
      detector: r.detector,
      backend: r.backend,
      trackCount: r.trackCount,
      seconds: (r.timings.detectMs + r.timings.writeMs) / 1000,
    };
  }

  /** The current stage 1 result's patient: its track and the tracklets joined to it (or the user's choice). */
  patientTrackIds(videoId: number): number[] {
    const analysis = this.currentStage1(videoId);
    return analysis ? storedStage1Schema.parse(analysis.result).patientTrackIds : [];
  }

  tracks(videoId: number): TrackOverlay | null {
    const analysis = this.currentStage1(videoId);
    return analysis ? trackOverlaySchema.parse(this.ctx.store.analyses.tracks(analysis.id)) : null;
  }

  /** The current stage 2 result (from one model when `modelId` is given). */
  stage2Result(videoId: number, modelId?: string): Stage2Result | null {
    const analysis = this.ctx.store.analyses.current(videoId, 2, modelId);
    if (!analysis) return null;
    const r = storedStage2Schema.parse(analysis.result);
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
      preprocessing: r.preprocessing,
      seconds: r.timings.totalMs / 1000,
    };
  }
}
