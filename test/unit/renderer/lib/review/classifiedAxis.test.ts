import { describe, expect, it } from 'vitest';
import { classifiedAxis, originalAxis } from '../../../../../src-renderer/lib/review/classifiedAxis.js';
import { ClipTimeline } from '../../../../../src-renderer/lib/review/clipTimeline.js';

// The patient in view at timeline frames 30-89 (1-3 s of the original) and 150-209 (5-7 s): the
// person-centred clip (video 8) is those 120 frames back to back, 4 s long; the original is video 3.
const timeline = new ClipTimeline([
  { startFrame: 30, endFrame: 89 },
  { startFrame: 150, endFrame: 209 },
]);
const onClip = classifiedAxis({ classifiedVideoId: 8, originalVideoId: 3, clipVideoId: 8 }, timeline);

describe('the score timeline on the original’s time', () => {
  it('is the identity when stage 2 classified the original', () => {
    const axis = classifiedAxis({ classifiedVideoId: 3, originalVideoId: 3, clipVideoId: 8 }, timeline);
    expect(axis).toBe(originalAxis);
    expect(axis.toClassified(4)).toBe(4);
    expect(axis.toClock(2.5)).toBe(2.5);
    expect(axis.toClock(-1)).toBe(0);
    expect(axis.spansOnClock({ startSec: 1, endSec: 3 })).toEqual([{ startSec: 1, endSec: 3 }]);
  });

  it('maps the clock to the clip’s time, and none where the patient is out of view', () => {
    expect(onClip.classified).toBe('clip');
    expect(onClip.toClassified(1)).toBe(0);
    expect(onClip.toClassified(2)).toBe(1);
    expect(onClip.toClassified(5.5)).toBe(2.5);
    expect(onClip.toClassified(4)).toBeNull();
    expect(onClip.toClassified(0.5)).toBeNull();
    expect(onClip.toClassified(7.5)).toBeNull();
  });

  it('maps the clip’s time back to the clock: the second segment’s first frame at 5 s, the clip’s end at the last segment’s end', () => {
    expect(onClip.toClock(0)).toBe(1);
    expect(onClip.toClock(1)).toBe(2);
    expect(onClip.toClock(2)).toBe(5);
    expect(onClip.toClock(3.5)).toBe(6.5);
    expect(onClip.toClock(4)).toBe(7);
    expect(onClip.toClock(9)).toBe(7);
  });

  it('cuts a clip that runs across the gap into its two pieces of the original', () => {
    expect(onClip.spansOnClock({ startSec: 0, endSec: 2 })).toEqual([{ startSec: 1, endSec: 3 }]);
    expect(onClip.spansOnClock({ startSec: 1, endSec: 3 })).toEqual([
      { startSec: 2, endSec: 3 },
      { startSec: 5, endSec: 6 },
    ]);
    expect(onClip.spansOnClock({ startSec: 2.5, endSec: 4 })).toEqual([{ startSec: 5.5, endSec: 7 }]);
    expect(onClip.spansOnClock({ startSec: 1.5, endSec: 1.5 })).toEqual([]);
  });

  it('refuses, in words, a classification of a video that is not on screen', () => {
    expect(() => classifiedAxis({ classifiedVideoId: 9, originalVideoId: 3, clipVideoId: 8 }, timeline)).toThrow(/made on video 9, which is not on screen/);
  });
});
