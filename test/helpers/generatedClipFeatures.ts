import type { Cohort, VideoFeaturesSource } from '../../src-main/contract/screening.js';
import { mulberry32 } from '../../src-main/domain/studies/seededOrder.js';
import { buildFeatureCohort, type PatientVideoFeatures } from '../../src-main/domain/screeningCohort.js';

/**
 * A cohort of GENERATED clip features, not from clips (numbers drawn from a seeded generator,
 * not patients and not a network's output), shaped as a feature backbone's cohort: each patient
 * has `videos` videos of `clipsPerVideo` clips, each clip a row of `featureSize` values. A value
 * is a patient offset (SD `patientSd`, the same for all their clips, so clips of a patient are
 * correlated as real ones are) plus clip noise (SD 1); in the first `signalColumns` columns the
 * first half of the patients ("ASD") are shifted by `effect`. The rest carry no signal.
 */
export interface GeneratedFeatureCohortOptions {
  patientsPerClass: number;
  videos: number;
  clipsPerVideo: number;
  featureSize: number;
  signalColumns: number;
  effect: number;
  patientSd: number;
  seed: number;
}

/** Standard normal draws by Box-Muller on the uniform stream. */
function normalStream(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

function generatedPatient(index: number, asd: boolean, options: GeneratedFeatureCohortOptions, normal: () => number): PatientVideoFeatures {
  const offset = Array.from({ length: options.featureSize }, (_, j) => options.patientSd * normal() + (asd && j < options.signalColumns ? options.effect : 0));
  const clip = () => offset.map((m) => m + normal());
  const video = () => ({ clips: Array.from({ length: options.clipsPerVideo }, clip) });
  return {
    code: `GEN${String(index + 1).padStart(3, '0')}`,
    diagnosis: asd ? 'ASD' : index % 2 ? 'LCS' : 'control',
    videos: Array.from({ length: options.videos }, video),
  };
}

export const generatedFeatureSource = (featureSize: number): VideoFeaturesSource => ({
  bundleId: 'generated-features',
  bundleName: 'GENERATED features, not from clips',
  bundleSha256: '0'.repeat(64),
  featureSize,
});

export function generatedFeatureCohort(options: GeneratedFeatureCohortOptions): Cohort {
  const normal = normalStream(options.seed);
  const total = 2 * options.patientsPerClass;
  const patients = Array.from({ length: total }, (_, i) => generatedPatient(i, i < options.patientsPerClass, options, normal));
  return buildFeatureCohort(generatedFeatureSource(options.featureSize), patients);
}
