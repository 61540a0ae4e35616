/**
 * Posture and gait measurements of the review fixtures' video (video 3: 1280x720, 7.7 s, the
 * patient in view on timeline frames 30-89 and 150-209). SYNTHETIC: no pose model made these.
 * A stick figure is built from chosen angles (a gait cycle of 1.1 s), so the keypoints, the
 * per-frame series, the segment statistics and the summary agree with each other the way the
 * measurement step's output would; the numbers are plausible for an adult walking, not real.
 *
 * The 1 s segments: frames 30-59 and 60-89 seen from the side walking to the right, 150-179
 * seen from the front (no sagittal measures), 180-209 from the side walking to the left.
 * Frame 45 has keypoints too unsure to measure (its values are null).
 */
import type { Annotation, FrameSeries, MeasureName, MeasureSegment, MeasureStat, MeasurementFrames, VideoMeasurements } from '../../src-main/contract/measurements.js';
import { cocoKeypointCount, keypointNames, measureNames } from '../../src-main/contract/measurements.js';

const rad = (deg: number) => (deg * Math.PI) / 180;
const r2 = (n: number) => Math.round(n * 100) / 100;

/** The segments' frames and how the patient is seen in each. */
const segmentPlan = [
  { startFrame: 30, endFrame: 59, view: 'sagittal', direction: 'right' },
  { startFrame: 60, endFrame: 89, view: 'sagittal', direction: 'right' },
  { startFrame: 150, endFrame: 179, view: 'frontal', direction: null },
  { startFrame: 180, endFrame: 209, view: 'sagittal', direction: 'left' },
] as const;

/** The frame whose keypoints are too unsure to measure. */
export const unsureFrame = 45;

/** The chosen angles of a frame (degrees), before rounding: what the figure is built from. */
export function chosenAngles(frame: number) {
  const phase = (2 * Math.PI * (frame / 30)) / 1.1;
  return {
    lean: 6 + 1.5 * Math.sin(2 * phase),
    head: 14 + 2 * Math.sin(phase),
    hipLeft: 12 + 18 * Math.sin(phase),
    hipRight: 12 - 18 * Math.sin(phase),
    kneeLeft: 30 + 25 * Math.sin(phase + 1),
    kneeRight: 30 - 25 * Math.sin(phase + 1),
  };
}

type P = [number, number];

/** The 17 COCO keypoints (x, y) of a frame seen from the side, walking in `dir` (+1 right, -1 left). */
function sideFigure(frame: number, dir: 1 | -1): P[] {
  const a = chosenAngles(frame);
  const hip: P = dir === 1 ? [200 + 4 * (frame - 30), 370] : [1000 - 4 * (frame - 180), 370];
  const along = (from: P, deg: number, length: number): P => [from[0] + dir * Math.sin(rad(deg)) * length, from[1] - Math.cos(rad(deg)) * length];
  const downAlong = (from: P, deg: number, length: number): P => [from[0] + dir * Math.sin(rad(deg)) * length, from[1] + Math.cos(rad(deg)) * length];
  const shoulder = along(hip, a.lean, 180);
  const ear = along(shoulder, a.head, 55);
  const nose: P = [ear[0] + dir * 25, ear[1] + 5];
  const leg = (side: 'left' | 'right') => {
    const flexion = side === 'left' ? a.hipLeft : a.hipRight;
    const knee = side === 'left' ? a.kneeLeft : a.kneeRight;
    const h: P = [hip[0] + (side === 'left' ? -3 : 3), hip[1]];
    // angles from the image downward, forward positive: the trunk line down is at -lean
    const thigh = -a.lean + flexion;
    const k = downAlong(h, thigh, 170);
    const ankle = downAlong(k, thigh - knee, 160);
    return { h, k, ankle };
  };
  const L = leg('left');
  const R = leg('right');
  const sh = (dx: number): P => [shoulder[0] + dx, shoulder[1]];
  return [
    nose,
    [nose[0] - dir * 8, nose[1] - 10],
    [nose[0] - dir * 6, nose[1] - 11],
    // seen from the side, the far ear and shoulder are where the near ones are
    ear,
    ear,
    sh(0),
    sh(0),
    [shoulder[0] - 3, shoulder[1] + 110],
    [shoulder[0] + 3, shoulder[1] + 110],
    [shoulder[0] + dir * 10 - 3, shoulder[1] + 210],
    [shoulder[0] + dir * 10 + 3, shoulder[1] + 210],
    L.h,
    R.h,
    L.k,
    R.k,
    L.ankle,
    R.ankle,
  ];
}

