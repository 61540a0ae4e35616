import type { PreparedFile } from '../detect/prepareFolder.js';
import { formatTable } from './output.js';

const percent = (part: number, whole: number) => (whole > 0 ? `${Math.round((100 * part) / whole)}%` : '');

/**
 * The table printed at the end of `walkscope prepare`: one row per video (status, patient,
 * frames written, the detection stride, coverage: detected ("seen"), between detections
 * (stride > 1) and short gaps filled, segments, speed), then a line of totals per class folder.
 */
export function formatPrepareSummary(files: readonly PreparedFile[]): string {
  const table = formatTable([...files], [
    { header: 'video', value: (f) => f.relativePath },
    { header: 'status', value: (f) => (f.error ? f.error.code : 'ok') },
    { header: 'patient', value: (f) => (f.result ? (f.result.patientTrackId === null ? f.result.selection : `track ${f.result.patientTrackIds.join('+')}${f.result.selection === 'override' ? ' (chosen)' : ''}`) : '') },
    { header: 'frames', value: (f) => f.result?.outputFrames ?? '', align: 'right' },
    { header: 'stride', value: (f) => f.result?.stride ?? '', align: 'right' },
    { header: 'seen', value: (f) => (f.result ? percent(f.result.coverage.detected, f.result.coverage.frames) : ''), align: 'right' },
    { header: 'between', value: (f) => (f.result ? percent(f.result.coverage.betweenDetections, f.result.coverage.frames) : ''), align: 'right' },
    { header: 'filled', value: (f) => (f.result ? percent(f.result.coverage.interpolated, f.result.coverage.frames) : ''), align: 'right' },
    { header: 'segments', value: (f) => f.result?.segments.length ?? '', align: 'right' },
    { header: 'time', value: (f) => `${f.seconds.toFixed(1)} s`, align: 'right' },
    { header: 'speed', value: (f) => (f.result && f.seconds > 0 ? `${(f.result.coverage.frames / f.result.fps / f.seconds).toFixed(1)}x` : ''), align: 'right' },
    { header: 'note', value: (f) => f.error?.message ?? (f.result && f.result.segments.length > 1 ? `patient absent at times: ${f.result.segments.map((s) => `${s.startSec.toFixed(1)}-${s.endSec.toFixed(1)} s`).join(', ')} kept` : '') },
  ]);
  const groups = [...new Set(files.map((f) => f.group))];
  const totals = groups.map((g) => {
    const inGroup = files.filter((f) => f.group === g);
    const ok = inGroup.filter((f) => !f.error).length;
    return `${g === '' ? '(top level)' : `${g}/`}: ${ok} of ${inGroup.length} prepared${ok < inGroup.length ? `, ${inGroup.length - ok} failed` : ''}`;
  });
  const runs = [...new Set(files.flatMap((f) => (f.result ? [`${f.result.detector} on ${f.result.backend}`] : [])))];
  return [table, '', ...totals, ...(runs.length > 0 ? [`detector: ${runs.join('; ')}`] : [])].join('\n');
}
