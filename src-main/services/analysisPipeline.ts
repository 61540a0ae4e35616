import { analysisStepKinds, type AnalysisNeed, type AnalysisPlan, type AnalysisRun, type AnalysisStepKind, type Job, type JobKind } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import type { JobParams, MeasureOptions, Stage1Options, Stage2Options } from '../contract/jobs.js';
import type { ModelBundle } from '../contract/entities.js';
import { analysisNeeds } from '../domain/analysis/analysisNeeds.js';
import { measurementVersion } from '../domain/posture/measureVideo.js';
import { patientSquares } from '../domain/patientSquares.js';
import { runSteps } from '../domain/analysis/runSteps.js';
import { defaultDetector } from '../detect/detectorSpecs.js';
import { descriptorOf } from '../jobs/jobKinds.js';
import type { StoredJob } from '../store/jobsRepo.js';
import { publicJob } from '../store/jobsRepo.js';
import type { PlannedStep, StoredRun } from '../store/analysisRunsRepo.js';
import type { StoredVideo } from '../store/videosRepo.js';
import type { AnalysisResults } from './analysisResults.js';
import type { MeasurementService } from './measurementService.js';
import type { ModelService } from './modelService.js';
import type { ServiceContext } from './serviceContext.js';

/** What to run on each video: what it still needs (default), every step again, classify the current clip again, or measure it again. */
export type RunScope = 'needed' | 'all' | 'stage2' | 'measure';

const isStep = (kind: JobKind | null): kind is AnalysisStepKind => kind !== null && (analysisStepKinds as readonly string[]).includes(kind);
/** The step of a run whose commit queues this one (null: queued when the run starts). */
const stepAfter = (kind: AnalysisStepKind): AnalysisStepKind | null => {
  const after = descriptorOf(kind).after;
  return isStep(after) ? after : null;
};

export interface RunRequest {
  videoIds: readonly number[];
  scope?: RunScope;
  /** Run only these of the steps a video needs (default: all of them). */
  only?: readonly AnalysisStepKind[];
  stage1?: Stage1Options;
  measure?: MeasureOptions;
  stage2?: Stage2Options;
}

/**
 * Analysis pipelines in the back end. For each video it decides which steps are still needed
 * (stage 1, then the measures and stage 2; or some of those; or nothing), records an analysis
 * run, and queues the steps that wait for no other; each later step is queued inside the
 * transaction that commits the step before it (`afterCommit`), so a run finishes with no window
 * open and survives a restart. The measures and stage 2 always use the video's current stage 1
 * result: its patient track, and the clip it made.
 */
