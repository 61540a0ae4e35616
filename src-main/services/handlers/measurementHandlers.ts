import { AppError } from '../../contract/errors.js';
import { annotationValue } from '../../domain/annotationGeometry.js';
import { patientSummary } from '../../domain/patientSummary.js';
import type { ServiceContext } from '../serviceContext.js';
import type { Services } from '../services.js';
import type { AreaHandlers } from './handlerTypes.js';

type MeasurementMethods = 'measurements.get' | 'measurements.frames' | 'measurements.patient' | 'measurements.export' | 'annotations.list' | 'annotations.add' | 'annotations.remove';

/** Posture and gait measurements, their exports, and the lines and angles users draw on frames. */
export function measurementHandlers(ctx: ServiceContext, { measurements }: Services): AreaHandlers<MeasurementMethods> {
  const { store } = ctx;
  return {
    'measurements.get': (request) => {
      store.videos.get(request.videoId);
      return measurements.current(request.videoId);
    },

    'measurements.frames': (request) => {
      store.videos.get(request.videoId);
      return measurements.frames(request.videoId);
    },

    'measurements.patient': (request) => measurements.patient(request.code, patientSummary),

    'measurements.export': (request) => {
      const file = measurements.exportCsv(request.videoId, request.level);
      return { fileName: file.fileName, mimeType: file.mimeType, contentBase64: file.content.toString('base64') };
    },

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
      return store.annotations.add(context.actor, { videoId: video.id, frame: request.frame, shape: request.shape, value, label: request.label ?? '' });
    },

    'annotations.remove': (request, context) => ({ removed: store.annotations.remove(context.actor, request.id).id }),
  };
}
