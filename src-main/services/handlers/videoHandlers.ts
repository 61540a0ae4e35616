import { publicVideo } from '../../store/videosRepo.js';
import type { ServiceContext } from '../serviceContext.js';
import type { Services } from '../services.js';
import type { AreaHandlers } from './handlerTypes.js';

/** Videos and the doctors' assessments of them. */
export function videoHandlers(ctx: ServiceContext, { videos, deidentify, measurements }: Services): AreaHandlers<'videos.import' | 'videos.get' | 'videos.setView' | 'videos.setRecordedOn' | 'videos.thumbnail' | 'videos.exportDeidentified' | 'videos.snapshot' | 'assessments.list' | 'assessments.add'> {
  const { store } = ctx;
  return {
    'videos.import': (request, context) => videos.import(context.actor, request),

    // the review screen opens a patient's video with this: audited as opening the patient
    'videos.get': (request, context) => {
      const video = store.videos.get(request.id);
      store.audit.record(context.actor, 'patient.open', 'patient', video.patientId, null, { via: 'videos.get', videoId: video.id });
      return publicVideo(video);
    },

    'videos.setView': (request, context) => publicVideo(store.videos.setView(context.actor, request.id, request.view)),

    'videos.setRecordedOn': (request, context) => publicVideo(store.videos.setRecordedOn(context.actor, request.id, request.recordedOn)),

    'videos.thumbnail': async (request) => ({ dataUrl: await videos.thumbnailDataUrl(request.id) }),

    'videos.exportDeidentified': async (request, context) => {
      const file = await deidentify.clipFile(request.id);
      store.audit.record(context.actor, 'video.export', 'video', request.id, null, { what: 'de-identified clip', fileName: file.fileName, frames: file.result.frames, blurredFrames: file.result.blurredFrames });
      return { fileName: file.fileName, mimeType: file.mimeType, contentBase64: file.content.toString('base64'), frames: file.result.frames, blurredFrames: file.result.blurredFrames };
    },

    // a still of the review screen: audited as an export, with whether the faces were blurred
    'videos.snapshot': async (request, context) => {
      const pose = request.blurFaces ? measurements.frames(request.id)?.pose : undefined;
      const file = await deidentify.snapshot(request.id, request.timeSec, { blurFaces: request.blurFaces, ...(pose ? { pose } : {}) });
      store.audit.record(context.actor, 'video.export', 'video', request.id, null, { what: 'snapshot', timeSec: request.timeSec, frame: file.frame, blurFaces: request.blurFaces, blurredHeads: file.blurredHeads, fileName: file.fileName });
      return { fileName: file.fileName, mimeType: file.mimeType, contentBase64: file.content.toString('base64'), width: file.width, height: file.height, frame: file.frame, blurredHeads: file.blurredHeads };
    },

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
  };
}
