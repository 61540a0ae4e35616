import { join } from 'node:path';
import { removeFeatureCheckpoint } from '../classify/featureCheckpoint.js';
import type { Diagnosis } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import type { JobParams } from '../contract/jobs.js';
import type { Cohort, FeatureExtraction, VideoFeaturesSource } from '../contract/screening.js';
import { buildFeatureCohort, type PatientVideoFeatures } from '../domain/screeningCohort.js';
import type { StoredVideo } from '../store/videosRepo.js';
import type { AnalysisResults } from './analysisResults.js';
import type { ModelService } from './modelService.js';
import type { ServiceContext } from './serviceContext.js';

/** Where an extraction keeps its finished clips until they are stored: beside the database, not in the vault (whose temporary folder is swept at start). */
export const featureCheckpointFolder = (dataDir: string) => join(dataDir, 'features-partial');

/** What one original video gives a feature backbone: the clip its current stage 1 made, or nothing before stage 1. */
interface SampledVideo {
  original: StoredVideo;
  sampledVideoId: number;
  stage1AnalysisId: number;
}

/**
 * The clip features of feature backbones over the patients' analysed videos: extraction as one
 * job per video (resumable, never repeated for a clip already stored), where it stands, and the
 * cohort a head is trained on.
 */
export class VideoFeatureService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly results: AnalysisResults,
    private readonly models: ModelService,
  ) {}

  /** The backbone as a cohort names it; refuses a classifier or an unknown id in a sentence. */
  source(bundleId: string): VideoFeaturesSource {
    const bundle = this.models.get(bundleId);
    if (bundle.kind !== 'features' || bundle.featureSize === null) throw new AppError('MODEL_NOT_FEATURE_BACKBONE', bundle.name);
    return { bundleId: bundle.id, bundleName: bundle.name, bundleSha256: bundle.sha256, featureSize: bundle.featureSize };
  }

  private patients(codes?: readonly string[]) {
    const { store } = this.ctx;
    return codes ? [...new Set(codes)].map((code) => store.patients.getByCode(code)) : store.patients.list('', 1_000_000);
  }

  private sampled(video: StoredVideo): SampledVideo | null {
    const stage1 = this.results.currentStage1(video.id);
    if (!stage1 || stage1.classifiedVideoId === null) return null;
    return { original: video, sampledVideoId: stage1.classifiedVideoId, stage1AnalysisId: stage1.id };
  }

  private originals(patientId: number): StoredVideo[] {
    return this.ctx.store.videos.listForPatient(patientId).filter((v) => v.kind === 'original');
  }

  private checkpointPath(sampledVideoId: number, bundleSha256: string): string {
    return join(featureCheckpointFolder(this.ctx.store.dataDir), `${sampledVideoId}-${bundleSha256.slice(0, 16)}.bin`);
  }

  private pendingFor(videoId: number, bundleSha256: string): boolean {
    const job = this.ctx.store.jobs.pendingFor('features', videoId);
    return job !== undefined && (job.params as JobParams<'features'>).bundleSha256 === bundleSha256;
  }

  /** Where the extraction stands (`queue`: also queue a job for every analysed video without features). */
  private survey(actor: string, bundleId: string, codes: readonly string[] | undefined, queue: boolean): FeatureExtraction {
    const source = this.source(bundleId);
    const summary: FeatureExtraction = { bundle: source, videos: 0, extracted: 0, pending: 0, notAnalysed: 0, clips: 0, queuedJobIds: [] };
    const bundleDir = queue ? this.models.folderOf(bundleId) : '';
    for (const patient of this.patients(codes)) {
      for (const video of this.originals(patient.id)) {
        summary.videos++;
        const sampled = this.sampled(video);
        if (!sampled) {
          summary.notAnalysed++;
          continue;
        }
        const stored = this.ctx.store.clipFeatures.countForSampledVideo(sampled.sampledVideoId, source.bundleSha256);
        if (stored > 0) {
          summary.extracted++;
          summary.clips += stored;
          // a checkpoint left by a crash after its clips were stored (only when extracting: a status reads, it does not tidy)
          if (queue) removeFeatureCheckpoint(this.checkpointPath(sampled.sampledVideoId, source.bundleSha256));
          continue;
        }
        if (this.pendingFor(video.id, source.bundleSha256)) {
          summary.pending++;
          continue;
        }
        if (!queue) continue;
        const clip = this.ctx.store.videos.get(sampled.sampledVideoId);
        const params: JobParams<'features'> = {
          videoId: video.id,
          sampledVideoId: clip.id,
          sampledVideoPath: this.ctx.store.vault.absolute(clip.vaultPath),
          stage1AnalysisId: sampled.stage1AnalysisId,
          bundleDir,
          bundleId: source.bundleId,
          bundleSha256: source.bundleSha256,
          checkpointPath: this.checkpointPath(clip.id, source.bundleSha256),
        };
        summary.queuedJobIds.push(this.ctx.jobs.enqueue('features', video.id, params).id);
        summary.pending++;
      }
    }
    if (queue) this.ctx.store.audit.record(actor, 'features.extract', 'model-bundle', source.bundleId, null, { bundleSha256: source.bundleSha256, queued: summary.queuedJobIds.length, extracted: summary.extracted, notAnalysed: summary.notAnalysed });
    return summary;
  }

  status(bundleId: string, patientCodes?: readonly string[]): FeatureExtraction {
    return this.survey('', bundleId, patientCodes, false);
  }

  /** Queues the extraction of every analysed video that has no features from the bundle yet (idempotent: stored and pending videos are left alone). */
  extract(actor: string, bundleId: string, patientCodes?: readonly string[]): FeatureExtraction {
    return this.survey(actor, bundleId, patientCodes, true);
  }

  /** The cohort a head on this backbone's features would be trained on, rows and all. */
  cohort(bundleId: string, patientCodes?: readonly string[]): Cohort {
    const source = this.source(bundleId);
    const rows: PatientVideoFeatures[] = this.patients(patientCodes).map((p) => ({
      code: p.code,
      diagnosis: p.diagnosis as Diagnosis,
      videos: this.originals(p.id).map((video) => {
        const sampled = this.sampled(video);
        if (!sampled) return 'not analysed' as const;
        const clips = this.ctx.store.clipFeatures.forSampledVideo(sampled.sampledVideoId, source.bundleSha256);
        return clips.length === 0 ? ('not extracted' as const) : { clips: clips.map((c) => Array.from(c.features)) };
      }),
    }));
    return buildFeatureCohort(source, rows);
  }
}
