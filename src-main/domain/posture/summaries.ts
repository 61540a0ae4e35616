import { measureInfo, measureNames, type MeasureSegment, type MeasureSummary } from '../../contract/measurements.js';

/**
 * Summaries, as the reference authors use the measures: per 1 s segment, then averaged.
 *
 * - A video: over its side-view (sagittal) segments only, per measure the mean of the segment
 *   means, their sample SD (0 with one segment) and how many segments gave the measure.
 * - A patient over videos: the same over all the videos' side-view segments pooled, computed
 *   exactly from each video's mean, SD and count (so it equals the summary of the pooled
 *   segments): mean = sum n_i m_i / N, SD^2 = (sum (n_i - 1) s_i^2 + n_i (m_i - mean)^2) / (N - 1).
 *
 * A measure no segment gave is absent, with a note; nothing is filled in.
 */

type SummaryMeasures = MeasureSummary['measures'];

function sampleSd(values: readonly number[], mean: number): number {
  return values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
}

export function summariseSegments(segments: readonly MeasureSegment[]): MeasureSummary {
  const sagittal = segments.filter((s) => s.view === 'sagittal');
  const measures: SummaryMeasures = {};
  const notes: string[] = [];
  if (segments.length === 0) notes.push('no segment with the patient in view: no measures');
  else if (sagittal.length === 0) notes.push('no segment of this video is a side view: no posture measures');
  for (const name of measureNames) {
    const means = sagittal.map((s) => s.stats[name]?.mean).filter((m): m is number => m !== undefined);
    if (means.length === 0) {
      if (sagittal.length > 0) notes.push(`${measureInfo[name].label}: not given in any side-view segment`);
      continue;
    }
    const mean = means.reduce((s, v) => s + v, 0) / means.length;
    measures[name] = { mean, sd: sampleSd(means, mean), segments: means.length };
  }
  if (sagittal.length === 1) notes.push('one side-view segment: SDs are 0');
  return { measures, sagittalSegments: sagittal.length, segments: segments.length, notes };
}

/** A patient's summary over their videos' summaries. */
export function summariseVideos(videos: readonly MeasureSummary[]): MeasureSummary {
  const measures: SummaryMeasures = {};
  const notes: string[] = [];
  const sagittalSegments = videos.reduce((s, v) => s + v.sagittalSegments, 0);
  const segments = videos.reduce((s, v) => s + v.segments, 0);
  if (videos.length === 0) notes.push('no video: no measures');
  const without = videos.filter((v) => v.sagittalSegments === 0).length;
  if (videos.length > 0 && without === videos.length) notes.push('no video has a side-view segment: no posture measures');
  else if (without > 0) notes.push(`${without} of ${videos.length} videos have no side-view segment and add nothing`);
  for (const name of measureNames) {
    const parts = videos.map((v) => v.measures[name]).filter((m): m is NonNullable<SummaryMeasures[typeof name]> => m !== undefined && m.segments > 0);
    if (parts.length === 0) {
      if (sagittalSegments > 0) notes.push(`${measureInfo[name].label}: not given in any side-view segment`);
      continue;
    }
    const n = parts.reduce((s, p) => s + p.segments, 0);
    const mean = parts.reduce((s, p) => s + p.segments * p.mean, 0) / n;
    const ss = parts.reduce((s, p) => s + (p.segments - 1) * p.sd ** 2 + p.segments * (p.mean - mean) ** 2, 0);
    measures[name] = { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, segments: n };
  }
  if (sagittalSegments === 1) notes.push('one side-view segment: SDs are 0');
  return { measures, sagittalSegments, segments, notes };
}