/** The patient facing the camera (the frontal segment): wide shoulders and hips, nothing sagittal to measure. */
function frontFigure(frame: number): P[] {
  const x = 640 + (frame - 150);
  return [
    [x, 190], [x - 10, 180], [x + 10, 180], [x - 18, 188], [x + 18, 188],
    [x - 60, 250], [x + 60, 250], [x - 70, 350], [x + 70, 350], [x - 72, 440], [x + 72, 440],
    [x - 40, 430], [x + 40, 430], [x - 42, 580], [x + 42, 580], [x - 44, 700], [x + 44, 700],
  ];
}

const allFrames = [...Array.from({ length: 60 }, (_, i) => 30 + i), ...Array.from({ length: 60 }, (_, i) => 150 + i)];
const planOf = (frame: number) => segmentPlan.find((s) => frame >= s.startFrame && frame <= s.endFrame)!;

/** The per-frame values of a frame as the series holds them (2 decimals), null where not measurable. */
export function fixtureValues(frame: number): Partial<Record<MeasureName, number | null>> {
  const plan = planOf(frame);
  const measurable = plan.view === 'sagittal' && frame !== unsureFrame;
  const a = chosenAngles(frame);
  const v = (n: number) => (measurable ? r2(n) : null);
  return {
    trunkLean: v(a.lean),
    headForward: v(a.head),
    shoulderHipOffset: v(Math.sin(rad(a.lean))),
    craniovertebralAngle: v(90 - a.head),
    hipFlexionLeft: v(a.hipLeft),
    hipFlexionRight: v(a.hipRight),
    kneeFlexionLeft: v(a.kneeLeft),
    kneeFlexionRight: v(a.kneeRight),
  };
}

const perFrameMeasures = ['trunkLean', 'headForward', 'shoulderHipOffset', 'craniovertebralAngle', 'hipFlexionLeft', 'hipFlexionRight', 'kneeFlexionLeft', 'kneeFlexionRight'] as const satisfies readonly MeasureName[];

const series: FrameSeries = {
  frames: allFrames,
  values: Object.fromEntries(perFrameMeasures.map((m) => [m, allFrames.map((f) => fixtureValues(f)[m] ?? null)])),
};

const points = allFrames.flatMap((frame) => {
  const plan = planOf(frame);
  const figure = plan.view === 'sagittal' ? sideFigure(frame, plan.direction === 'left' ? -1 : 1) : frontFigure(frame);
  const score = frame === unsureFrame ? 0.2 : 0.9;
  return figure.flatMap(([x, y]) => [r2(x), r2(y), score]);
});

export const measurementFrames: MeasurementFrames = {
  analysisId: 21,
  pose: { fps: 30, width: 1280, height: 720, names: keypointNames.slice(0, cocoKeypointCount), frames: allFrames, points },
  series,
};

function stat(values: readonly number[]): MeasureStat {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean: r2(mean), sd: r2(sd), min: Math.min(...values), max: Math.max(...values), n };
}

const one = (value: number, n: number): MeasureStat => ({ mean: r2(value), sd: 0, min: r2(value), max: r2(value), n });

