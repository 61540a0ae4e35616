/**
 * Geometry of the review screen's kinematics panel: one SVG with a row per per-frame measure
 * (a line over time), a row of foot contacts, the 1 s segments as bands across them, and the
 * time axis of the original video (the review clock: timeline frame f is at f / 30 s). Pure
 * functions from the measurements and the chart's width to pixel positions; no DOM, so every
 * number is checked by unit tests.
 */
import type { FrameSeries, MeasureName, MeasureSegment, ViewKind } from '../../../src-main/contract/measurements.js';
import { measureInfo } from '../../../src-main/contract/measurements.js';
import { TIMELINE_FPS } from './clipTimeline.js';
import { translatorFor } from '../../../src-main/contract/i18n/translator.js';
import type { Language } from '../../../src-main/contract/i18n/languages.js';
import { formatTickSec, timeTicks } from './timelineGeometry.js';

/** Sizes of the chart's parts, in CSS pixels. */
export const kinematicsSizes = {
  marginLeft: 48,
  marginRight: 80,
  /** The strip above the rows that names the view of a segment that is not sagittal. */
  strip: 18,
  rowHeight: 56,
  rowGap: 10,
  contactsHeight: 30,
  /** Below the contacts: the time axis with its labels. */
  axis: 26,
} as const;

export interface ValueDomain {
  min: number;
  max: number;
  /** Round values from min to max, the ends included. */
  ticks: number[];
}

const round = (n: number, digits = 2) => {
  const k = 10 ** digits;
  return Math.round(n * k) / k + 0;
};

/** Steps of the value axis: 1, 2, 2.5 and 5 times a power of ten. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= rough - 1e-12) ?? 10;
  return step * power;
}

/**
 * The value axis of a row: from a round value at or below the smallest value to one at or above
 * the largest, in 2 to 4 steps; a span narrower than `minSpan` is widened around its middle
 * (a steady angle does not fill the row with noise). Null when there is no value at all.
 */
export function valueDomain(values: readonly (number | null | undefined)[], minSpan: number): ValueDomain | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return null;
  if (hi - lo < minSpan) {
    const mid = (lo + hi) / 2;
    lo = mid - minSpan / 2;
    hi = mid + minSpan / 2;
  }
  const step = niceStep((hi - lo) / 3);
  const min = round(Math.floor(lo / step + 1e-9) * step, 6);
  const max = round(Math.ceil(hi / step - 1e-9) * step, 6);
  const ticks: number[] = [];
  for (let t = min; t <= max + step * 1e-6; t += step) ticks.push(round(t, 6));
  return { min, max, ticks };
}

/** The narrowest value axis of a measure: 4 degrees, or 0.05 trunk lengths. */
export const minSpanOf = (measure: MeasureName): number => (measureInfo[measure].unit === 'deg' ? 4 : 0.05);

export interface TimeAxis {
  durationSec: number;
  plotLeft: number;
  plotRight: number;
  xOfSec(sec: number): number;
  secAt(x: number): number;
  xOfFrame(frame: number): number;
  /** The timeline frame nearest to x, kept inside the video. */
  frameAtX(x: number): number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** The original's time axis from 0 to `durationSec` over plotLeft..plotRight; `lastFrame` is the video's last timeline frame. */
export function timeAxis(plotLeft: number, plotRight: number, durationSec: number, lastFrame: number): TimeAxis {
  const width = plotRight - plotLeft;
  if (!(width > 0)) throw new RangeError(`the kinematics chart is too narrow to draw (${width} pixels between its margins)`);
  const d = durationSec > 0 ? durationSec : Math.max(1, lastFrame + 1) / TIMELINE_FPS;
  const xOfSec = (sec: number) => round(plotLeft + (clamp(sec, 0, d) / d) * width);
  const secAt = (x: number) => ((clamp(x, plotLeft, plotRight) - plotLeft) / width) * d;
  return {
    durationSec: d,
    plotLeft,
    plotRight,
    xOfSec,
    secAt,
    xOfFrame: (frame) => xOfSec(frame / TIMELINE_FPS),
    frameAtX: (x) => clamp(Math.round(secAt(x) * TIMELINE_FPS), 0, Math.max(0, lastFrame)),
  };
}

/**
 * An SVG path through a series: a point per frame with a value, broken where a value is
 * missing or frames are skipped (no line is drawn across what was not measured).
 */
export function seriesPath(frames: readonly number[], values: readonly (number | null)[], xOfFrame: (frame: number) => number, yOf: (value: number) => number): string {
  const parts: string[] = [];
  let previous: number | null = null;
  frames.forEach((frame, i) => {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      previous = null;
      return;
    }
    const command = previous !== null && frame === previous + 1 ? 'L' : 'M';
    parts.push(`${command} ${round(xOfFrame(frame))} ${round(yOf(v))}`);
    previous = frame;
  });
  return parts.join(' ');
}

export interface ChartRow {
  measure: MeasureName;
  label: string;
  unit: 'deg' | 'trunk lengths';
  top: number;
  bottom: number;
  /** Null when the measure has no value on any frame. */
  domain: ValueDomain | null;
  yOf(value: number): number;
  path: string;
}

