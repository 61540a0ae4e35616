import { AppError } from '../../contract/errors.js';
import { trainScreeningModel } from '../../domain/learn/trainModel.js';
import { appVersion } from '../../runtime/appVersion.js';
import type { JobWorkModule } from '../jobKind.js';

/** Training in a job's worker thread: pure computation on the cohort the job carries. */
const trainWork: JobWorkModule<'train'>['default'] = async (params, { signal, progress }) => {
  const { fusion } = params;
  return trainScreeningModel(params.cohort, params.protocol, {
    name: params.name,
    appVersion,
    createdAt: new Date().toISOString(),
    patientsSha256: params.patientsSha256,
    ...(fusion
      ? {
          fusion: {
            source: fusion.source,
            bundles: fusion.bundles,
            cnnScores: new Map(fusion.cnnScores.map((s) => [s.code, s.probability])),
            foldOfPatient: fusion.foldOfPatient ? new Map(fusion.foldOfPatient.map((f) => [f.code, f.fold])) : null,
          },
        }
      : {}),
    hooks: {
      onProgress: progress,
      shouldStop: () => {
        if (signal.aborted) throw new AppError('JOB_CANCELLED');
        return false;
      },
    },
  });
};

export default trainWork;
