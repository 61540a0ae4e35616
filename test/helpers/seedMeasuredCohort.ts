import type { Diagnosis } from '../../src-main/contract/entities.js';
import type { JobResult } from '../../src-main/contract/jobs.js';
import type { MeasureName, MeasureSegment, MeasureStat } from '../../src-main/contract/measurements.js';
import type { Store } from '../../src-main/store/store.js';
import { xoshiro128ss } from '../../src-main/domain/stats/prng.js';
import { syntheticProbe } from './syntheticCohort.js';

/**
 * Stores patients whose videos carry posture measurements given segment by segment, as if
 * stage 1 and the measurement step had run: a patient, an original video row (no file behind
 * it), a stage 1 result and a measurement row per video. For tests of the screening model's
 * cohort, training and explanation. The values are whatever the test passes: SYNTHETIC, never
 * clinical (no labelled ASD gait dataset exists in public).
 */
export interface SeededPatient {
  code: string;
  diagnosis: Diagnosis;
  /** Per video, per segment: the values of `features` (null: the segment is seen from the front). */
  videos: Array<Array<number[] | null>>;
}

const stat = (mean: number): MeasureStat => ({ mean, sd: 0.5, min: mean - 1, max: mean + 1, n: 30 });

export function seedMeasuredPatients(store: Store, features: readonly MeasureName[], patients: readonly SeededPatient[]): Map<string, number[]> {
  const videoIds = new Map<string, number[]>();
  let n = 0;
  for (const p of patients) {
    const patient = store.patients.create('test', p.code, { diagnosis: p.diagnosis });
    const ids: number[] = [];
    for (const segments of p.videos) {
      n++;
      const sha = `5eed${n.toString(16).padStart(60, '0')}`;
      const video = store.videos.insert('test', { patientId: patient.id, kind: 'original', sourceVideoId: null, sha256: sha, vaultPath: `videos/00/${sha}.mp4`, originalName: `${p.code}_${ids.length + 1}.mp4`, originalPath: null, view: 'sagittal', sizeBytes: 1000, probe: syntheticProbe(segments.length + 1) });
      const stage1 = store.analyses.insert('test', { videoId: video.id, stage: 1, jobId: null, params: {}, result: {} });
      const measureSegments: MeasureSegment[] = segments.map((values, index) => ({
        index,
        startFrame: index * 30,
        endFrame: index * 30 + 29,
        startSec: index,
        endSec: index + 1,
        view: values ? 'sagittal' : 'frontal',
        direction: values ? 'right' : null,
        quality: 1,
        stats: values ? Object.fromEntries(features.map((f, k) => [f, stat(values[k]!)])) : {},
        notes: values ? [] : ['seen from the front: no sagittal measures'],
      }));
      store.measurements.insert('test', {
        videoId: video.id,
        stage1AnalysisId: stage1.id,
        jobId: null,
        result: {
          provenance: { model: 'synthetic', modelSha256: '0'.repeat(64), backend: 'none (seeded by a test)', filter: 'none', minScore: 0.3, swapsRepaired: 0, version: 1 },
          verticalReferenceDeg: 0,
          segments: measureSegments,
          gait: { cadence: null, stepTimeAsymmetry: null, footContacts: [], notes: [] },
          summary: { measures: {}, sagittalSegments: measureSegments.filter((s) => s.view === 'sagittal').length, segments: measureSegments.length, notes: [] },
          seconds: 0,
        },
        frames: { pose: { fps: 30, width: 1280, height: 720, names: [], frames: [], points: [] }, series: { frames: [], values: {} } },
      });
      ids.push(video.id);
    }
    videoIds.set(p.code, ids);
  }
  return videoIds;
}

/**
 * SYNTHETIC patients for the five sagittal measures, seeded: `perClass` ASD patients (codes
 * prefix001..) then `perClass` not-ASD ones (DHS, LCS, HipOA, other in turn). ASD patients lean
 * forward more, hold the head further forward and the shoulders further ahead, and flex the
 * hip less over a smaller range, by `effect` SDs of the between-patient spread (a known effect
 * a model must find); every third patient has a second video; the second segment of each video
 * is seen from the front (no sagittal measures). Not clinical data.
 */
export function syntheticMeasuredPatients(perClass: number, prefix: string, seed: number, effect = 1.5): SeededPatient[] {
  const random = xoshiro128ss(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  const base = [6, 12, 0.05, 28, 40];
  const sd = [3, 5, 0.04, 6, 7];
  const out: SeededPatient[] = [];
  for (let i = 0; i < 2 * perClass; i++) {
    const asd = i < perClass;
    const patientMean = base.map((b, k) => b + sd[k]! * ((asd ? effect * (k < 3 ? 1 : -1) : 0) + 0.6 * normal()));
    const segments = (n: number) => Array.from({ length: n }, (_, s) => (s === 1 ? null : patientMean.map((m, k) => m + 0.5 * sd[k]! * normal())));
    out.push({ code: `${prefix}${String(i + 1).padStart(3, '0')}`, diagnosis: asd ? 'ASD' : (['DHS', 'LCS', 'HipOA', 'other'] as const)[i % 4]!, videos: [segments(5 + (i % 4)), ...(i % 3 === 0 ? [segments(4)] : [])] });
  }
  return out;
}

/**
 * Stores a stage 2 result with the given P(ASD) for a video, as if `modelId` had classified it:
 * one clip, every field the stored result has. The score is whatever the test passes:
 * SYNTHETIC, not a model's output.
 */
export function seedStage2Score(store: Store, videoId: number, modelId: string, score: number): void {
  const result: JobResult<'stage2'> & { appVersion: string } = {
    clips: [{ index: 0, startSec: 0, endSec: 1, frameIndices: [0, 4, 8, 12, 16, 20, 24, 28], rawOutput: Math.log((1 - score) / score), probabilityAsd: score }],
    videoScore: score,
    verdict: score >= 0.5 ? 'ASD' : 'non-ASD',
    researchOnly: true,
    aggregation: 'mean',
    threshold: 0.5,
    provider: 'cpu',
    providersSkipped: [],
    bundle: { id: modelId, name: modelId, version: '1', sha256: 'c'.repeat(64), validated: false },
    preprocessing: { frames: 8, clipSeconds: 1, size: 224, mean: [0.45, 0.45, 0.45], std: [0.225, 0.225, 0.225], fps: 30, sampler: 'uniform', resize: 'exact', decodeFilters: '', decodedWidth: 224, decodedHeight: 224, durationSec: 1 },
    timings: { decodeAndPreprocessMs: 0, inferenceMs: 0, totalMs: 0 },
    appVersion: 'test',
  };
  store.analyses.insert('test', { videoId, stage: 2, jobId: null, params: {}, result, modelId });
}
