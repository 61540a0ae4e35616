import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Job } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import type { JobParams } from '../contract/jobs.js';
import {
  defaultFeatures,
  protocolSchema,
  screeningModelFileSchema,
  type Cohort,
  type CohortPreview,
  type CohortRequest,
  type FusionSource,
  type Protocol,
  type ScreeningExplanation,
  type ScreeningModel,
  type ScreeningModelSummary,
} from '../contract/screening.js';
import { explainPatient } from '../domain/learn/explain.js';
import { buildCohort, usableSegments, type PatientMeasurements } from '../domain/screeningCohort.js';
import { renderScreeningReport } from '../report/screeningReport.js';
import type { RenderedReport, ReportFormat } from '../report/studyReport.js';
import { appVersion } from '../runtime/appVersion.js';
import { publicJob } from '../store/jobsRepo.js';
import { writeFeatureCohortFile } from '../store/featureCohortFile.js';
import { headBundleIdOf, screeningModelSha256 } from '../store/screeningModelsRepo.js';
import { writeHeadBundle } from '../classify/headBundle.js';
import type { ModelService } from './modelService.js';
import type { VideoFeatureService } from './videoFeatureService.js';
import type { AnalysisResults } from './analysisResults.js';
import type { MeasurementService } from './measurementService.js';
import { japaneseFontPath, reportLanguage } from './reportLanguage.js';
import type { ServiceContext } from './serviceContext.js';

/** "0.812 (0.701-0.905)": an estimate and its 95% interval. */
const interval = (i: { estimate: number; lower: number; upper: number }) => `${i.estimate.toFixed(3)} (${i.lower.toFixed(3)}-${i.upper.toFixed(3)})`;

/** A model exchange file larger than this is not a screening model. */
const maxModelFileBytes = 20 * 1024 * 1024;

export interface TrainRequest {
  cohort?: CohortRequest;
  protocol?: Partial<Protocol>;
  name?: string;
  fuse?: FusionSource;
}

/**
 * The screening model a site trains on its own patients' posture measures: the cohort it
 * would use, training as a job, the stored models (accept, retire, export, import), their
 * cross-validation reports, and the explanation of one patient's verdict.
 */
