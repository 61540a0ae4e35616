import { describe, expect, it } from 'vitest';
import { oneSecondSegments, segmentLengths } from '../../../../src-main/domain/posture/segmenting.js';

describe('1 s segments', () => {
  it('30 frames at 30 fps, a tail of at least 15 frames kept', () => {
    expect(segmentLengths(30)).toEqual({ frames: 30, minTail: 15 });
    expect(oneSecondSegments([{ startFrame: 10, endFrame: 84 }], 30)).toEqual([
      { startFrame: 10, endFrame: 39 },
      { startFrame: 40, endFrame: 69 },
      { startFrame: 70, endFrame: 84 },
    ]);
  });
  it('a tail of 14 frames (under 0.5 s) is dropped, and so is a stage 1 segment that short', () => {
    expect(oneSecondSegments([{ startFrame: 0, endFrame: 43 }, { startFrame: 100, endFrame: 113 }], 30)).toEqual([{ startFrame: 0, endFrame: 29 }]);
  });
  it('never crosses a stage 1 segment: each is cut from its own first frame', () => {
    expect(oneSecondSegments([{ startFrame: 0, endFrame: 19 }, { startFrame: 20, endFrame: 49 }], 30)).toEqual([
      { startFrame: 0, endFrame: 19 },
      { startFrame: 20, endFrame: 49 },
    ]);
  });
  it('refuses fractional frames and a zero frame rate', () => {
    expect(() => oneSecondSegments([{ startFrame: 0.5, endFrame: 40 }], 30)).toThrow('segment frames are whole numbers, not 0.5..40');
    expect(() => segmentLengths(0)).toThrow('segments need a positive frame rate, not 0');
  });
});
