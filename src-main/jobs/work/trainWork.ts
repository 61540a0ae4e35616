import { AppError } from '../../contract/errors.js';
import type { JobParams } from '../../contract/jobs.js';
import type { Cohort } from '../../contract/screening.js';
import { readFeatureCohortFile } from '../../store/featureCohortFile.js';
import { trainScreeningModel } from '../../domain/learn/trainModel.js';
import { appVersion } from '../../runtime/appVersion.js';
import type { JobWorkModule } from '../jobKind.js';

/** Training in a job's worker thread: pure computation on the cohort the job carries. */
const trainWork: JobWorkModule<'train'>['default'] = async (params, { signal, progress }) => {
  const { fusion } = params;
  return trainScreeningModel(await withRows(params), params.protocol, {
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

/** The cohort with its rows: carried in the params (posture measures) or read from the checked file (video features). */
async function withRows(params: JobParams<'train'>): Promise<Cohort> {
  const { cohort, featuresFile } = params;
  if (!featuresFile) return cohort;
  const { featureSize, rows } = await readFeatureCohortFile(featuresFile.path, featuresFile.sha256);
  if (featureSize !== cohort.videoFeatures?.featureSize) throw new AppError('FEATURES_NOT_EXTRACTED', `the training input holds ${featureSize} features per clip, the cohort ${cohort.videoFeatures?.featureSize ?? 0}; train again`);
  if (rows.length !== cohort.patients.length) throw new AppError('FEATURES_NOT_EXTRACTED', `the training input holds ${rows.length} patients, the cohort ${cohort.patients.length}; train again`);
  return { ...cohort, patients: cohort.patients.map((p, i) => ({ ...p, segments: rows[i]! })) };
}

export default trainWork;
