import { describe, expect, it } from 'vitest';
import { ClipTimeline, classifiedTimeAt, clockTimeOfClassified, frameAt, timeOfFrame } from '../../../../../src-renderer/lib/review/clipTimeline.js';

// Three segments of the patient on the 30 fps timeline: frames 10-39 (30 frames), 60-74 (15), 100-100 (1).
// In the person-centred clip they sit at clip frames 0-29, 30-44 and 45.
const timeline = new ClipTimeline([
  { startFrame: 10, endFrame: 39 },
  { startFrame: 60, endFrame: 74 },
  { startFrame: 100, endFrame: 100 },
]);

describe('the person-centred clip on the original timeline', () => {
  it('numbers the clip frames segment after segment', () => {
    expect(timeline.segments.map((s) => s.clipStartFrame)).toEqual([0, 30, 45]);
    expect(timeline.clipFrames).toBe(46);
    expect(timeline.clipDurationSec).toBeCloseTo(46 / 30, 12);
  });

  it('maps original time to clip time inside each segment', () => {
    expect(timeline.clipTimeAt(10 / 30)).toBeCloseTo(0, 12);
    expect(timeline.clipTimeAt(1)).toBeCloseTo(20 / 30, 12); // frame 30 -> clip frame 20
    expect(timeline.clipTimeAt(39 / 30)).toBeCloseTo(29 / 30, 12);
    expect(timeline.clipTimeAt(2)).toBeCloseTo(30 / 30, 12); // frame 60 -> clip frame 30
    expect(timeline.clipTimeAt(74 / 30)).toBeCloseTo(44 / 30, 12);
    expect(timeline.clipTimeAt(2.5)).toBeNull(); // frame 75, just after segment 2
    expect(timeline.clipTimeAt(100 / 30)).toBeCloseTo(45 / 30, 12);
  });

  it('is null outside every segment, exactly at the segment borders', () => {
    expect(timeline.clipTimeAt(0)).toBeNull();
    expect(timeline.clipTimeAt(9 / 30)).toBeNull();
    expect(timeline.clipTimeAt(40 / 30)).toBeNull(); // first frame after segment 1 (its end is inclusive)
    expect(timeline.clipTimeAt(59.99 / 30)).toBeNull();
    expect(timeline.clipTimeAt(101 / 30)).toBeNull();
    expect(timeline.clipTimeAt(10)).toBeNull();
    expect(timeline.segmentIndexAt(39.99 / 30)).toBe(0);
    expect(timeline.segmentIndexAt(100.5 / 30)).toBe(2);
  });

  it('keeps the time continuous inside a frame (for drift correction during playback)', () => {
    expect(timeline.clipTimeAt(60.5 / 30)).toBeCloseTo(30.5 / 30, 12);
  });

  it('maps clip time back to original time', () => {
    expect(timeline.originalTimeAt(0)).toBeCloseTo(10 / 30, 12);
    expect(timeline.originalTimeAt(20 / 30)).toBeCloseTo(1, 12);
    expect(timeline.originalTimeAt(29.5 / 30)).toBeCloseTo(39.5 / 30, 12);
    expect(timeline.originalTimeAt(30 / 30)).toBeCloseTo(2, 12);
    expect(timeline.originalTimeAt(45 / 30)).toBeCloseTo(100 / 30, 12);
    expect(timeline.originalTimeAt(46 / 30)).toBeCloseTo(101 / 30, 12); // the clip's end: end of the last segment
    expect(timeline.originalTimeAt(99)).toBeCloseTo(101 / 30, 12);
    expect(timeline.originalTimeAt(-1)).toBeCloseTo(10 / 30, 12);
  });

  it('round-trips every clip frame', () => {
    for (let k = 0; k < timeline.clipFrames; k++) {
      const back = timeline.clipTimeAt(timeline.originalTimeAt(k / 30));
      expect(frameAt(back!)).toBe(k);
    }
  });

  it('finds where the patient comes back', () => {
    expect(timeline.nextSegmentStart(0)).toBeCloseTo(10 / 30, 12);
    expect(timeline.nextSegmentStart(1.5)).toBeCloseTo(2, 12);
    expect(timeline.nextSegmentStart(3)).toBeCloseTo(100 / 30, 12);
    expect(timeline.nextSegmentStart(100 / 30)).toBeNull();
  });

  it('refuses broken segment lists in words', () => {
    expect(() => new ClipTimeline([{ startFrame: 5, endFrame: 4 }])).toThrow('Segment 1 of stage 1 ends (frame 4) before it starts (frame 5).');
    expect(() => new ClipTimeline([{ startFrame: 0, endFrame: 9 }, { startFrame: 9, endFrame: 12 }])).toThrow('Segment 2 of stage 1 starts at frame 9, inside or before the previous segment (which ends at frame 9).');
    expect(() => new ClipTimeline([{ startFrame: 1.5, endFrame: 3 }])).toThrow(/not whole non-negative numbers/);
    expect(() => new ClipTimeline([]).originalTimeAt(0)).toThrow('The person-centred clip has no segments, so it has no time to map.');
  });
});

