import type { Cohort, FusionReport, FusionSource, Protocol, ScreeningModelBody } from '../../contract/screening.js';
import { phrase } from '../../contract/phrase.js';
import { AppError } from '../../contract/errors.js';
import { evaluateRepeatedCv } from './crossValidation.js';
import { evaluateFusion } from './fusion.js';
import { progressSpan, type CvHooks } from './hooks.js';
import { notAsdNorms } from './norms.js';
import { chooseRegularisation, innerFits } from './regularisation.js';
import { fitSegmentModel } from './segmentModel.js';

/**
 * Training a screening model on a site's cohort: the repeated nested cross-validation that
 * says how well the procedure does on patients it has not seen (evaluateRepeatedCv), the
 * fusion comparison when a CNN's scores are given (evaluateFusion), then C chosen by the inner
 * cross-validation on all patients and the final model fitted on all of them. The model's
 * verdicts are labelled "not shown to beat chance" unless the lower end of the patient-level
 * balanced-accuracy interval is above 0.5.
 */
export interface TrainOptions {
  name: string;
  appVersion: string;
  createdAt: string;
  /** SHA-256 of the sorted patient codes, computed by the caller (the domain has no hashing). */
  patientsSha256: string;
  fusion?: {
    source: FusionSource;
    bundles: { fold: number | null; id: string }[];
    cnnScores: ReadonlyMap<string, number>;
    foldOfPatient: ReadonlyMap<string, number> | null;
  };
  hooks?: CvHooks;
  /** Milliseconds, for trainingSeconds (default performance.now). */
  now?: () => number;
}

/** The decision threshold of every trained model: P(ASD) >= 0.5 calls ASD. */
export const screeningThreshold = 0.5;

export function trainScreeningModel(cohort: Cohort, protocol: Protocol, options: TrainOptions): ScreeningModelBody {
  if (cohort.refusal !== null) throw new AppError('STATS_INVALID', cohort.refusal);
  const now = options.now ?? (() => performance.now());
  const started = now();
  const hooks = options.hooks ?? {};
  const patients = cohort.patients;
  // a row is a segment's measures, or a clip's video features
  const width = cohort.videoFeatures ? cohort.videoFeatures.featureSize : cohort.features.length;
  const what = cohort.videoFeatures ? `${width} video features` : `${width} measures`;
  const wrong = patients.find((p) => p.segments.some((s) => s.length !== width));
  if (wrong) throw new AppError('STATS_INVALID', `patient ${wrong.code} has rows with a different number of values than the ${what} of the cohort`);

  // progress in proportion to the fits each part makes
  const perSplit = innerFits(protocol) + 1;
  const cvFits = protocol.repeats * protocol.folds * perSplit;
  const fusionFits = options.fusion ? (protocol.folds + 1) * perSplit : 0;
  const finalFits = perSplit;
  const total = cvFits + fusionFits + finalFits;
  const cvEnd = cvFits / total;
  const fusionEnd = (cvFits + fusionFits) / total;

  const evaluation = evaluateRepeatedCv(patients, protocol, progressSpan(hooks, 0, cvEnd));
  let fusion: FusionReport | null = null;
  if (options.fusion) {
    const report = evaluateFusion(patients, options.fusion.cnnScores, options.fusion.foldOfPatient, protocol, progressSpan(hooks, cvEnd, fusionEnd));
    fusion = { source: options.fusion.source, bundles: options.fusion.bundles, ...report };
  }
  const c = chooseRegularisation(patients, protocol, protocol.seed, progressSpan(hooks, fusionEnd, 1));
  if (hooks.shouldStop?.()) throw new AppError('JOB_CANCELLED');
  const model = fitSegmentModel(patients, { c, classWeight: protocol.classWeight });
  hooks.onProgress?.(1, phrase('jobs.progress.train.finalFit', { patients: patients.length, c }));

  // norms explain a posture model's verdict measure by measure; a head's video features have none
  const norms: ScreeningModelBody['norms'] = {};
  if (!cohort.videoFeatures) {
    const featureNorms = notAsdNorms(patients, cohort.features.length);
    cohort.features.forEach((name, j) => (norms[name] = featureNorms[j]!));
  }
  const asd = patients.filter((p) => p.label === 1).length;
  return {
    format: 'walkscope.screening-model',
    formatVersion: 1,
    name: options.name,
    createdAt: options.createdAt,
    appVersion: options.appVersion,
    researchOnly: true,
    features: [...cohort.features],
    ...(cohort.videoFeatures ? { videoFeatures: cohort.videoFeatures } : {}),
    standardisation: model.standardisation,
    coefficients: model.coefficients,
    intercept: model.intercept,
    c,
    threshold: screeningThreshold,
    norms,
    cohort: {
      patients: patients.length,
      asd,
      notAsd: patients.length - asd,
      segments: patients.reduce((s, p) => s + p.segments.length, 0),
      byDiagnosis: cohort.counts.byDiagnosis,
      excluded: cohort.excluded.length,
      patientsSha256: options.patientsSha256,
    },
    protocol,
    evaluation,
    fusion,
    beatsChance: evaluation.patient.balancedAccuracy.lower > 0.5,
    trainingSeconds: (now() - started) / 1000,
  };
}