export class AnalysisPipeline {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly results: AnalysisResults,
    private readonly models: ModelService,
    private readonly measurements: MeasurementService,
  ) {}

  /** Plans and queues a run for each video; a video that needs nothing gets no run. */
  start(actor: string, request: RunRequest): AnalysisPlan[] {
    const scope = request.scope ?? 'needed';
    const videos = request.videoIds.map((id) => this.originalOf(this.ctx.store.videos.get(id), scope));
    // only classifiers: a feature backbone gives no verdict, so stage 2 never runs with one
    const installed = this.models.classifiers();
    // stage 2 asked for by name with no model to classify with (or with a feature backbone): refused at once, with the sentence saying why
    if (scope === 'stage2') this.models.chosen(request.stage2?.modelId);
    const noModel = this.models.noClassifierReason();
    return this.ctx.store.transaction(() =>
      videos.map((video): AnalysisPlan => {
        const needs = this.needsOf(video, scope, installed);
        const wanted = request.only ? needs.filter((kind) => request.only!.includes(kind)) : needs;
        if (wanted.length === 0) return { videoId: video.id, needs: [], run: null };
        const steps = wanted.map((kind): PlannedStep => {
          if (kind === 'stage1') return { kind, options: request.stage1 ?? {} };
          if (kind === 'measure') return { kind, options: request.measure ?? {} };
          return { kind, options: request.stage2 ?? {}, ...(noModel ? { skipped: noModel } : {}) };
        });
        const run = this.ctx.store.analysisRuns.create(actor, video.id, steps);
        // the steps that wait for no other step of this run start now; their problem (a stride with the paper rule, say) is the caller's: nothing is stored
        for (const step of steps) {
          const after = stepAfter(step.kind);
          if (after === null || !wanted.includes(after)) this.queue(run, step, { refuse: true });
        }
        return { videoId: video.id, needs, run: this.describe(run) };
      }),
    );
  }

  private needsOf(video: StoredVideo, scope: RunScope, installed: readonly ModelBundle[]): AnalysisNeed {
    if (scope === 'all') return ['stage1', 'measure', 'stage2'];
    if (scope === 'stage2') return ['stage2'];
    if (scope === 'measure') return ['measure'];
    const measured = this.measurements.current(video.id);
    return analysisNeeds(
      {
        stage1: this.results.stage1Summary(video.id),
        measurement: measured ? { version: measured.provenance.version, verticalReferenceDeg: measured.verticalReferenceDeg } : null,
        stage2: this.results.stage2Result(video.id),
      },
      { measurementVersion, verticalReferenceDeg: this.measurements.verticalReferenceDeg(video.id), models: installed },
    );
  }

  /** The state of runs, for every UI that shows them. */
  runs(ids: readonly number[]): AnalysisRun[] {
    return this.ctx.store.analysisRuns.list(ids).map((run) => this.describe(run));
  }

  /** The job a run queued for a step (the single-step entry points reply with it). */
  jobOf(plan: AnalysisPlan, kind: AnalysisStepKind): Job {
    const id = plan.run?.steps.find((s) => s.kind === kind)?.jobId;
    if (id === undefined || id === null) throw new AppError('INTERNAL', `no ${kind} job was queued for video ${plan.videoId}`);
    return publicJob(this.ctx.store.jobs.get(id));
  }

  /** Called in the transaction that commits a job: queues the run's steps that wait for it. */
  afterCommit(job: StoredJob): void {
    if (job.runId === null) return;
    const run = this.ctx.store.analysisRuns.get(job.runId);
    if (!run) return;
    for (const step of run.steps) {
      if (step.skipped === undefined && stepAfter(step.kind) === job.kind) this.queue(run, step);
    }
  }

  private describe(run: StoredRun): AnalysisRun {
    const plan = run.steps.map((s) => ({ kind: s.kind, after: stepAfter(s.kind), skipped: s.skipped }));
    const { steps, finished } = runSteps(plan, this.ctx.store.jobs.listForRuns([run.id]));
    return { id: run.id, videoId: run.videoId, createdAt: run.createdAt, steps, finished };
  }

  /**
   * Queues one step of a run. A later step that cannot run when its turn comes (the model was
   * removed meanwhile) is marked skipped with the reason; `refuse` throws instead (the first step).
   */
  private queue(run: StoredRun, step: PlannedStep, { refuse = false } = {}): void {
    if (step.skipped !== undefined) return;
    const video = this.ctx.store.videos.get(run.videoId);
    try {
      if (step.kind === 'stage1') this.ctx.jobs.enqueue('stage1', video.id, this.stage1Params(video, step.options), run.id);
      else if (step.kind === 'measure') this.ctx.jobs.enqueue('measure', video.id, this.measureParams(video, step.options), run.id);
      else this.ctx.jobs.enqueue('stage2', video.id, this.stage2Params(video, step.options), run.id);
    } catch (error) {
      if (refuse || !(error instanceof AppError)) throw error;
      this.ctx.store.analysisRuns.skip(run.id, step.kind, error.message);
    }
  }

  /** The original a run is about; stage 1 runs only on originals, stage 2 of a clip is stage 2 of its original. */
  private originalOf(video: StoredVideo, scope: RunScope): StoredVideo {
    if (video.kind === 'original') return video;
    if (scope === 'stage2' && video.sourceVideoId !== null) return this.ctx.store.videos.get(video.sourceVideoId);
    throw new AppError('STAGE1_ON_DERIVED', String(video.id));
  }

  private stage1Params(video: StoredVideo, options: Stage1Options): JobParams<'stage1'> {
    if (options.patient === 'paper' && options.stride !== undefined && options.stride !== 1) {
      throw new AppError('BAD_REQUEST', `the reference code's rule detects every frame: give no stride (or 1) with it, not ${options.stride}`);
    }
    return {
      videoId: video.id,
      videoPath: this.ctx.store.vault.absolute(video.vaultPath),
      mode: options.mode ?? 'pad',
      size: options.size ?? 512,
      patient: options.patient ?? 'walker',
      detector: options.detector ?? defaultDetector,
      displayName: video.originalName,
      ...(options.stride !== undefined ? { stride: options.stride } : {}),
    };
  }

  /** The measures on the current stage 1 result: the squares around the patient on every frame they are in view, and the vertical reference. */
  private measureParams(video: StoredVideo, options: MeasureOptions): JobParams<'measure'> {
    const stage1 = this.results.currentStage1(video.id);
    const summary = this.results.stage1Summary(video.id);
    const tracks = this.results.tracks(video.id);
    if (!stage1 || !summary || !tracks) throw new AppError('NOT_MEASURABLE', `${video.originalName} has no person-centred clip yet: run stage 1 first`);
    const segments = summary.segments.map((s) => ({ startFrame: s.startFrame, endFrame: s.endFrame }));
    return {
      videoId: video.id,
      videoPath: this.ctx.store.vault.absolute(video.vaultPath),
      stage1AnalysisId: stage1.id,
      displayName: video.originalName,
      squares: patientSquares(tracks, this.results.patientTrackIds(video.id), segments),
      segments,
      verticalReferenceDeg: this.measurements.verticalReferenceDeg(video.id),
      ...(options.model ? { model: options.model } : {}),
    };
  }

  /** Stage 2 on the current clip (the one the video's current stage 1 made), or the original when asked or before stage 1. */
  private stage2Params(video: StoredVideo, options: Stage2Options): JobParams<'stage2'> {
    const model = this.models.chosen(options.modelId);
    const stage1 = this.results.currentStage1(video.id);
    const clipId = options.useOriginal ? undefined : (stage1?.classifiedVideoId ?? undefined);
    const classified = clipId !== undefined ? this.ctx.store.videos.get(clipId) : video;
    return {
      videoId: video.id,
      classifiedVideoId: classified.id,
      classifiedVideoPath: this.ctx.store.vault.absolute(classified.vaultPath),
      stage1AnalysisId: stage1?.id ?? null,
      bundleDir: this.models.folderOf(model.id),
      modelId: model.id,
      aggregation: options.aggregation ?? 'mean',
    };
  }
}
