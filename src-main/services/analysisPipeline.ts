import type { AnalysisPlan, AnalysisRun, AnalysisStepKind, Job } from '../contract/entities.js';
import { AppError, errorMessage } from '../contract/errors.js';
import type { JobParams, Stage1Options, Stage2Options } from '../contract/jobs.js';
import { analysisNeeds } from '../domain/analysis/analysisNeeds.js';
import { runSteps } from '../domain/analysis/runSteps.js';
import { defaultDetector } from '../detect/detectorSpecs.js';
import { descriptorOf } from '../jobs/jobKinds.js';
import type { StoredJob } from '../store/jobsRepo.js';
import { publicJob } from '../store/jobsRepo.js';
import type { PlannedStep, StoredRun } from '../store/analysisRunsRepo.js';
import type { StoredVideo } from '../store/videosRepo.js';
import type { AnalysisResults } from './analysisResults.js';
import type { ModelService } from './modelService.js';
import type { ServiceContext } from './serviceContext.js';

/** What to run on each video: what it still needs (default), every step again, or from stage 2 on (classify the current clip again). */
export type RunScope = 'needed' | 'all' | 'stage2';

export interface RunRequest {
  videoIds: readonly number[];
  scope?: RunScope;
  /** The last step to run (default: every step). */
  stopAfter?: AnalysisStepKind;
  stage1?: Stage1Options;
  stage2?: Stage2Options;
}

/**
 * Analysis pipelines in the back end. For each video it decides what is still needed (stage 1
 * and then stage 2, stage 2 alone, or nothing), records an analysis run, and queues its first
 * step; each later step is queued inside the transaction that commits the step before it
 * (`afterCommit`), so a run finishes with no window open and survives a restart. Stage 2
 * always classifies the video's current clip: the one its current stage 1 result made.
 */
export class AnalysisPipeline {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly results: AnalysisResults,
    private readonly models: ModelService,
  ) {}

  /** Plans and queues a run for each video; 'nothing' (up to date) makes no run. */
  start(actor: string, request: RunRequest): AnalysisPlan[] {
    const scope = request.scope ?? 'needed';
    const videos = request.videoIds.map((id) => this.originalOf(this.ctx.store.videos.get(id), scope));
    const installed = this.models.list();
    // stage 2 asked for by name with no model to classify with: refused at once, with the sentence saying how to add one
    if (scope === 'stage2') this.models.chosen(request.stage2?.modelId);
    const noModel = installed.length === 0 ? errorMessage('NO_MODEL_INSTALLED') : undefined;
    return this.ctx.store.transaction(() =>
      videos.map((video): AnalysisPlan => {
        const needs = scope === 'needed' ? analysisNeeds(this.results.stage1Summary(video.id), this.results.stage2Result(video.id), installed) : scope === 'all' ? 'both stages' : 'stage 2';
        const steps: PlannedStep[] = [];
        if (needs === 'both stages') steps.push({ kind: 'stage1', options: request.stage1 ?? {} });
        if (needs !== 'nothing' && request.stopAfter !== 'stage1') steps.push({ kind: 'stage2', options: request.stage2 ?? {}, ...(noModel ? { skipped: noModel } : {}) });
        if (steps.length === 0) return { videoId: video.id, needs: 'nothing', run: null };
        const run = this.ctx.store.analysisRuns.create(actor, video.id, steps);
        // the first step's problem (a stride with the paper rule, say) is the caller's: nothing is stored
        this.queue(run, steps[0]!, { refuse: true });
        return { videoId: video.id, needs, run: this.describe(run) };
      }),
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
      if (step.skipped === undefined && descriptorOf(step.kind).after === job.kind) this.queue(run, step);
    }
  }

  private describe(run: StoredRun): AnalysisRun {
    const plan = run.steps.map((s) => ({ kind: s.kind, after: descriptorOf(s.kind).after === 'stage1' ? ('stage1' as const) : null, skipped: s.skipped }));
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
