import { AppError } from '../../contract/errors.js';
import { annotationValue } from '../../domain/annotationGeometry.js';
import { summariseVideos } from '../../domain/posture/summaries.js';
import type { ServiceContext } from '../serviceContext.js';
import type { Services } from '../services.js';
import type { AreaHandlers } from './handlerTypes.js';

type MeasurementMethods = 'measurements.get' | 'measurements.frames' | 'measurements.patient' | 'measurements.export' | 'measurements.summaryPdf' | 'measurements.keyFrame' | 'annotations.list' | 'annotations.add' | 'annotations.remove';

/** Posture and gait measurements, their exports, and the lines and angles users draw on frames. */
export function measurementHandlers(ctx: ServiceContext, { measurements, pipeline, results }: Services): AreaHandlers<MeasurementMethods> {
  const { store } = ctx;
  /** A vertical reference changes every angle of the video: measure it again when it has a stage 1 result. */
  const remeasure = (actor: string, videoId: number) => {
    if (results.currentStage1(videoId)) pipeline.start(actor, { videoIds: [videoId], scope: 'measure' });
  };
  return {
    'measurements.get': (request) => {
      store.videos.get(request.videoId);
      return measurements.current(request.videoId);
    },

    'measurements.frames': (request) => {
      store.videos.get(request.videoId);
      return measurements.frames(request.videoId);
    },

    'measurements.patient': (request, context) => {
      const summary = measurements.patient(request.code, summariseVideos);
      store.audit.record(context.actor, 'patient.open', 'patient', store.patients.getByCode(request.code).id, null, { via: 'measurements.patient' });
      return summary;
    },

    'measurements.export': (request, context) => {
      const file = measurements.exportCsv(request.videoId, request.level);
      store.audit.record(context.actor, 'video.export', 'video', request.videoId, null, { what: 'measurements CSV', level: request.level, fileName: file.fileName });
      return { fileName: file.fileName, mimeType: file.mimeType, contentBase64: file.content.toString('base64') };
    },

    'measurements.summaryPdf': async (request, context) => {
      const file = await measurements.summaryPdf(request.code, summariseVideos);
      store.audit.record(context.actor, 'patient.export', 'patient', store.patients.getByCode(request.code).id, null, { what: 'summary PDF', fileName: file.fileName });
      return { fileName: file.fileName, mimeType: file.mimeType, contentBase64: file.content.toString('base64') };
    },

    'measurements.keyFrame': (request) => measurements.keyFrame(request.code),

    'annotations.list': (request) => {
      store.videos.get(request.videoId);
      return store.annotations.listForVideo(request.videoId);
    },

    'annotations.add': (request, context) => {
      const video = store.videos.get(request.videoId);
      const frames = Math.round(video.probe.durationSec * 30);
      if (request.frame >= Math.max(1, frames)) throw new AppError('ANNOTATION_INVALID', `frame ${request.frame + 1} is past the end of the video (${frames} frames)`);
      const value = annotationValue(request.shape);
      if (value === undefined) throw new AppError('ANNOTATION_INVALID', 'its points are on top of each other');
      const added = store.annotations.add(context.actor, { videoId: video.id, frame: request.frame, shape: request.shape, value, label: request.label ?? '' });
      if (added.shape.kind === 'vertical') remeasure(context.actor, video.id);
      return added;
    },

    'annotations.remove': (request, context) => {
      const removed = store.annotations.remove(context.actor, request.id);
      if (removed.shape.kind === 'vertical') remeasure(context.actor, removed.videoId);
      return { removed: removed.id };
    },
  };
}