function segmentStats(startFrame: number, endFrame: number): MeasureSegment['stats'] {
  const frames = allFrames.filter((f) => f >= startFrame && f <= endFrame);
  const col = (m: MeasureName) => frames.map((f) => fixtureValues(f)[m]).filter((v): v is number => typeof v === 'number');
  const stats: MeasureSegment['stats'] = {};
  for (const m of perFrameMeasures) stats[m] = stat(col(m));
  const range = (m: MeasureName) => Math.max(...col(m)) - Math.min(...col(m));
  const n = col('trunkLean').length;
  stats.maxHipFlexion = one((Math.max(...col('hipFlexionLeft')) + Math.max(...col('hipFlexionRight'))) / 2, n);
  stats.hipRange = one((range('hipFlexionLeft') + range('hipFlexionRight')) / 2, n);
  stats.kneeRangeLeft = one(range('kneeFlexionLeft'), n);
  stats.kneeRangeRight = one(range('kneeFlexionRight'), n);
  return stats;
}

const segments: MeasureSegment[] = segmentPlan.map((p, index) => {
  const sagittal = p.view === 'sagittal';
  const frames = p.endFrame - p.startFrame + 1;
  const unsure = p.startFrame <= unsureFrame && unsureFrame <= p.endFrame ? 1 : 0;
  return {
    index,
    startFrame: p.startFrame,
    endFrame: p.endFrame,
    startSec: p.startFrame / 30,
    endSec: (p.endFrame + 1) / 30,
    view: p.view,
    direction: p.direction,
    quality: r2((frames - unsure) / frames),
    stats: sagittal ? segmentStats(p.startFrame, p.endFrame) : {},
    notes: sagittal ? [] : ['Seen from the front: no sagittal measures.'],
  };
});

const sagittalSegments = segments.filter((s) => s.view === 'sagittal');
const summaryMeasures: VideoMeasurements['summary']['measures'] = {};
for (const m of measureNames) {
  const means = sagittalSegments.map((s) => s.stats[m]?.mean).filter((v): v is number => v !== undefined);
  if (means.length === 0) continue;
  const s = stat(means);
  summaryMeasures[m] = { mean: s.mean, sd: s.sd, segments: means.length };
}

export const footContacts = [
  { frame: 33, side: 'left' },
  { frame: 49, side: 'right' },
  { frame: 66, side: 'left' },
  { frame: 82, side: 'right' },
  { frame: 185, side: 'left' },
  { frame: 201, side: 'right' },
] as const satisfies readonly { frame: number; side: 'left' | 'right' }[];

export const measurements: VideoMeasurements = {
  analysisId: 21,
  videoId: 3,
  stage1AnalysisId: 11,
  createdAt: '2026-11-28T06:10:00Z',
  provenance: { model: 'movenet-thunder', modelSha256: 'c'.repeat(64), backend: 'onnxruntime (cpu) x2 threads', filter: 'one-euro minCutoff=1.0 beta=0.05 dCutoff=1', minScore: 0.3, swapsRepaired: 1, version: 1 },
  verticalReferenceDeg: 0,
  segments,
  gait: { cadence: 108, stepTimeAsymmetry: 0.04, footContacts: [...footContacts], notes: [] },
  summary: { measures: summaryMeasures, sagittalSegments: sagittalSegments.length, segments: segments.length, notes: ['1 of 4 segments is seen from the front: no sagittal measures there.'] },
  seconds: 9,
};

/** The same video seen only from the front: measured, with no sagittal segment and no per-frame value. */
export const frontalOnly: VideoMeasurements = {
  ...measurements,
  segments: segments.map((s) => ({ ...s, view: 'frontal', direction: null, stats: {}, notes: ['Seen from the front: no sagittal measures.'] })),
  gait: { cadence: null, stepTimeAsymmetry: null, footContacts: [], notes: ['Too few foot contacts seen from the side for a cadence.'] },
  summary: { measures: {}, sagittalSegments: 0, segments: 4, notes: [] },
};

/** A saved annotation of video 3. */
export function annotation(fields: Partial<Annotation> & Pick<Annotation, 'shape' | 'value'>): Annotation {
  return { id: 70, videoId: 3, frame: 60, label: '', author: 'dr.lee', createdAt: new Date(2026, 10, 28, 7, 0).toISOString(), ...fields };
}