export class ScreeningService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly results: AnalysisResults,
    private readonly measurements: MeasurementService,
    private readonly videoFeatures: VideoFeatureService,
    private readonly models: ModelService,
  ) {}

  // ---- the cohort ----

  /** The patients (with their segments) a model would be trained on, and who is left out and why. */
  cohort(request: CohortRequest = {}): Cohort {
    if (request.videoFeaturesFrom) return this.videoFeatures.cohort(request.videoFeaturesFrom, request.patientCodes);
    const { store } = this.ctx;
    const patients = request.patientCodes ? [...new Set(request.patientCodes)].map((code) => store.patients.getByCode(code)) : store.patients.list('', 1_000_000);
    const rows: PatientMeasurements[] = patients.map((p) => ({
      code: p.code,
      diagnosis: p.diagnosis,
      videos: store.videos
        .listForPatient(p.id)
        .filter((v) => v.kind === 'original')
        .map((v) => this.measurements.current(v.id)),
    }));
    return buildCohort(request.features ?? defaultFeatures, rows);
  }

  preview(request: CohortRequest = {}): CohortPreview {
    const cohort = this.cohort(request);
    return { ...cohort, patients: cohort.patients.map((p) => ({ ...p, segments: p.segments.length })) };
  }

  // ---- training ----

  /** Queues training on the cohort as it is now (the job keeps a copy of the data it trains on). */
  async train(actor: string, request: TrainRequest): Promise<Job> {
    const cohort = this.cohort(request.cohort ?? {});
    if (cohort.refusal) throw new AppError('COHORT_INVALID', cohort.refusal);
    const protocol = protocolSchema.parse(request.protocol ?? {});
    const codes = cohort.patients.map((p) => p.code).sort();
    const source = cohort.videoFeatures;
    if (source && request.fuse) throw new AppError('COHORT_INVALID', 'fusion combines a posture-measure model with a 3D CNN; train the head on video features alone, then fuse a posture model with it (fuse with the head)');
    const fusion = request.fuse ? this.fusionInputs(request.fuse, codes) : null;
    const date = new Date().toISOString().slice(0, 10);
    // a video-features cohort's clips travel in a checked file beside the database, not in the job's params
    const featuresFile = source ? await this.writeCohortRows(cohort) : undefined;
    const params: JobParams<'train'> = {
      name: request.name ?? (source ? `Head on ${source.bundleName}, ${cohort.patients.length} patients, ${date}` : `Posture model, ${cohort.patients.length} patients, ${date}`),
      requestedBy: actor,
      cohort: source ? { ...cohort, patients: cohort.patients.map((p) => ({ ...p, segments: [] })) } : cohort,
      protocol,
      patientsSha256: createHash('sha256').update(codes.join('\n')).digest('hex'),
      ...(featuresFile ? { featuresFile } : {}),
      fusion,
    };
    const job = this.ctx.jobs.enqueue('train', null, params);
    this.ctx.store.audit.record(actor, 'screening-model.train', 'job', job.id, null, { name: params.name, features: cohort.features, videoFeatures: source ?? null, counts: cohort.counts, protocol, fuse: request.fuse ?? null });
    return publicJob(job);
  }

  private async writeCohortRows(cohort: Cohort): Promise<{ path: string; sha256: string }> {
    const path = join(this.ctx.store.dataDir, 'training-inputs', `${Date.now()}-${randomBytes(6).toString('hex')}.bin`);
    const patients = cohort.patients.map((p) => ({ clips: p.segments.map((row) => Float32Array.from(row)) }));
    const sha256 = await writeFeatureCohortFile(path, cohort.videoFeatures!.featureSize, patients);
    return { path, sha256 };
  }

  /** Each cohort patient's 3D CNN score (mean P(ASD) of their videos) from the bundle, or from their fold's bundle in a study. */
  private fusionInputs(source: FusionSource, codes: readonly string[]): NonNullable<JobParams<'train'>['fusion']> {
    const { store } = this.ctx;
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    if (source.kind === 'bundle') {
      store.modelBundles.get(source.id);
      const cnnScores = codes.flatMap((code) => {
        const patient = store.patients.getByCode(code);
        const scores = store.videos
          .listForPatient(patient.id)
          .filter((v) => v.kind === 'original')
          .flatMap((v) => {
            const r = this.results.stage2Result(v.id, source.id);
            return r ? [r.videoScore] : [];
          });
        return scores.length > 0 ? [{ code, probability: mean(scores) }] : [];
      });
      if (cnnScores.length === 0) throw new AppError('COHORT_INVALID', `no patient of the cohort has a stage 2 result from bundle ${source.id}; run stage 2 with it first`);
      return { source, bundles: [{ fold: null, id: source.id }], cnnScores, foldOfPatient: null };
    }
    if (source.kind === 'head') {
      const head = this.get(source.id);
      if (!head.body.videoFeatures) throw new AppError('COHORT_INVALID', `${head.name} is a posture-measure model; fuse with a head trained on video features`);
      // the head's out-of-fold probabilities: each from a head that never saw the patient
      const wanted = new Set(codes);
      const cnnScores = head.body.evaluation.predictions.filter((p) => wanted.has(p.code)).map((p) => ({ code: p.code, probability: p.probability }));
      if (cnnScores.length === 0) throw new AppError('COHORT_INVALID', `no patient of the cohort is in the training cohort of ${head.name}`);
      return { source, bundles: [{ fold: null, id: headBundleIdOf(head.id) }], cnnScores, foldOfPatient: null };
    }
    const study = store.studies.get(source.id);
    if (study.kind !== 'cross-validation') throw new AppError('COHORT_INVALID', `study ${study.id} (${study.name}) is a reader study; fusion needs a cross-validation study with a bundle per fold`);
    if (study.folds === null) throw new AppError('COHORT_INVALID', `study ${study.id} (${study.name}) has no folds yet; assign its folds and a bundle to each`);
    const foldModels = store.studies.foldModels(study.id);
    const missing = Array.from({ length: study.folds }, (_, f) => f).filter((f) => !foldModels.has(f));
    if (missing.length > 0) throw new AppError('COHORT_INVALID', `study ${study.id} has no bundle for fold ${missing.map((f) => f + 1).join(', ')}; every CNN score must come from the bundle that did not see its fold`);
    const wanted = new Set(codes);
    const perPatient = new Map<string, { fold: number; scores: number[] }>();
    for (const c of store.studies.cases(study.id)) {
      if (!wanted.has(c.patientCode) || c.fold === null) continue;
      const entry = perPatient.get(c.patientCode) ?? { fold: c.fold, scores: [] };
      if (entry.fold !== c.fold) throw new AppError('COHORT_INVALID', `patient ${c.patientCode} is in two folds of study ${study.id}; its folds are not by patient`);
      const r = this.results.stage2Result(c.videoId, foldModels.get(c.fold)!);
      if (r) entry.scores.push(r.videoScore);
      perPatient.set(c.patientCode, entry);
    }
    const cnnScores = [...perPatient].flatMap(([code, e]) => (e.scores.length > 0 ? [{ code, probability: mean(e.scores) }] : []));
    if (cnnScores.length === 0) throw new AppError('COHORT_INVALID', `no patient of the cohort has a stage 2 result from their fold's bundle in study ${study.id}`);
    return {
      source,
      bundles: [...foldModels].sort((a, b) => a[0] - b[0]).map(([fold, id]) => ({ fold, id })),
      cnnScores,
      foldOfPatient: [...perPatient].map(([code, e]) => ({ code, fold: e.fold })),
    };
  }

  // ---- stored models ----

  list(): ScreeningModelSummary[] {
    return this.ctx.store.screeningModels.list();
  }

  get(id: string): ScreeningModel {
    return this.ctx.store.screeningModels.get(id);
  }

  /** Accepts a model; a head on video features is first written into a stage 2 bundle (backbone and head in one graph) and installed. */
  async accept(actor: string, id: string): Promise<ScreeningModelSummary> {
    const model = this.get(id);
    if (model.body.videoFeatures) await this.installHead(actor, model);
    const { body: _b, ...summary } = this.ctx.store.screeningModels.accept(actor, id);
    return summary;
  }

  private async installHead(actor: string, model: ScreeningModel): Promise<void> {
    const source = model.body.videoFeatures!;
    const bundleId = headBundleIdOf(model.id);
    if (this.ctx.store.modelBundles.find(bundleId)) return;
    const backbone = this.ctx.store.modelBundles.find(source.bundleId);
    if (!backbone || backbone.sha256 !== source.bundleSha256) {
      throw new AppError('MODEL_NOT_FOUND', `${source.bundleId} with the weights the head was trained on (SHA-256 ${source.bundleSha256.slice(0, 12)}…); import that feature backbone again to accept the head`);
    }
    const { body } = model;
    const patient = body.evaluation.patient;
    const temp = await mkdtemp(join(this.ctx.store.vault.tmpDir, 'head-'));
    try {
      await writeHeadBundle(
        this.models.folderOf(source.bundleId),
        { mean: body.standardisation.mean, scale: body.standardisation.scale, coefficients: body.coefficients, intercept: body.intercept },
        {
          id: bundleId,
          name: `${body.name} (${model.id})`,
          version: '1',
          provenance: {
            trainingData: `${body.cohort.patients} patients of this site (${body.cohort.asd} ASD, ${body.cohort.notAsd} not ASD; ${body.cohort.segments} clips); patients SHA-256 ${body.cohort.patientsSha256}`,
            crossValidatedMetrics: {
              summary: `patient level, ${body.protocol.repeats} x ${body.protocol.folds}-fold by patient: balanced accuracy ${interval(patient.balancedAccuracy)}, AUROC ${patient.auroc ? interval(patient.auroc) : 'undefined'}, sensitivity ${interval(patient.sensitivity)}, specificity ${interval(patient.specificity)}${body.beatsChance ? '' : '; not shown to beat chance'}`,
              level: 'patient (mean of the clips\' P(ASD))',
              protocol: `${body.protocol.repeats} x ${body.protocol.folds}-fold, patient-disjoint, C by ${body.protocol.innerFolds}-fold inner cross-validation`,
              balancedAccuracy: patient.balancedAccuracy,
              auroc: patient.auroc,
              sensitivity: patient.sensitivity,
              specificity: patient.specificity,
              beatsChance: body.beatsChance,
            },
            date: body.createdAt.slice(0, 10),
            authors: [actor],
            screeningModel: { id: model.id, sha256: model.sha256 },
            backbone: { id: source.bundleId, sha256: source.bundleSha256 },
          },
          intendedUse: 'Research only: a logistic-regression head trained at this site on the clip features of a feature backbone. Not validated for clinical use.',
          threshold: body.threshold,
        },
        temp,
      );
      await this.models.import(actor, temp, `head of ${model.id}`);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }

  retire(actor: string, id: string): ScreeningModelSummary {
    const { body: _b, ...summary } = this.ctx.store.screeningModels.retire(actor, id);
    return summary;
  }

  /** The exchange file: the body and the SHA-256 of its canonical JSON. */
  exportFile(id: string): RenderedReport {
    const model = this.get(id);
    const content = JSON.stringify({ sha256: model.sha256, model: model.body }, null, 2);
    return { fileName: `walkscope-screening-model-${model.id}.json`, mimeType: 'application/json', content: Buffer.from(`${content}\n`, 'utf8') };
  }

  /** Reads an exchange file; refuses one that is not a model, names another format, or whose body does not hash to its SHA-256. */
  async import(actor: string, path: string): Promise<ScreeningModelSummary> {
    const name = basename(path);
    const size = (await stat(path).catch(() => null))?.size;
    if (size === undefined) throw new AppError('FILE_NOT_FOUND', path);
    if (size > maxModelFileBytes) throw new AppError('SCREENING_MODEL_INVALID', `${name} is ${Math.round(size / 1024 / 1024)} MB; a screening model file is a few hundred kilobytes`);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch {
      throw new AppError('SCREENING_MODEL_INVALID', `${name} is not a JSON file`);
    }
    const parsed = screeningModelFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('SCREENING_MODEL_INVALID', `${name} is not a WalkScope screening model (${issue.path.join('.') || 'the file'}: ${issue.message})`);
    }
    const { sha256, model: body } = parsed.data;
    const actual = screeningModelSha256(body);
    if (actual !== sha256) throw new AppError('SCREENING_MODEL_INVALID', `${name} was changed after it was exported: its contents hash to ${actual.slice(0, 12)}…, not the ${sha256.slice(0, 12)}… it states`);
    // the schema has checked that the coefficients and the standardisation match the measures (or a head's video features)
    const { body: _b, ...summary } = this.ctx.store.screeningModels.insert(actor, { body, origin: `imported from ${name}`, jobId: null });
    return summary;
  }

  report(id: string, format: ReportFormat): Promise<RenderedReport> {
    const model = this.get(id);
    // HTML and PDF in the report language (the setting, or this machine's locale); the Japanese PDF needs the bundled font
    const language = reportLanguage(this.ctx.store.settings.get());
    return renderScreeningReport(
      { id: model.id, sha256: model.sha256, status: model.status, model: model.body, generatedAt: new Date().toISOString(), appVersion, language, japaneseFontPath: language === 'ja' ? japaneseFontPath() : null },
      format,
    );
  }

  // ---- one patient's verdict ----

  /** The active (or named) model's probability for a patient, measure by measure; null with the reason when there is none. */
  explain(code: string, modelId?: string): { explanation: ScreeningExplanation | null; reason: string | null; missing: 'model' | 'measurements' | null } {
    const patient = this.ctx.store.patients.getByCode(code);
    const model = modelId ? this.get(modelId) : this.ctx.store.screeningModels.active();
    if (!model) return { explanation: null, reason: 'No screening model has been accepted yet: train one from your patients on the Models screen, or import one.', missing: 'model' };
    const measured = this.originals(patient.id).flatMap((v) => {
      const m = this.measurements.current(v.id);
      return m ? [m] : [];
    });
    if (measured.length === 0) return { explanation: null, reason: `${patient.code} has no measured video yet: analyse the patient's videos first.`, missing: 'measurements' };
    const usable = usableSegments(model.body.features, measured);
    if (usable.rows.length === 0) {
      const why = usable.sagittal === 0 ? 'no segment of the measured videos is seen from the side' : `none of the ${usable.sagittal} side-on segments has every measure the model uses`;
      return { explanation: null, reason: `The model cannot be applied to ${patient.code}: ${why}.`, missing: 'measurements' };
    }
    const cnn = model.body.fusion ? this.cnnOfPatient(patient.id, model.body.fusion.bundles.map((b) => b.id)) : null;
    const explained = explainPatient(model.body, { code: patient.code, segments: usable.rows, videos: usable.videosUsed }, cnn);
    return {
      explanation: { model: { id: model.id, name: model.name, sha256: model.sha256, beatsChance: model.beatsChance, status: model.status }, ...explained },
      reason: null,
      missing: null,
    };
  }

  private originals(patientId: number) {
    return this.ctx.store.videos.listForPatient(patientId).filter((v) => v.kind === 'original');
  }

  /** The patient's mean stage 2 P(ASD) over the fused model's bundles (a study's fold bundles are averaged). */
  private cnnOfPatient(patientId: number, bundleIds: readonly string[]): { probability: number; bundleIds: string[] } | null {
    const scores: number[] = [];
    const used = new Set<string>();
    for (const v of this.originals(patientId)) {
      for (const id of bundleIds) {
        const r = this.results.stage2Result(v.id, id);
        if (r) {
          scores.push(r.videoScore);
          used.add(id);
        }
      }
    }
    return scores.length > 0 ? { probability: scores.reduce((s, x) => s + x, 0) / scores.length, bundleIds: [...used] } : null;
  }
}
