import type { ServiceContext } from '../serviceContext.js';
import type { Services } from '../services.js';
import type { AreaHandlers } from './handlerTypes.js';

type ScreeningMethods =
  | 'screening.cohort'
  | 'screening.train'
  | 'screening.list'
  | 'screening.get'
  | 'screening.accept'
  | 'screening.retire'
  | 'screening.export'
  | 'screening.import'
  | 'screening.report'
  | 'screening.explain'
  | 'features.status'
  | 'features.extract';

const asFile = (file: { fileName: string; mimeType: string; content: Buffer }) => ({ fileName: file.fileName, mimeType: file.mimeType, contentBase64: file.content.toString('base64') });

/** Screening models (on the posture measures, or heads on video features): the cohort, the video features, training, the stored models and their reports, a patient's explained verdict. */
export function screeningHandlers(ctx: ServiceContext, { screening, videoFeatures }: Services): AreaHandlers<ScreeningMethods> {
  const { store } = ctx;
  /** Exports leave the database: audited with what left, and the file's name. */
  const exported = (actor: string, id: string, what: string, file: { fileName: string; mimeType: string; content: Buffer }, format?: string) => {
    store.audit.record(actor, 'screening-model.export', 'screening-model', id, null, { what, ...(format ? { format } : {}), fileName: file.fileName });
    return asFile(file);
  };
  return {
    'screening.cohort': (request) => screening.preview(request),
    'screening.train': (request, context) => screening.train(context.actor, request),
    'features.status': (request) => videoFeatures.status(request.bundleId, request.patientCodes),
    'features.extract': (request, context) => videoFeatures.extract(context.actor, request.bundleId, request.patientCodes),
    'screening.list': () => screening.list(),
    'screening.get': (request) => screening.get(request.id),
    'screening.accept': (request, context) => screening.accept(context.actor, request.id),
    'screening.retire': (request, context) => screening.retire(context.actor, request.id),
    'screening.export': (request, context) => exported(context.actor, request.id, 'model file', screening.exportFile(request.id)),
    'screening.import': async (request, context) => {
      const source = request.source;
      const path = source.kind === 'path' ? source.path : await ctx.uploads.existing(source.uploadId);
      try {
        return await screening.import(context.actor, path);
      } finally {
        if (source.kind === 'upload') await ctx.uploads.discard(source.uploadId);
      }
    },
    'screening.report': async (request, context) => exported(context.actor, request.id, 'report', await screening.report(request.id, request.format), request.format),
    'screening.explain': (request, context) => {
      const explained = screening.explain(request.code, request.modelId);
      store.audit.record(context.actor, 'patient.open', 'patient', store.patients.getByCode(request.code).id, null, { via: 'screening.explain' });
      return explained;
    },
  };
}
