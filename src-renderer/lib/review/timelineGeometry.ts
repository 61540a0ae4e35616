import { verdictOf } from '../../../src-main/domain/scoreAggregation.js';

/**
 * Geometry of the review screen's score timeline: pure functions from clips, threshold and
 * chart size to pixel positions. No DOM, so every number is checked by unit tests.
 *
 * Times are seconds in the classified video's clock; probabilities are P(ASD) in [0, 1].
 */

export interface TimelineClip {
  index: number;
  startSec: number;
  endSec: number;
  probabilityAsd: number;
}

export interface ChartBox {
  width: number;
  height: number;
  marginLeft: number;
  marginRight: number;
  marginTop: number;
  marginBottom: number;
}

export interface TimeScale {
  /** The time shown at the right edge of the plot (at least 1 s past 0). */
  domainEndSec: number;
  plotLeft: number;
  plotRight: number;
  plotTop: number;
  plotBottom: number;
  xOf(sec: number): number;
  secAt(x: number): number;
  yOf(probability: number): number;
}

export interface Bar {
  /** Position of the clip in the list the caller gave. */
  position: number;
  clip: TimelineClip;
  /** The part of the timeline this clip's bar covers (its own share where clips overlap). */
  ownStartSec: number;
  ownEndSec: number;
  x: number;
  width: number;
  y: number;
  height: number;
  /** Whole span of the clip in pixels (outlined when the clip is selected). */
  spanX1: number;
  spanX2: number;
  call: 'ASD' | 'non-ASD';
}

/** The end of the time axis: the video's duration, or the last clip's end when that is later. */
export function domainEnd(clips: readonly TimelineClip[], durationSec: number): number {
  let end = Number.isFinite(durationSec) && durationSec > 0 ? durationSec : 0;
  for (const clip of clips) if (clip.endSec > end) end = clip.endSec;
  return end > 0 ? end : 1;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

export function timeScale(box: ChartBox, domainEndSec: number): TimeScale {
  const plotLeft = box.marginLeft;
  const plotRight = box.width - box.marginRight;
  const plotTop = box.marginTop;
  const plotBottom = box.height - box.marginBottom;
  const plotWidth = plotRight - plotLeft;
  const plotHeight = plotBottom - plotTop;
  if (plotWidth <= 0 || plotHeight <= 0) throw new RangeError(`the chart is too small to draw (${box.width} x ${box.height} pixels with its margins)`);
  return {
    domainEndSec,
    plotLeft,
    plotRight,
    plotTop,
    plotBottom,
    xOf: (sec) => plotLeft + (clamp(sec, 0, domainEndSec) / domainEndSec) * plotWidth,
    secAt: (x) => (clamp(x, plotLeft, plotRight) - plotLeft) / plotWidth * domainEndSec,
    yOf: (p) => plotBottom - clamp(p, 0, 1) * plotHeight,
  };
}

const overlaps = (a: TimelineClip, b: TimelineClip) => a.startSec < b.endSec && b.startSec < a.endSec;
const centre = (c: TimelineClip) => (c.startSec + c.endSec) / 2;

/**
 * Where clips overlap (sliding windows), each bar covers its own share: the timeline is cut
 * halfway between the centres of neighbouring overlapping clips, never outside a clip's span.
 * Clips that do not overlap keep their whole span. Returns positions in the given list, in
 * time order (by centre, then start, then given order).
 */
export function ownIntervals(clips: readonly TimelineClip[]): { position: number; ownStartSec: number; ownEndSec: number }[] {
  const order = clips
    .map((clip, position) => ({ clip, position }))
    .sort((a, b) => centre(a.clip) - centre(b.clip) || a.clip.startSec - b.clip.startSec || a.position - b.position);
  return order.map(({ clip, position }, i) => {
    const previous = order[i - 1]?.clip;
    const next = order[i + 1]?.clip;
    const ownStartSec = previous && overlaps(previous, clip) ? Math.max(clip.startSec, (centre(previous) + centre(clip)) / 2) : clip.startSec;
    const ownEndSec = next && overlaps(clip, next) ? Math.min(clip.endSec, (centre(clip) + centre(next)) / 2) : clip.endSec;
    return { position, ownStartSec, ownEndSec };
  });
}

/** One bar per clip, in time order, from the baseline (P = 0) up to the clip's P(ASD). */
export function layoutBars(clips: readonly TimelineClip[], threshold: number, scale: TimeScale): Bar[] {
  return ownIntervals(clips).map(({ position, ownStartSec, ownEndSec }) => {
    const clip = clips[position]!;
    const x = scale.xOf(ownStartSec);
    const y = scale.yOf(clip.probabilityAsd);
    return {
      position,
      clip,
      ownStartSec,
      ownEndSec,
      x,
      width: scale.xOf(ownEndSec) - x,
      y,
      height: scale.plotBottom - y,
      spanX1: scale.xOf(clip.startSec),
      spanX2: scale.xOf(clip.endSec),
      call: verdictOf(clip.probabilityAsd, threshold),
    };
  });
}

/**
 * The bar (index into `bars`) whose own share of the timeline holds `sec`, or -1 in a gap.
 * A time on the boundary between two bars belongs to the later one; the very end of the last
 * bar belongs to it.
 */
export function barAt(bars: readonly Bar[], sec: number): number {
  for (let i = bars.length - 1; i >= 0; i--) {
    const bar = bars[i]!;
    if (sec >= bar.ownStartSec && sec < bar.ownEndSec) return i;
  }
  for (let i = bars.length - 1; i >= 0; i--) if (sec === bars[i]!.ownEndSec) return i;
  return -1;
}

/** Ticks of the probability axis. */
export const probabilityTicks: readonly number[] = [0, 0.25, 0.5, 0.75, 1];

const tickSteps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * Ticks of the time axis: the smallest step from a list of round values that keeps ticks at
 * least `minSpacingPx` apart, from 0 up to the domain end.
 */
export function timeTicks(domainEndSec: number, plotWidthPx: number, minSpacingPx = 70): number[] {
  if (!(domainEndSec > 0) || !(plotWidthPx > 0)) return [0];
  const maxTicks = Math.max(1, Math.floor(plotWidthPx / minSpacingPx));
  const step = tickSteps.find((s) => domainEndSec / s <= maxTicks) ?? Math.ceil(domainEndSec / maxTicks / 3600) * 3600;
  const ticks: number[] = [];
  for (let i = 0; i * step <= domainEndSec + 1e-9; i++) ticks.push(Math.round(i * step * 1000) / 1000);
  return ticks;
}

/** A tick label: "0", "0.5", "12", "1:30". */
export function formatTickSec(sec: number): string {
  if (sec < 60) return String(Math.round(sec * 10) / 10);
  const whole = Math.round(sec);
  const m = Math.floor(whole / 60);
  const s = whole - m * 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}
