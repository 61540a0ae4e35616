import type { Diagnosis } from '../contract/entities.js';
import { measureInfo, type MeasureName, type MeasureSegment } from '../contract/measurements.js';
import { minimumPatientsPerClass, screeningClassOf, type Cohort, type CohortPatient, type VideoFeaturesSource } from '../contract/screening.js';

/** One labelled patient and the segments of their measured videos (null: a video not measured yet). */
export interface PatientMeasurements {
  code: string;
  diagnosis: Diagnosis;
  videos: ReadonlyArray<{ segments: readonly MeasureSegment[] } | null>;
}

/** A cohort with fewer patients than this in total gets a warning: its intervals will be wide. */
const fewPatients = 40;
/** A class this many times the other gets a warning. */
const imbalanceRatio = 3;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What a patient's measured videos give a model: one row of the chosen measures' segment means per side-on segment where all were measurable. */
export function usableSegments(features: readonly MeasureName[], videos: ReadonlyArray<{ segments: readonly MeasureSegment[] }>): { rows: number[][]; videosUsed: number; sagittal: number; incomplete: number } {
  const rows: number[][] = [];
  let videosUsed = 0;
  let sagittal = 0;
  let incomplete = 0;
  for (const video of videos) {
    let used = false;
    for (const segment of video.segments) {
      if (segment.view !== 'sagittal') continue;
      sagittal++;
      const values = features.map((f) => segment.stats[f]?.mean);
      if (values.every((v): v is number => v !== undefined && Number.isFinite(v))) {
        rows.push(values);
        used = true;
      } else incomplete++;
    }
    if (used) videosUsed++;
  }
  return { rows, videosUsed, sagittal, incomplete };
}

/** The classes of the included patients, and the warnings about their size and balance (both kinds of cohort). */
function classSummary(included: readonly CohortPatient[]): { asd: number; notAsd: number; byDiagnosis: Cohort['counts']['byDiagnosis']; warnings: string[] } {
  const asd = included.filter((p) => p.label === 1).length;
  const notAsd = included.length - asd;
  const byDiagnosis: Cohort['counts']['byDiagnosis'] = {};
  for (const p of included) byDiagnosis[p.diagnosis] = (byDiagnosis[p.diagnosis] ?? 0) + 1;
  const warnings: string[] = [];
  if (included.length > 0 && included.length < fewPatients) warnings.push(`Only ${plural(included.length, 'patient')}: the cross-validation's intervals will be wide.`);
  if (asd > 0 && notAsd > 0 && Math.max(asd, notAsd) >= imbalanceRatio * Math.min(asd, notAsd)) {
    warnings.push(`The classes are unbalanced (${asd} ASD, ${notAsd} not ASD); balanced accuracy is the headline metric for this reason.`);
  }
  return { asd, notAsd, byDiagnosis, warnings };
}

/**
 * Who a screening model would be trained on, and why the others are not: patients with a
 * diagnosis label (ASD against the rest; unknown is left out) and at least one 1 s segment
 * seen side-on in which every chosen measure was measurable. A segment's value of a measure
 * is its mean over the segment. Refuses, in a sentence, a cohort with fewer than
 * `minimumPatientsPerClass` patients in either class.
 */
export function buildCohort(features: readonly MeasureName[], patients: readonly PatientMeasurements[]): Cohort {
  const included: CohortPatient[] = [];
  const excluded: Cohort['excluded'] = [];
  let incompleteSegments = 0;
  for (const p of patients) {
    const label = screeningClassOf(p.diagnosis);
    if (label === null) {
      excluded.push({ code: p.code, diagnosis: p.diagnosis, reason: 'diagnosis unknown' });
      continue;
    }
    const measured = p.videos.filter((v): v is { segments: readonly MeasureSegment[] } => v !== null);
    if (measured.length === 0) {
      excluded.push({ code: p.code, diagnosis: p.diagnosis, reason: p.videos.length === 0 ? 'no video' : 'no measured video (analyse the videos first)' });
      continue;
    }
    const { rows, videosUsed, sagittal, incomplete } = usableSegments(features, measured);
    incompleteSegments += incomplete;
    if (rows.length === 0) {
      const reason = sagittal === 0 ? 'no segment seen from the side' : `none of the ${plural(sagittal, 'side-on segment')} has every chosen measure`;
      excluded.push({ code: p.code, diagnosis: p.diagnosis, reason });
      continue;
    }
    included.push({ code: p.code, diagnosis: p.diagnosis, label, videos: videosUsed, segments: rows });
  }

  const { asd, notAsd, byDiagnosis, warnings: classWarnings } = classSummary(included);
  const segments = included.reduce((n, p) => n + p.segments.length, 0);

  const warnings: string[] = [];
  if (incompleteSegments > 0) {
    const missing = features.map((f) => measureInfo[f].label.toLowerCase()).join(', ');
    warnings.push(`${plural(incompleteSegments, 'side-on segment')} left out because a chosen measure (${missing}) was not measurable in it.`);
  }
  const thin = included.filter((p) => p.segments.length < 3).length;
  if (thin > 0) warnings.push(`${plural(thin, 'patient has', 'patients have')} fewer than 3 usable segments; their probabilities rest on little walking.`);
  warnings.push(...classWarnings);

  let refusal: string | null = null;
  if (asd < minimumPatientsPerClass || notAsd < minimumPatientsPerClass) {
    refusal = `Training needs at least ${minimumPatientsPerClass} patients in each class with measured side-on segments; this cohort has ${asd} ASD and ${notAsd} not ASD.`;
  }
  return { features: [...features], patients: included, excluded, counts: { asd, notAsd, segments, byDiagnosis }, warnings, refusal };
}

