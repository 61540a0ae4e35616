import { measureNames, type MeasureSummary } from '../contract/measurements.js';

/**
 * A patient's measures over their videos: for each measure, the mean of the video means
 * (each video counts once, whatever its length), the SD between videos, and the segments behind it.
 */
export function patientSummary(videos: readonly MeasureSummary[]): MeasureSummary {
  const measures: MeasureSummary['measures'] = {};
  for (const name of measureNames) {
    const means = videos.flatMap((v) => (v.measures[name] ? [v.measures[name]!] : []));
    if (means.length === 0) continue;
    const mean = means.reduce((s, m) => s + m.mean, 0) / means.length;
    const sd = means.length > 1 ? Math.sqrt(means.reduce((s, m) => s + (m.mean - mean) ** 2, 0) / (means.length - 1)) : 0;
    measures[name] = { mean, sd, segments: means.reduce((s, m) => s + m.segments, 0) };
  }
  const sagittalSegments = videos.reduce((s, v) => s + v.sagittalSegments, 0);
  return {
    measures,
    sagittalSegments,
    segments: videos.reduce((s, v) => s + v.segments, 0),
    notes: sagittalSegments === 0 ? ['No video of this patient has a segment seen from the side: no sagittal measures.'] : [],
  };
}
