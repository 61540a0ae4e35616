import { csvLine as line, csvNumber } from './csv.js';
import { measureInfo, measureNames, type MeasureName, type MeasurementFrames, type VideoMeasurements } from '../contract/measurements.js';

/** A measure's CSV column: its name in snake case with its unit, e.g. trunk_lean_deg, shoulder_hip_offset_trunk_lengths. */
export function measureColumn(name: MeasureName): string {
  const unit = measureInfo[name].unit === 'deg' ? 'deg' : 'trunk_lengths';
  return `${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_${unit}`;
}

/** One row per frame of the 30 fps timeline that has keypoints: frame, time, the 1 s segment it is in, and every per-frame measure. */
export function measurementFramesCsv(measurements: Pick<VideoMeasurements, 'segments'>, frames: Pick<MeasurementFrames, 'pose' | 'series'>): string {
  const perFrame = measureNames.filter((n) => measureInfo[n].perFrame);
  const fps = frames.pose.fps;
  const segmentOf = (frame: number) => measurements.segments.find((s) => frame >= s.startFrame && frame <= s.endFrame);
  const rows = frames.series.frames.map((frame, i) => {
    const segment = segmentOf(frame);
    return [String(frame), csvNumber(frame / fps), segment ? String(segment.index) : '', segment?.view ?? '', ...perFrame.map((n) => csvNumber(frames.series.values[n]?.[i]))];
  });
  return [line(['frame', 'time_s', 'segment', 'view', ...perFrame.map(measureColumn)]), ...rows.map(line)].join('\n') + '\n';
}

/** One row per 1 s segment: its time, view, walking direction, quality, and for every measure its mean, SD, min and max. */
export function measurementSegmentsCsv(measurements: Pick<VideoMeasurements, 'segments'>): string {
  const header = ['segment', 'start_s', 'end_s', 'view', 'direction', 'quality', ...measureNames.flatMap((n) => ['mean', 'sd', 'min', 'max'].map((s) => `${measureColumn(n)}_${s}`)), 'notes'];
  const rows = measurements.segments.map((s) => [
    String(s.index),
    csvNumber(s.startSec),
    csvNumber(s.endSec),
    s.view,
    s.direction ?? '',
    csvNumber(s.quality),
    ...measureNames.flatMap((n) => {
      const stat = s.stats[n];
      return [csvNumber(stat?.mean), csvNumber(stat?.sd), csvNumber(stat?.min), csvNumber(stat?.max)];
    }),
    s.notes.join(' '),
  ]);
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