/** One labelled patient and the clip features of their analysed videos. */
export interface PatientVideoFeatures {
  code: string;
  diagnosis: Diagnosis;
  /** Per original video: its clips' features, or why it has none (not analysed by stage 1, or its features not extracted yet). */
  videos: ReadonlyArray<{ clips: readonly (readonly number[])[] } | 'not analysed' | 'not extracted'>;
}

/**
 * Who a head on video features would be trained on: patients with a diagnosis label and at
 * least one analysed video, every clip of those videos a row. A cohort in which some analysed
 * video has no features from the backbone yet is refused (training on part of a patient's
 * videos would be training on what happened to be extracted first): extract them, then train.
 */
export function buildFeatureCohort(source: VideoFeaturesSource, patients: readonly PatientVideoFeatures[]): Cohort {
  const included: CohortPatient[] = [];
  const excluded: Cohort['excluded'] = [];
  let notExtracted = 0;
  let patientsWaiting = 0;
  for (const p of patients) {
    const label = screeningClassOf(p.diagnosis);
    if (label === null) {
      excluded.push({ code: p.code, diagnosis: p.diagnosis, reason: 'diagnosis unknown' });
      continue;
    }
    const analysed = p.videos.filter((v) => v !== 'not analysed');
    if (analysed.length === 0) {
      excluded.push({ code: p.code, diagnosis: p.diagnosis, reason: p.videos.length === 0 ? 'no video' : 'no analysed video (analyse the videos first)' });
      continue;
    }
    const waiting = analysed.filter((v) => v === 'not extracted').length;
    if (waiting > 0) {
      notExtracted += waiting;
      patientsWaiting++;
    }
    const withClips = analysed.filter((v): v is { clips: readonly (readonly number[])[] } => v !== 'not extracted');
    const rows = withClips.flatMap((v) => v.clips.map((c) => [...c]));
    if (rows.length === 0) {
      if (waiting === 0) excluded.push({ code: p.code, diagnosis: p.diagnosis, reason: 'no clip could be sampled from the videos' });
      else included.push({ code: p.code, diagnosis: p.diagnosis, label, videos: 0, segments: [] });
      continue;
    }
    included.push({ code: p.code, diagnosis: p.diagnosis, label, videos: withClips.length, segments: rows });
  }
  const { asd, notAsd, byDiagnosis, warnings } = classSummary(included);
  warnings.push(`Each clip is a row; a patient's probability is the mean of their clips' (${source.featureSize} features per clip from ${source.bundleName}).`);
  let refusal: string | null = null;
  if (notExtracted > 0) {
    refusal = `${plural(notExtracted, 'analysed video')} of ${plural(patientsWaiting, 'patient')} ${notExtracted === 1 ? 'has' : 'have'} no features from ${source.bundleName} yet: extract the video features first, then train.`;
  } else if (asd < minimumPatientsPerClass || notAsd < minimumPatientsPerClass) {
    refusal = `Training needs at least ${minimumPatientsPerClass} patients in each class with analysed videos; this cohort has ${asd} ASD and ${notAsd} not ASD.`;
  }
  const segments = included.reduce((n, p) => n + p.segments.length, 0);
  return { features: [], videoFeatures: source, patients: included, excluded, counts: { asd, notAsd, segments, byDiagnosis }, warnings, refusal };
}
