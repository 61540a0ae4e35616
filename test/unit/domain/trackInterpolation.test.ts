import { describe, expect, it } from 'vitest';
import { ascendingSamples, maxBridgedGapFrames, sampleAt, trackBoxAt, trackBoxesAt, type TrackBoxes } from '../../../src-main/domain/trackInterpolation.js';

// detected every 5th frame (stride 5) on 0, 5 and 10, then missed until 30 (a gap of 20 frames)
const walker: TrackBoxes = { id: 4, frames: [0, 5, 10, 30], boxes: [100, 200, 150, 400, 110, 200, 160, 420, 120, 210, 170, 420, 300, 200, 350, 400] };

describe('boxes between detections', () => {
  it('bridges at most half a second (15 timeline frames)', () => {
    expect(maxBridgedGapFrames).toBe(15);
  });

  it('gives a detection frame its own box', () => {
    expect(trackBoxAt(walker, 5)).toEqual({ id: 4, box: { x1: 110, y1: 200, x2: 160, y2: 420 }, detected: true });
    expect(trackBoxAt(walker, 30)).toEqual({ id: 4, box: { x1: 300, y1: 200, x2: 350, y2: 400 }, detected: true });
  });

  it('interpolates each number linearly between the two neighbouring detections', () => {
    // frame 1 is a fifth of the way from frame 0 to frame 5
    expect(trackBoxAt(walker, 1)).toEqual({ id: 4, box: { x1: 102, y1: 200, x2: 152, y2: 404 }, detected: false });
    expect(trackBoxAt(walker, 4)).toEqual({ id: 4, box: { x1: 108, y1: 200, x2: 158, y2: 416 }, detected: false });
    // frame 7.5 (a time of 0.25 s) is half way from 5 to 10
    expect(trackBoxAt(walker, 7.5)).toEqual({ id: 4, box: { x1: 115, y1: 205, x2: 165, y2: 420 }, detected: false });
  });

  it('does not extrapolate before the first or after the last detection', () => {
    expect(trackBoxAt(walker, -1)).toBeNull();
    expect(trackBoxAt(walker, 31)).toBeNull();
    expect(trackBoxAt({ id: 1, frames: [], boxes: [] }, 0)).toBeNull();
    expect(trackBoxAt({ id: 1, frames: [3], boxes: [1, 2, 3, 4] }, 3)).toEqual({ id: 1, box: { x1: 1, y1: 2, x2: 3, y2: 4 }, detected: true });
    expect(trackBoxAt({ id: 1, frames: [3], boxes: [1, 2, 3, 4] }, 4)).toBeNull();
    expect(trackBoxAt(walker, Number.NaN)).toBeNull();
  });

  it('leaves a gap longer than the limit empty, and bridges one of exactly the limit', () => {
    expect(trackBoxAt(walker, 11)).toBeNull();
    expect(trackBoxAt(walker, 29)).toBeNull();
    expect(trackBoxAt(walker, 20, 20)).toEqual({ id: 4, box: { x1: 210, y1: 205, x2: 260, y2: 410 }, detected: false });
    const fifteen: TrackBoxes = { id: 2, frames: [0, 15], boxes: [0, 0, 30, 60, 30, 0, 60, 60] };
    expect(trackBoxAt(fifteen, 5)).toEqual({ id: 2, box: { x1: 10, y1: 0, x2: 40, y2: 60 }, detected: false });
  });

  it('gives every track that has a box on the frame, in the order given', () => {
    const other: TrackBoxes = { id: 9, frames: [2, 4], boxes: [0, 0, 10, 10, 4, 0, 14, 10] };
    expect(trackBoxesAt([walker, other], 3)).toEqual([
      { id: 4, box: { x1: 106, y1: 200, x2: 156, y2: 412 }, detected: false },
      { id: 9, box: { x1: 2, y1: 0, x2: 12, y2: 10 }, detected: false },
    ]);
    expect(trackBoxesAt([walker, other], 12)).toEqual([]);
  });
});

describe('any numbers sampled on some frames (keypoints: 51 a frame)', () => {
  it('interpolates every number, scores included', () => {
    const samples = { frames: [10, 14], values: [100, 50, 0.5, 108, 54, 0.25] };
    expect(sampleAt(samples, 3, 11)).toEqual({ values: [102, 51, 0.4375], detected: false });
    expect(sampleAt(samples, 3, 14)).toEqual({ values: [108, 54, 0.25], detected: true });
    expect(sampleAt(samples, 3, 12, 3)).toBeNull();
  });

  it('sorts the frames and keeps the first sample of a repeated frame', () => {
    const sorted = { frames: [1, 2], values: [1, 2] };
    expect(ascendingSamples(sorted, 1)).toBe(sorted);
    expect(ascendingSamples({ frames: [5, 1, 5, 3], values: [50, 51, 10, 11, 52, 53, 30, 31] }, 2)).toEqual({ frames: [1, 3, 5], values: [10, 11, 30, 31, 50, 51] });
    expect(() => ascendingSamples({ frames: [1], values: [1, 2, 3] }, 4)).toThrow('3 numbers were given for 1 frames; 4 per frame were expected.');
  });
});
