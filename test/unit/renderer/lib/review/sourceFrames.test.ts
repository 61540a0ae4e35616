import { describe, expect, it } from 'vitest';
import { frameCountOf, frameIndexAt, frameStepOf, stepFramesAt } from '../../../../../src-renderer/lib/review/sourceFrames.js';

describe('frame steps by the source’s own frames', () => {
  it('steps by the source’s rate when it differs from the 30 fps timeline, else by the timeline', () => {
    expect(frameStepOf(10)).toEqual({ fps: 10, source: true });
    expect(frameStepOf(25)).toEqual({ fps: 25, source: true });
    expect(frameStepOf(60)).toEqual({ fps: 60, source: true });
    expect(frameStepOf(30)).toEqual({ fps: 30, source: false });
    expect(frameStepOf(30.005)).toEqual({ fps: 30, source: false });
    for (const unusable of [0, -5, 0.5, 1000, Number.NaN, Number.POSITIVE_INFINITY, null, undefined]) expect(frameStepOf(unusable)).toEqual({ fps: 30, source: false });
  });

  it('counts the frames of a video and finds the one shown at a time', () => {
    expect(frameCountOf(8.7, 10)).toBe(87);
    expect(frameCountOf(7.7, 30)).toBe(231);
    expect(frameCountOf(7.7, 25)).toBe(193);
    expect(frameCountOf(0, 10)).toBe(1);
    expect(frameCountOf(Number.NaN, 10)).toBe(1);
    expect(frameIndexAt(1.2, 10)).toBe(12);
    expect(frameIndexAt(0.3, 10)).toBe(3); // 0.3 * 10 is 2.9999999999999996
    expect(frameIndexAt(1.299, 10)).toBe(12);
    expect(frameIndexAt(1.29995, 10)).toBe(13); // within 0.001 frames of frame 13 (a time truncated by the browser)
    expect(frameIndexAt(36 / 30, 10)).toBe(12);
    expect(frameIndexAt(-1, 10)).toBe(0);
  });

  it('moves one source frame a step on a 10 fps video: 0.1 s, three timeline frames', () => {
    expect(stepFramesAt(1.2, 1, 10, 8.7)).toBe(1.3);
    expect(stepFramesAt(1.2, -1, 10, 8.7)).toBe(1.1);
    // from inside a source frame (timeline frame 37 shows source frame 12): to the next or previous one's start
    expect(stepFramesAt(37 / 30, 1, 10, 8.7)).toBe(1.3);
    expect(stepFramesAt(37 / 30, -1, 10, 8.7)).toBe(1.1);
    expect(stepFramesAt(0, 3, 10, 8.7)).toBe(0.3);
  });

  it('stays inside the video', () => {
    expect(stepFramesAt(0, -1, 10, 8.7)).toBe(0);
    expect(stepFramesAt(8.6, 1, 10, 8.7)).toBe(8.6);
    expect(stepFramesAt(8.65, 1, 10, 8.7)).toBe(8.6);
    expect(stepFramesAt(8.5, 5, 10, 8.7)).toBe(8.6);
  });

  it('steps the 30 fps timeline exactly as before', () => {
    expect(stepFramesAt(0, 1, 30, 7.7)).toBe(1 / 30);
    expect(stepFramesAt(2, 1, 30, 7.7)).toBe(61 / 30);
    expect(stepFramesAt(0.05, -1, 30, 7.7)).toBe(0);
    expect(stepFramesAt(7.65, 1, 30, 7.7)).toBe(230 / 30);
    expect(stepFramesAt(2, 30, 30, 7.7)).toBe(3);
  });

  it('lands on every source frame in turn, forward and back', () => {
    let t = 0;
    const seen: number[] = [];
    for (let i = 0; i < 86; i++) seen.push(frameIndexAt((t = stepFramesAt(t, 1, 10, 8.7)), 10));
    expect(seen).toEqual(Array.from({ length: 86 }, (_, i) => i + 1));
    for (let i = 0; i < 86; i++) t = stepFramesAt(t, -1, 10, 8.7);
    expect(t).toBe(0);
  });
});