describe('timeline frames', () => {
  it('puts time f/30 on frame f without float slips', () => {
    for (let f = 0; f < 2000; f++) expect(frameAt(timeOfFrame(f))).toBe(f);
    expect(frameAt(0.1)).toBe(3);
    expect(frameAt(0.033)).toBe(0);
    expect(frameAt(4.066666)).toBe(122); // Chromium reads a seek to 122/30 s back truncated to microseconds
  });

  it('maps a 10 fps original the same way: the clock is original seconds, whatever the source rate', () => {
    // a 10 fps original: its frame 7 is shown from 0.7 s to 0.8 s, i.e. timeline frames 21, 22 and 23
    const tenFps = new ClipTimeline([{ startFrame: 21, endFrame: 50 }]);
    expect(tenFps.clipTimeAt(0.7)).toBeCloseTo(0, 12);
    expect(tenFps.clipTimeAt(0.75)).toBeCloseTo(1.5 / 30, 12);
    expect(frameAt(tenFps.clipTimeAt(0.79)!)).toBe(2);
    expect(tenFps.clipTimeAt(0.69)).toBeNull();
    expect(Math.floor(0.75 * 10 + 1e-6)).toBe(7); // the original's own frame under the clock
  });
});

describe('the classified video (for the score timeline)', () => {
  const onClip = { classifiedVideoId: 8, originalVideoId: 3, clipVideoId: 8 };
  const onOriginal = { classifiedVideoId: 3, originalVideoId: 3, clipVideoId: 8 };

  it('is the clip time when stage 2 classified the person-centred clip', () => {
    expect(classifiedTimeAt(1, onClip, timeline)).toBeCloseTo(20 / 30, 12);
    expect(classifiedTimeAt(0.1, onClip, timeline)).toBeNull();
    expect(clockTimeOfClassified(1, onClip, timeline)).toBeCloseTo(2, 12); // clip 1 s = clip frame 30 = timeline frame 60
    expect(clockTimeOfClassified(0.5, onClip, timeline)).toBeCloseTo(25 / 30, 12);
  });

  it('is the clock itself when stage 2 classified the original', () => {
    expect(classifiedTimeAt(1.234, onOriginal, timeline)).toBe(1.234);
    expect(clockTimeOfClassified(2.5, onOriginal, timeline)).toBe(2.5);
    expect(clockTimeOfClassified(-1, onOriginal, null)).toBe(0);
  });

  it('says when the classified video is not on screen', () => {
    expect(() => classifiedTimeAt(1, { classifiedVideoId: 9, originalVideoId: 3, clipVideoId: 8 }, timeline)).toThrow(
      'The classification was made on video 9, which is not on screen (the original is video 3, the person-centred clip is video 8). Classify again to see scores for what is shown.',
    );
    expect(() => clockTimeOfClassified(Number.NaN, onClip, timeline)).toThrow('A time in the classified video must be a number of seconds, not NaN.');
  });
});
