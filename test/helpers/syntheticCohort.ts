import type { Diagnosis, VideoProbe } from '../../src-main/contract/entities.js';
import { sagittalFive, type MeasureName } from '../../src-main/contract/measurements.js';
import type { Cohort, CohortPatient } from '../../src-main/contract/screening.js';
import { outlyingness, quantileType7 } from '../../src-main/domain/learn/gate.js';
import { sigmoid } from '../../src-main/domain/learn/logisticRegression.js';
import { notAsdNorms, patientMeans } from '../../src-main/domain/learn/norms.js';
import { normalCdf } from '../../src-main/domain/stats/normal.js';
import { xoshiro128ss } from '../../src-main/domain/stats/prng.js';
import type { Store } from '../../src-main/store/store.js';

/**
 * A generated cohort for study tests: patients with labels and registered video rows (no
 * real files behind them). Not clinical data: no labelled ASD gait dataset exists in public.
 */
export function syntheticProbe(durationSec: number): VideoProbe {
  return {
    container: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'h264', pixelFormat: 'yuv420p', width: 1280, height: 720, displayWidth: 1280, displayHeight: 720,
    rotation: 0, durationSec, avgFps: 30, realFps: 30, variableFrameRate: false, frameCount: Math.round(durationSec * 30), bitRate: 2_000_000, hasAudio: false, audioCodec: null,
  };
}

export function addSyntheticPatients(store: Store, patients: Array<{ code: string; diagnosis: Diagnosis; videos: number }>): Map<string, number[]> {
  const videoIds = new Map<string, number[]>();
  let n = 0;
  for (const p of patients) {
    const patient = store.patients.create('test', p.code, { diagnosis: p.diagnosis });
    const ids: number[] = [];
    for (let v = 0; v < p.videos; v++) {
      n++;
      const sha = n.toString(16).padStart(64, '0');
      ids.push(store.videos.insert('test', { patientId: patient.id, kind: 'original', sourceVideoId: null, sha256: sha, vaultPath: `videos/00/${sha}.mp4`, originalName: `${p.code}_${v}.mp4`, originalPath: null, view: 'sagittal', sizeBytes: 1000, probe: syntheticProbe(6 + (n % 5)) }).id);
    }
    videoIds.set(p.code, ids);
  }
  return videoIds;
}

// ---- SYNTHETIC cohorts of measured segments for the screening model's tests ----

/**
 * Options of a SYNTHETIC cohort (generated numbers, not patients). In standard units, a
 * patient's segment value of measure j is
 *   label * effect_j * betweenSd + b_j + e_j,   b_j ~ N(0, betweenSd^2) per patient,
 *                                               e_j ~ N(0, withinSd^2) per segment,
 * independently over measures, patients and segments; it is then put on the measure's own
 * scale (a typical value and spread, e.g. trunk lean 6 +- 3 deg) so the numbers look like
 * measures. `effect` is the ASD minus not-ASD difference of the class means in units of
 * betweenSd, one number for every measure or one per measure.
 */
export interface SyntheticCohortOptions {
  patientsPerClass: number;
  /** Segments per patient, drawn uniformly from [min, max] (inclusive). */
  segmentsPerPatient: readonly [number, number];
  effect: number | readonly number[];
  features?: readonly MeasureName[];
  seed: number;
  betweenSd?: number;
  withinSd?: number;
}

export interface SyntheticCohort {
  /** Codes SYN-001, SYN-002, ...; the warnings say it is SYNTHETIC. */
  cohort: Cohort;
  /**
   * The AUROC of the optimal score of the patient-mean measures under the generator. A
   * patient with m segments has mean measures ~ N(label * delta, v(m) I) with
   * v(m) = betweenSd^2 + withinSd^2 / m (in standard units, delta_j = effect_j * betweenSd):
   * this is how the segment count enters. With a fixed m the classes are Gaussian with equal
   * covariance, the optimal score is linear (delta . mean), and AUROC = Phi(Delta / sqrt(2))
   * with Delta = |delta| / sqrt(v(m)) the Mahalanobis distance. With m varying over the range
   * this is the AUROC of the same linear score, exactly averaged over the uniform pairs
   * (m_ASD, m_notASD): Phi(|delta| / sqrt(v(m1) + v(m2))) (a score that also used m could do
   * very slightly better).
   */
  knownAuroc: number;
}

/** A typical value and spread for each measure, so generated numbers look like measures. */
const measureScale: Partial<Record<MeasureName, { base: number; unit: number }>> = {
  trunkLean: { base: 6, unit: 3 },
  headForward: { base: 20, unit: 5 },
  shoulderHipOffset: { base: 0.05, unit: 0.03 },
  maxHipFlexion: { base: 30, unit: 5 },
  hipRange: { base: 40, unit: 6 },
};