export interface SegmentBand {
  /** Position in the segments list. */
  position: number;
  segment: MeasureSegment;
  x1: number;
  x2: number;
  width: number;
  view: ViewKind;
  sagittal: boolean;
}

export interface ContactMark {
  frame: number;
  side: 'left' | 'right';
  x: number;
  /** The mark's vertical extent: left contacts in the upper half of the row, right in the lower. */
  y1: number;
  y2: number;
}

export interface KinematicsLayout {
  width: number;
  height: number;
  axis: TimeAxis;
  /** The top and bottom of what the bands and the cursor span (the strip, the rows and the contacts). */
  top: number;
  bottom: number;
  rows: ChartRow[];
  contacts: { top: number; bottom: number; middle: number; marks: ContactMark[] };
  bands: SegmentBand[];
  /** x of every segment boundary: each segment's start and end, without repeats (where one segment ends the next starts). */
  boundaries: number[];
  /** The time axis's ticks, at `axisY`. */
  ticks: { sec: number; x: number; label: string }[];
  axisY: number;
}

export interface KinematicsInput {
  width: number;
  durationSec: number;
  lastFrame: number;
  series: FrameSeries;
  /** The rows, in order (the per-frame measures the series holds). */
  measures: readonly MeasureName[];
  segments: readonly MeasureSegment[];
  contacts: readonly { frame: number; side: 'left' | 'right' }[];
}

/** Lays the whole chart out. */
export function layoutKinematics(input: KinematicsInput, sizes: typeof kinematicsSizes = kinematicsSizes): KinematicsLayout {
  const axis = timeAxis(sizes.marginLeft, input.width - sizes.marginRight, input.durationSec, input.lastFrame);
  const top = 0;
  let y = sizes.strip;
  const rows = input.measures.map((measure): ChartRow => {
    const values = input.series.values[measure] ?? [];
    const domain = valueDomain(values, minSpanOf(measure));
    const rowTop = y;
    const rowBottom = y + sizes.rowHeight;
    y = rowBottom + sizes.rowGap;
    const yOf = (v: number) => (domain ? round(rowBottom - ((clamp(v, domain.min, domain.max) - domain.min) / (domain.max - domain.min)) * sizes.rowHeight) : rowBottom);
    return {
      measure,
      label: measureInfo[measure].label,
      unit: measureInfo[measure].unit,
      top: rowTop,
      bottom: rowBottom,
      domain,
      yOf,
      path: domain ? seriesPath(input.series.frames, values, axis.xOfFrame, yOf) : '',
    };
  });
  const contactsTop = y;
  const contactsBottom = y + sizes.contactsHeight;
  const middle = (contactsTop + contactsBottom) / 2;
  const marks = input.contacts.map((c): ContactMark => ({
    frame: c.frame,
    side: c.side,
    x: axis.xOfFrame(c.frame),
    y1: c.side === 'left' ? contactsTop + 2 : middle + 1,
    y2: c.side === 'left' ? middle - 1 : contactsBottom - 2,
  }));
  const bands = input.segments.map((segment, position): SegmentBand => ({
    position,
    segment,
    x1: axis.xOfFrame(segment.startFrame),
    x2: axis.xOfFrame(segment.endFrame + 1),
    width: round(axis.xOfFrame(segment.endFrame + 1) - axis.xOfFrame(segment.startFrame)),
    view: segment.view,
    sagittal: segment.view === 'sagittal',
  }));
  const boundaries = [...new Set(bands.flatMap((b) => [b.x1, b.x2]))];
  const axisY = contactsBottom;
  const ticks = timeTicks(axis.durationSec, axis.plotRight - axis.plotLeft).map((sec) => ({ sec, x: axis.xOfSec(sec), label: formatTickSec(sec) }));
  return { width: input.width, height: contactsBottom + sizes.axis, axis, top, bottom: contactsBottom, rows, contacts: { top: contactsTop, bottom: contactsBottom, middle, marks }, bands, boundaries, ticks, axisY };
}

/** The segment (position in the list) holding a timeline frame, or -1. */
export function segmentIndexAtFrame(segments: readonly MeasureSegment[], frame: number): number {
  return segments.findIndex((s) => frame >= s.startFrame && frame <= s.endFrame);
}

/** A value with its unit, as the panel writes it: 5.2° or 0.12 trunk lengths. */
export function formatMeasure(value: number, unit: 'deg' | 'trunk lengths', language: Language = 'en'): string {
  const { t } = translatorFor(language);
  return unit === 'deg' ? t('review.units.degrees', { value: value.toFixed(1) }) : t('review.units.trunkLengths', { value: value.toFixed(2) });
}

/** Step-time asymmetry as the panel says it: the share in percent and which side's steps are longer. */
export function formatAsymmetry(ratio: number | null, language: Language = 'en'): string {
  const { t } = translatorFor(language);
  if (ratio === null || !Number.isFinite(ratio)) return t('review.units.notMeasurable');
  const percent = Math.abs(ratio * 100).toFixed(1);
  if (Number(percent) === 0) return t('review.units.asymmetryEven', { value: '0.0' });
  return t(ratio > 0 ? 'review.units.asymmetryLeft' : 'review.units.asymmetryRight', { value: percent });
}
