import type { ServiceHandlers } from '../contract/dispatcher.js';
import { AppError } from '../contract/errors.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDataLocation, writeDataLocation } from '../store/dataLocation.js';
import { publicJob } from '../store/jobsRepo.js';
import { publicVideo } from '../store/videosRepo.js';
import { importVideo } from './importVideo.js';
import { appVersion } from './appVersion.js';
import type { WalkScopeApp } from './walkscopeApp.js';
import { StudyService } from './studyService.js';
import { assignFolds, studyResults, studyRows } from './studyResults.js';
import { renderStudyReport } from '../report/studyReport.js';
import { ModelService } from './modelService.js';
import { enqueueStage2, stage2ResultOf } from './stage2Service.js';
import { enqueueStage1, stage1SummaryOf, tracksOf } from './stage1Service.js';

/**
 * The implementation of every contract method. Requests arrive parsed and typed; handlers
 * throw AppError for anything the user must act on. No transport-specific code here.
 */
export function createHandlers(app: WalkScopeApp): ServiceHandlers {
  const { store } = app;
  const studies = new StudyService(store);
  const models = new ModelService(store);
  const studyDetail = (id: number) => ({ study: store.studies.get(id), cases: store.studies.cases(id), progress: store.studies.progress(id) });
  const handlers: ServiceHandlers = {
    'app.info': (_request, context) => ({
      name: 'WalkScope',
      version: appVersion,
      dataDir: store.dataDir,
      transport: context.transport === 'test' ? 'cli' : context.transport,
      ffmpeg: app.ffmpegInfo(),
      schemaVersion: store.schemaVersion,
      actor: context.actor,
      dataFolder: dataFolderInfo(app.options.dataLocationHome, store.dataDir),
    }),

    'patients.list': (request) => store.patients.list(request.search ?? '', request.limit ?? 200),

    'patients.get': (request) => {
      const patient = store.patients.getByCode(request.code);
      return { patient, videos: store.videos.listForPatient(patient.id).map(publicVideo) };
    },

    'patients.create': (request, context) => {
      const { code, ...fields } = request;
      return store.patients.create(context.actor, code, fields);
    },

    'patients.update': (request, context) => store.patients.update(context.actor, request.code, request.changes),

    'videos.import': async (request, context) => {
      const source = request.source;
      const file = source.kind === 'path' ? source.path : await app.uploads.existing(source.uploadId);
      try {
        const outcome = await importVideo(store, {
          actor: context.actor,
          patientCode: request.patientCode,
          file,
          displayName: source.kind === 'upload' ? source.fileName : undefined,
          originalPath: source.kind === 'path' ? source.path : null,
          view: request.view ?? 'unknown',
          ffmpeg: app.ffmpegOverrides(),
        });
        let jobId: number | null = null;
        if (!outcome.deduplicated || !outcome.video.hasThumbnail) {
          const pending = store.jobs.list(['queued', 'running']).find((j) => j.kind === 'media.analyse' && j.videoId === outcome.video.id);
          jobId =
            pending?.id ??
            app.runner.enqueue('media.analyse', outcome.video.id, {
              videoPath: store.vault.absolute(outcome.video.vaultPath),
              durationSec: outcome.video.probe.durationSec,
            }).id;
        }
        return { video: publicVideo(outcome.video), deduplicated: outcome.deduplicated, jobId };
      } finally {
        if (source.kind === 'upload') await app.uploads.discard(source.uploadId);
      }
    },

    'videos.get': (request) => publicVideo(store.videos.get(request.id)),

    'videos.setView': (request, context) => publicVideo(store.videos.setView(context.actor, request.id, request.view)),

    'videos.thumbnail': async (request) => ({ dataUrl: await app.thumbnailDataUrl(store.videos.get(request.id).thumbnailPath) }),

    'jobs.list': (request) => store.jobs.list(request.status, request.limit ?? 100).map(publicJob),

    'jobs.cancel': async (request) => {
      const job = store.jobs.find(request.id);
      if (!job) throw new AppError('JOB_NOT_FOUND', String(request.id));
      return publicJob(await app.runner.cancel(request.id));
    },

    'readers.list': () => store.readers.list(),

    'readers.create': (request, context) => store.readers.create(context.actor, request.code, request.displayName, request.role ?? 'clinician'),

    'assessments.list': (request) => {
      store.videos.get(request.videoId);
      return store.assessments.listForVideo(request.videoId);
    },

    'assessments.add': (request, context) => {
      const video = store.videos.get(request.videoId);
      const reader = store.readers.getByCode(request.readerCode);
      return store.assessments.add(context.actor, {
        videoId: video.id,
        readerId: reader.id,
        call: request.call,
        confidence: request.confidence,
        comment: request.comment ?? '',
        amends: request.amends ?? null,
      });
    },

    'studies.list': () => store.studies.list(),

    'studies.create': (request, context) => studies.create(context.actor, { ...request, description: request.description ?? '' }),

    'studies.get': (request) => studyDetail(request.id),

    'studies.addCases': (request, context) =>
      studies.addCases(context.actor, request.id, { patientCodes: request.patientCodes ?? [], videoIds: request.videoIds ?? [] }),

    'studies.addReader': (request, context) => {
      studies.addReader(context.actor, request.id, request.readerCode);
      return store.studies.progress(request.id);
    },

    'studies.nextCase': (request) => studies.nextCase(request.id, request.readerCode),

    'studies.submitReading': (request, context) => {
      studies.submitReading(context.actor, request.id, {
        readerCode: request.readerCode,
        caseCode: request.caseCode,
        call: request.call,
        confidence: request.confidence,
        comment: request.comment ?? '',
        timeSpentMs: request.timeSpentMs,
      });
      return studies.nextCase(request.id, request.readerCode);
    },

    'studies.assignFolds': (request, context) => {
      assignFolds(store, context.actor, request.id, request.folds, request.seed);
      return store.studies.cases(request.id);
    },

    'studies.setFoldModel': (request, context) => {
      const study = store.studies.get(request.id);
      if (study.folds === null) throw new AppError('STUDY_INVALID', 'assign folds before setting fold models');
      if (request.fold >= study.folds) throw new AppError('STUDY_INVALID', `the study has folds 0 to ${study.folds - 1}`);
      models.get(request.modelId);
      store.studies.setFoldModel(context.actor, request.id, request.fold, request.modelId);
      return [...store.studies.foldModels(request.id)].map(([fold, modelId]) => ({ fold, modelId }));
    },

    'studies.results': (request) => studyResults(store, request.id),

    'studies.report': async (request) => {
      const results = studyResults(store, request.id);
      const modelIds = new Set(results.comparison?.raters.filter((r) => r.isModel).map((r) => r.rater.replace(/^model:/, '')) ?? []);
      const installed = new Map(models.list().map((m) => [m.id, m]));
      // A score whose model is no longer installed cannot be identified: it is reported as not validated.
      const reportModels = [...modelIds].map((id) => {
        const m = installed.get(id);
        return m ? { id, name: m.name, version: m.version, sha256: m.sha256, validated: m.validated } : { id, name: id, version: 'unknown', sha256: 'unknown', validated: false };
      });
      const rendered = await renderStudyReport({ results, appVersion, generatedAt: new Date().toISOString(), models: reportModels }, studyRows(store, request.id), request.format);
      return { fileName: rendered.fileName, mimeType: rendered.mimeType, contentBase64: rendered.content.toString('base64') };
    },

    'models.list': () => models.list(),

    'models.get': (request) => models.get(request.id),

    'models.import': async (request, context) => {
      const source = request.source;
      const path = source.kind === 'path' ? source.path : await app.uploads.existing(source.uploadId);
      try {
        return await models.import(context.actor, path);
      } finally {
        if (source.kind === 'upload') await app.uploads.discard(source.uploadId);
      }
    },

    'models.remove': async (request, context) => {
      await models.remove(context.actor, request.id);
      return { removed: request.id };
    },

    'analyses.runStage1': (request) => enqueueStage1(app, request),

    'analyses.stage1': (request) => {
      store.videos.get(request.videoId);
      return stage1SummaryOf(store, request.videoId);
    },

    'analyses.tracks': (request) => {
      store.videos.get(request.videoId);
      return tracksOf(store, request.videoId);
    },

    'analyses.runStage2': (request) => enqueueStage2(app, models, request),

    'analyses.stage2': (request) => {
      store.videos.get(request.videoId);
      return stage2ResultOf(store, request.videoId);
    },

    'audit.list': (request) =>
      store.audit.list({
        ...(request.entity !== undefined ? { entity: request.entity } : {}),
        ...(request.entityId !== undefined ? { entityId: request.entityId } : {}),
        limit: request.limit ?? 100,
      }),

    'settings.get': () => store.settings.get(),

    'settings.update': (request, context) => store.settings.update(context.actor, request.changes),

    'settings.setDataFolder': (request, context) => {
      const home = app.options.dataLocationHome;
      if (!home) throw new AppError('DATA_FOLDER_FIXED', store.dataDir);
      const before = resolveDataLocation(home).dataDir;
      const next = writeDataLocation(home, request.path, store.dataDir);
      store.audit.record(context.actor, 'settings.dataFolder', 'settings', 'app', { dataDir: before }, { dataDir: next });
      return { current: store.dataDir, next, holdsWalkScopeData: existsSync(join(next, 'walkscope.db')) };
    },
  };
  return handlers;
}

/** Whether the data folder may be changed here, and the one data-location.json names for the next start when it differs. */
function dataFolderInfo(home: string | undefined, current: string): { changeable: boolean; next: string | null } {
  if (!home) return { changeable: false, next: null };
  try {
    const next = resolveDataLocation(home).dataDir;
    return { changeable: true, next: next === current ? null : next };
  } catch {
    return { changeable: true, next: null };
  }
}
