import { AppError } from '../../contract/errors.js';
import type { ServiceContext } from '../serviceContext.js';
import type { Services } from '../services.js';
import type { AreaHandlers } from './handlerTypes.js';

type StudyMethods =
  | 'readers.list'
  | 'readers.create'
  | 'studies.list'
  | 'studies.create'
  | 'studies.get'
  | 'studies.caseTable'
  | 'studies.readingSession'
  | 'studies.addCases'
  | 'studies.addReader'
  | 'studies.nextCase'
  | 'studies.submitReading'
  | 'studies.assignFolds'
  | 'studies.setFoldModel'
  | 'studies.results'
  | 'studies.report';

/** Readers, reader studies and cross-validation cohorts: cases, readings, folds, results, reports. */
export function studyHandlers(ctx: ServiceContext, { studies, reading, studyResults, models }: Services): AreaHandlers<StudyMethods> {
  const { store } = ctx;
  const studyDetail = (id: number) => ({ study: store.studies.get(id), cases: store.studies.cases(id), progress: reading.progress(id) });
  return {
    'readers.list': () => store.readers.list(),

    'readers.create': (request, context) => store.readers.create(context.actor, request.code, request.displayName, request.role ?? 'clinician'),

    'studies.list': () => store.studies.list(),

    'studies.create': (request, context) => studies.create(context.actor, { ...request, description: request.description ?? '' }),

    'studies.get': (request) => studyDetail(request.id),

    'studies.caseTable': (request) => studies.caseTable(request.id),

    'studies.readingSession': (request, context) => ({ recordedAt: reading.recordSession(context.actor, request.id, request.readerCode, request.action, request.closed === true) }),

    'studies.addCases': (request, context) => studies.addCases(context.actor, request.id, { patientCodes: request.patientCodes ?? [], videoIds: request.videoIds ?? [], training: request.training ?? false }),

    'studies.addReader': (request, context) => {
      studies.addReader(context.actor, request.id, request.readerCode);
      return reading.progress(request.id);
    },

    'studies.nextCase': (request) => reading.nextCase(request.id, request.readerCode),

    'studies.submitReading': (request, context) =>
      reading.submitReading(context.actor, request.id, {
        readerCode: request.readerCode,
        caseCode: request.caseCode,
        call: request.call,
        confidence: request.confidence,
        comment: request.comment ?? '',
        timeSpentMs: request.timeSpentMs,
      }),

    'studies.assignFolds': (request, context) => {
      studyResults.assignFolds(context.actor, request.id, request.folds, request.seed);
      return store.studies.cases(request.id);
    },

    'studies.setFoldModel': (request, context) => {
      const study = store.studies.get(request.id);
      if (study.folds === null) throw new AppError('STUDY_INVALID', 'assign folds before setting fold models');
      if (request.fold >= study.folds) throw new AppError('STUDY_INVALID', `the study has folds 0 to ${study.folds - 1}`);
      models.classifier(request.modelId); // a fold's model scores its cases: a feature backbone gives no score
      store.studies.setFoldModel(context.actor, request.id, request.fold, request.modelId);
      return [...store.studies.foldModels(request.id)].map(([fold, modelId]) => ({ fold, modelId }));
    },

    'studies.results': (request) => studyResults.results(request.id),

    'studies.report': async (request, context) => {
      const rendered = await studyResults.report(request.id, request.format);
      store.audit.record(context.actor, 'study.export', 'study', request.id, null, { what: 'report', format: request.format, fileName: rendered.fileName });
      return { fileName: rendered.fileName, mimeType: rendered.mimeType, contentBase64: rendered.content.toString('base64') };
    },
  };
}
