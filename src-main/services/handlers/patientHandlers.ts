import { publicVideo } from '../../store/videosRepo.js';
import type { ServiceContext } from '../serviceContext.js';
import type { AreaHandlers } from './handlerTypes.js';

/** Patients: the list, one patient with their videos (opening one is audited), creating and editing (audited in the store). */
export function patientHandlers(ctx: ServiceContext): AreaHandlers<'patients.list' | 'patients.get' | 'patients.create' | 'patients.update'> {
  const { store } = ctx;
  return {
    'patients.list': (request) => store.patients.list(request.search ?? '', request.limit ?? 200),

    'patients.get': (request, context) => {
      const patient = store.patients.getByCode(request.code);
      store.audit.record(context.actor, 'patient.open', 'patient', patient.id, null, { via: 'patients.get' });
      return { patient, videos: store.videos.listForPatient(patient.id).map(publicVideo) };
    },

    'patients.create': (request, context) => {
      const { code, ...fields } = request;
      return store.patients.create(context.actor, code, fields);
    },

    'patients.update': (request, context) => store.patients.update(context.actor, request.code, request.changes),
  };
}
