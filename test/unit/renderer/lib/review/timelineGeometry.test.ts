import { describe, expect, it } from 'vitest';
import {
  barAt,
  domainEnd,
  formatTickSec,
  layoutBars,
  ownIntervals,
  probabilityTicks,
  timeScale,
  timeTicks,
  type ChartBox,
  type TimelineClip,
} from '../../../../../src-renderer/lib/review/timelineGeometry.js';

// Plot area: x 60..860 (800 px), y 20..170 (150 px).
const box: ChartBox = { width: 900, height: 200, marginLeft: 60, marginRight: 40, marginTop: 20, marginBottom: 30 };

const clip = (index: number, startSec: number, endSec: number, probabilityAsd: number): TimelineClip => ({ index, startSec, endSec, probabilityAsd });

/** 1 s windows every 0.5 s, as the clip sampler makes them. */
const sliding = [clip(0, 0, 1, 0.2), clip(1, 0.5, 1.5, 0.9), clip(2, 1, 2, 0.5)];

describe('the time axis end', () => {
  it('is the duration, or the last clip end when later, and never 0', () => {
    expect(domainEnd([], 12.5)).toBe(12.5);
    expect(domainEnd(sliding, 4)).toBe(4);
    expect(domainEnd([clip(0, 3, 4.2, 0.1)], 4)).toBe(4.2);
    expect(domainEnd([clip(0, 0, 2, 0.1)], Number.NaN)).toBe(2);
    expect(domainEnd([], 0)).toBe(1);
  });
});

describe('the scales', () => {
  const scale = timeScale(box, 4);
  it('map seconds and probabilities to pixels and back, clamped to the plot', () => {
    expect([scale.plotLeft, scale.plotRight, scale.plotTop, scale.plotBottom]).toEqual([60, 860, 20, 170]);
    expect(scale.xOf(0)).toBe(60);
    expect(scale.xOf(1)).toBe(260);
    expect(scale.xOf(2.5)).toBe(560);
    expect(scale.xOf(4)).toBe(860);
    expect(scale.xOf(-1)).toBe(60);
    expect(scale.xOf(99)).toBe(860);
    expect(scale.secAt(210)).toBe(0.75);
    expect(scale.secAt(560)).toBe(2.5);
    expect(scale.secAt(0)).toBe(0);
    expect(scale.secAt(1000)).toBe(4);
    expect(scale.yOf(0)).toBe(170);
    expect(scale.yOf(0.5)).toBe(95);
    expect(scale.yOf(1)).toBe(20);
    expect(scale.yOf(1.2)).toBe(20);
    expect(scale.yOf(-0.1)).toBe(170);
  });
  it('refuses a chart with no room inside its margins, in words', () => {
    expect(() => timeScale({ ...box, width: 100 }, 4)).toThrow('the chart is too small to draw (100 x 200 pixels with its margins)');
  });
});

describe('overlapping clips', () => {
  it('share the timeline halfway between neighbouring centres', () => {
    expect(ownIntervals(sliding)).toEqual([
      { position: 0, ownStartSec: 0, ownEndSec: 0.75 },
      { position: 1, ownStartSec: 0.75, ownEndSec: 1.25 },
      { position: 2, ownStartSec: 1.25, ownEndSec: 2 },
    ]);
  });
  it('are put in time order whatever the given order, keeping their positions', () => {
    const reversed = [...sliding].reverse();
    expect(ownIntervals(reversed)).toEqual([
      { position: 2, ownStartSec: 0, ownEndSec: 0.75 },
      { position: 1, ownStartSec: 0.75, ownEndSec: 1.25 },
      { position: 0, ownStartSec: 1.25, ownEndSec: 2 },
    ]);
  });
  it('keep their whole span when they do not overlap, and stay inside it when nested', () => {
    expect(ownIntervals([clip(0, 0, 1, 0.1), clip(1, 2, 3, 0.2)])).toEqual([
      { position: 0, ownStartSec: 0, ownEndSec: 1 },
      { position: 1, ownStartSec: 2, ownEndSec: 3 },
    ]);
    expect(ownIntervals([clip(0, 0, 10, 0.3), clip(1, 1, 2, 0.6), clip(2, 3, 4, 0.7)])).toEqual([
      { position: 1, ownStartSec: 1, ownEndSec: 2 },
      { position: 2, ownStartSec: 3, ownEndSec: 4 },
      { position: 0, ownStartSec: 4.25, ownEndSec: 10 },
    ]);
  });
});

describe('bars', () => {
  const bars = layoutBars(sliding, 0.5, timeScale(box, 4));
  it('rise from the baseline to P(ASD) over their own share, with the call at the threshold', () => {
    expect(bars.map(({ position, x, width, y, height, spanX1, spanX2, call }) => ({ position, x, width, y, height, spanX1, spanX2, call }))).toEqual([
      { position: 0, x: 60, width: 150, y: 140, height: 30, spanX1: 60, spanX2: 260, call: 'non-ASD' },
      { position: 1, x: 210, width: 100, y: 35, height: 135, spanX1: 160, spanX2: 360, call: 'ASD' },
      { position: 2, x: 310, width: 150, y: 95, height: 75, spanX1: 260, spanX2: 460, call: 'ASD' },
    ]);
  });
  it('are found under a time; a boundary belongs to the later bar; a gap has none', () => {
    expect(barAt(bars, 0)).toBe(0);
    expect(barAt(bars, 0.7)).toBe(0);
    expect(barAt(bars, 0.75)).toBe(1);
    expect(barAt(bars, 1.9)).toBe(2);
    expect(barAt(bars, 2)).toBe(2);
    expect(barAt(bars, 2.1)).toBe(-1);
    expect(barAt(bars, -0.1)).toBe(-1);
    const gapped = layoutBars([clip(0, 0, 1, 0.1), clip(1, 2, 3, 0.2)], 0.5, timeScale(box, 4));
    expect(barAt(gapped, 1)).toBe(0);
    expect(barAt(gapped, 1.5)).toBe(-1);
    expect(barAt(gapped, 2)).toBe(1);
    expect(barAt([], 1)).toBe(-1);
  });
});

describe('ticks', () => {
  it('of probability are quarters', () => {
    expect(probabilityTicks).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
  it('of time use the smallest round step that keeps them 70 px apart', () => {
    expect(timeTicks(4, 800)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
    expect(timeTicks(95, 800)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(timeTicks(1000, 1140)).toEqual([0, 120, 240, 360, 480, 600, 720, 840, 960]);
    expect(timeTicks(0.3, 800)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(timeTicks(100_000, 70)).toEqual([0]);
    expect(timeTicks(0, 800)).toEqual([0]);
  });
  it('are labelled in seconds, then minutes and seconds', () => {
    expect([0, 0.5, 12, 59.9, 90, 119.6, 3600].map(formatTickSec)).toEqual(['0', '0.5', '12', '59.9', '1:30', '2:00', '60:00']);
  });
});
