import { describe, expect, it } from 'vitest';
import {
  activeLoop, clampTime, driftAction, fasterSpeed, formatClock, jkl, lastFrameOf, loopJump, noLoop, setLoopIn, setLoopOut, slowerSpeed, stepTime,
} from '../../../../../src-renderer/lib/review/playback.js';

describe('frame stepping on the 30 fps clock', () => {
  it('knows the last frame of a video', () => {
    expect(lastFrameOf(7.7)).toBe(230); // 231 frames
    expect(lastFrameOf(7.666667)).toBe(229); // ffprobe's duration of 230 frames at 30 fps
    expect(lastFrameOf(15)).toBe(449);
    expect(lastFrameOf(1)).toBe(29);
    expect(lastFrameOf(1.01)).toBe(30);
    expect(lastFrameOf(0)).toBe(0);
    expect(lastFrameOf(Number.NaN)).toBe(0);
  });

  it('steps one frame from the frame under the clock, landing on frame starts', () => {
    expect(stepTime(0, 1, 7.7)).toBeCloseTo(1 / 30, 12);
    expect(stepTime(1 / 30, 1, 7.7)).toBeCloseTo(2 / 30, 12);
    expect(stepTime(0.05, 1, 7.7)).toBeCloseTo(2 / 30, 12); // 0.05 s is inside frame 1
    expect(stepTime(0.05, -1, 7.7)).toBe(0);
    expect(stepTime(2, 30, 7.7)).toBeCloseTo(3, 12); // shift+right: one second
    expect(stepTime(2, -30, 7.7)).toBeCloseTo(1, 12);
  });

  it('stops at both ends', () => {
    expect(stepTime(0, -1, 7.7)).toBe(0);
    expect(stepTime(0.5, -30, 7.7)).toBe(0);
    expect(stepTime(7.65, 1, 7.7)).toBeCloseTo(230 / 30, 12);
    expect(stepTime(7.6, 30, 7.7)).toBeCloseTo(230 / 30, 12);
  });

  it('walks 300 single frames without drifting off the grid', () => {
    let t = 0;
    for (let i = 0; i < 300; i++) t = stepTime(t, 1, 20);
    expect(t).toBe(300 / 30);
    for (let i = 0; i < 299; i++) t = stepTime(t, -1, 20);
    expect(t).toBe(1 / 30);
  });

  it('clamps times into the video', () => {
    expect(clampTime(-2, 5)).toBe(0);
    expect(clampTime(9, 5)).toBe(5);
    expect(clampTime(Number.NaN, 5)).toBe(0);
    expect(clampTime(2.5, 5)).toBe(2.5);
  });

  it('writes the time as mm:ss.fff', () => {
    expect(formatClock(0)).toBe('00:00.000');
    expect(formatClock(7.7)).toBe('00:07.700');
    expect(formatClock(1 / 30)).toBe('00:00.033');
    expect(formatClock(65.4321)).toBe('01:05.432');
    expect(formatClock(59.9996)).toBe('01:00.000');
  });
});

describe('the loop range', () => {
  it('sets in and out and keeps them ordered', () => {
    const a = setLoopIn(noLoop, 1);
    expect(a).toEqual({ inSec: 1, outSec: null });
    const b = setLoopOut(a, 3);
    expect(b).toEqual({ inSec: 1, outSec: 3 });
    expect(setLoopIn(b, 4)).toEqual({ inSec: 4, outSec: null }); // an in point after the out point drops the out point
    expect(setLoopOut(b, 0.5)).toEqual({ inSec: null, outSec: 0.5 });
    expect(setLoopIn(b, 2)).toEqual({ inSec: 2, outSec: 3 });
  });

  it('plays an open end to the start or end of the video', () => {
    expect(activeLoop(noLoop, 7.7)).toBeNull();
    expect(activeLoop({ inSec: 2, outSec: null }, 7.7)).toEqual({ start: 2, end: 7.7 });
    expect(activeLoop({ inSec: null, outSec: 3 }, 7.7)).toEqual({ start: 0, end: 3 });
    expect(activeLoop({ inSec: 8, outSec: null }, 7.7)).toBeNull();
  });

  it('jumps back to the in point at the out point, and into the loop from outside it', () => {
    const loop = { inSec: 1, outSec: 3 };
    expect(loopJump(loop, 7.7, 2)).toBeNull();
    expect(loopJump(loop, 7.7, 3)).toBe(1);
    expect(loopJump(loop, 7.7, 5)).toBe(1);
    expect(loopJump(loop, 7.7, 0.5)).toBe(1);
    expect(loopJump(loop, 7.7, 1)).toBeNull();
    expect(loopJump(noLoop, 7.7, 5)).toBeNull();
  });
});