function normalSampler(seed: number): () => number {
  const random = xoshiro128ss(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    // Box-Muller; 1 - u keeps the logarithm finite
    const u = 1 - random.next();
    const v = random.next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

const notAsdDiagnoses: Diagnosis[] = ['DHS', 'LCS', 'HipOA', 'other'];

/** A SYNTHETIC cohort (see SyntheticCohortOptions); the same options give the same cohort. */
export function syntheticCohort(options: SyntheticCohortOptions): SyntheticCohort {
  const features = [...(options.features ?? sagittalFive)];
  const betweenSd = options.betweenSd ?? 1;
  const withinSd = options.withinSd ?? 1;
  const effect = typeof options.effect === 'number' ? features.map(() => options.effect as number) : [...options.effect];
  if (effect.length !== features.length) throw new Error(`SYNTHETIC cohort: ${effect.length} effects for ${features.length} measures`);
  const [minSegments, maxSegments] = options.segmentsPerPatient;
  const normal = normalSampler(options.seed);
  const counter = xoshiro128ss(options.seed ^ 0x5eed);
  const patients: CohortPatient[] = [];
  const byDiagnosis: Partial<Record<Diagnosis, number>> = {};
  let segmentsTotal = 0;
  for (let i = 0; i < 2 * options.patientsPerClass; i++) {
    const label: 0 | 1 = i % 2 === 0 ? 1 : 0;
    const diagnosis: Diagnosis = label === 1 ? 'ASD' : notAsdDiagnoses[(i >> 1) % notAsdDiagnoses.length]!;
    byDiagnosis[diagnosis] = (byDiagnosis[diagnosis] ?? 0) + 1;
    const m = minSegments + counter.below(maxSegments - minSegments + 1);
    const patientEffect = features.map((_, j) => label * effect[j]! * betweenSd + betweenSd * normal());
    const segments = Array.from({ length: m }, () =>
      features.map((name, j) => {
        const scale = measureScale[name] ?? { base: 10, unit: 4 };
        return scale.base + scale.unit * (patientEffect[j]! + withinSd * normal());
      }),
    );
    segmentsTotal += m;
    patients.push({ code: `SYN-${String(i + 1).padStart(3, '0')}`, diagnosis, label, videos: 1 + (i % 3), segments });
  }
  const delta = Math.sqrt(effect.reduce((s, e) => s + (e * betweenSd) ** 2, 0));
  let auroc = 0;
  let pairs = 0;
  for (let m1 = minSegments; m1 <= maxSegments; m1++) {
    for (let m2 = minSegments; m2 <= maxSegments; m2++) {
      const v = 2 * betweenSd ** 2 + withinSd ** 2 / m1 + withinSd ** 2 / m2;
      auroc += normalCdf(delta / Math.sqrt(v));
      pairs++;
    }
  }
  const cohort: Cohort = {
    features,
    patients,
    excluded: [],
    counts: { asd: options.patientsPerClass, notAsd: options.patientsPerClass, segments: segmentsTotal, byDiagnosis },
    warnings: ['SYNTHETIC cohort: generated numbers, not patients'],
    refusal: null,
  };
  return { cohort, knownAuroc: auroc / pairs };
}

/**
 * SYNTHETIC 3D-CNN probabilities for fusion tests, informative only for patients of LOW
 * outlyingness: each patient's outlyingness is measured against the not-ASD norms of the whole
 * cohort (as the app measures it); below the `informativeBelow` quantile of all patients'
 * outlyingness the CNN's logit is strength * (+1 ASD, -1 not ASD) + noise * N(0, 1), at or
 * above it noise * N(0, 1) only (no information). So the CNN sees what the measures cannot
 * (ASD patients who look typical) and is noise where the measures are clear.
 */
export function syntheticCnnScores(cohort: Cohort, options: { seed: number; informativeBelow?: number; strength?: number; noise?: number }): Map<string, number> {
  const norms = notAsdNorms(cohort.patients, cohort.features.length);
  const outlying = cohort.patients.map((p) => outlyingness(patientMeans(p.segments), norms));
  const threshold = quantileType7(outlying, options.informativeBelow ?? 0.5);
  const strength = options.strength ?? 2;
  const noise = options.noise ?? 1;
  const normal = normalSampler(options.seed);
  return new Map(
    cohort.patients.map((p, i) => {
      const signal = outlying[i]! < threshold ? strength * (p.label === 1 ? 1 : -1) : 0;
      return [p.code, sigmoid(signal + noise * normal())];
    }),
  );
}