describe('J/K/L', () => {
  it('climbs and descends the speed ladder', () => {
    expect([0.25, 0.5, 1, 2, 4].map(fasterSpeed)).toEqual([0.5, 1, 2, 4, 4]);
    expect([0.25, 0.5, 1, 2, 4].map(slowerSpeed)).toEqual([0.25, 0.25, 0.5, 1, 2]);
    expect(fasterSpeed(1.5)).toBe(2);
    expect(slowerSpeed(1.5)).toBe(1);
  });

  it('L plays at 1x, then 2x, then 4x', () => {
    let s = { playing: false, rate: 2 };
    s = jkl('l', s);
    expect(s).toEqual({ playing: true, rate: 1, stepFrames: 0 });
    s = jkl('l', s);
    expect(s).toEqual({ playing: true, rate: 2, stepFrames: 0 });
    s = jkl('l', s);
    expect(s).toEqual({ playing: true, rate: 4, stepFrames: 0 });
    expect(jkl('l', s)).toEqual({ playing: true, rate: 4, stepFrames: 0 });
  });

  it('K pauses and keeps the speed; J steps back when paused and slows down when playing', () => {
    expect(jkl('k', { playing: true, rate: 2 })).toEqual({ playing: false, rate: 2, stepFrames: 0 });
    expect(jkl('j', { playing: false, rate: 1 })).toEqual({ playing: false, rate: 1, stepFrames: -1 });
    expect(jkl('j', { playing: true, rate: 1 })).toEqual({ playing: true, rate: 0.5, stepFrames: 0 });
    expect(jkl('j', { playing: true, rate: 0.25 })).toEqual({ playing: true, rate: 0.25, stepFrames: 0 });
  });
});

describe('drift correction of the follower', () => {
  it('holds the base speed within half a frame', () => {
    expect(driftAction(2, 2.016, 1, true)).toEqual({ kind: 'hold', rate: 1 });
    expect(driftAction(2, 1.984, 2, true)).toEqual({ kind: 'hold', rate: 2 });
  });

  it('nudges the speed by the drift in seconds, at most 10 %', () => {
    const behind = driftAction(2, 1.95, 1, true);
    expect(behind.kind).toBe('nudge');
    expect(behind.rate).toBeCloseTo(1.05, 12);
    const ahead = driftAction(2, 2.05, 2, true);
    expect(ahead.kind).toBe('nudge');
    expect(ahead.rate).toBeCloseTo(1.9, 12);
    expect(driftAction(2, 1.8, 1, true)).toEqual({ kind: 'nudge', rate: 1.1 });
    expect(driftAction(2, 2.2, 1, true)).toEqual({ kind: 'nudge', rate: 0.9 });
  });

  it('re-seeks past a quarter of a second', () => {
    expect(driftAction(2, 1.7, 1, true)).toEqual({ kind: 'seek', time: 2, rate: 1 });
    expect(driftAction(2, 2.3, 0.5, true)).toEqual({ kind: 'seek', time: 2, rate: 0.5 });
  });

  it('seeks on any drift past half a frame while paused', () => {
    expect(driftAction(2, 1.97, 1, false)).toEqual({ kind: 'seek', time: 2, rate: 1 });
    expect(driftAction(2, 1.99, 1, false)).toEqual({ kind: 'hold', rate: 1 });
  });
});
