import { TIMELINE_FPS, classifiedTimeAt, clockTimeOfClassified, type ClassifiedRef, type ClipTimeline } from './clipTimeline.js';

/**
 * The score timeline's x axis is the original video's time, the clock both players use. Stage
 * 2 may have classified the person-centred clip instead, whose time runs only while the patient
 * is in view (the clip is the patient's segments back to back, see clipTimeline.ts). This is the
 * mapping both ways between the classified video's time and the clock, and a classified clip's
 * span as the pieces of the clock it covers: a 2 s clip that runs across the end of one segment
 * into the next covers two pieces of the original with the gap between them left out.
 */

/** A span of time in seconds, start before end. */
export interface Span {
  startSec: number;
  endSec: number;
}

export interface ClassifiedAxis {
  /** Which video stage 2 classified: the original (the mapping is the identity) or the clip. */
  classified: 'original' | 'clip';
  /** A clock time as a time of the classified video, or null when that moment is not in it. */
  toClassified(clockSec: number): number | null;
  /** The clock time showing a time of the classified video. */
  toClock(classifiedSec: number): number;
  /** The pieces of the clock a span of the classified video covers, in order (none for an empty span). */
  spansOnClock(span: Span): Span[];
}

/** The identity: stage 2 classified the original itself. */
export const originalAxis: ClassifiedAxis = {
  classified: 'original',
  toClassified: (sec) => sec,
  toClock: (sec) => Math.max(0, sec),
  spansOnClock: (span) => (span.endSec > span.startSec ? [{ startSec: span.startSec, endSec: span.endSec }] : []),
};

const round6 = (sec: number) => Math.round(sec * 1e6) / 1e6;

/** The axis for a result on screen: throws (in words) when the classified video is neither of the two shown. */
export function classifiedAxis(ref: ClassifiedRef, timeline: ClipTimeline | null): ClassifiedAxis {
  // the same check as the conversions themselves: the classified video must be one of the two on screen
  classifiedTimeAt(0, ref, timeline);
  if (ref.classifiedVideoId === ref.originalVideoId || !timeline) return originalAxis;
  return {
    classified: 'clip',
    toClassified: (clockSec) => classifiedTimeAt(clockSec, ref, timeline),
    toClock: (classifiedSec) => clockTimeOfClassified(classifiedSec, ref, timeline),
    spansOnClock: ({ startSec, endSec }) => {
      const from = startSec * TIMELINE_FPS;
      const to = endSec * TIMELINE_FPS;
      const pieces: Span[] = [];
      for (const s of timeline.segments) {
        const length = s.endFrame - s.startFrame + 1;
        const a = Math.max(from, s.clipStartFrame);
        const b = Math.min(to, s.clipStartFrame + length);
        if (b <= a) continue;
        pieces.push({ startSec: round6((s.startFrame + a - s.clipStartFrame) / TIMELINE_FPS), endSec: round6((s.startFrame + b - s.clipStartFrame) / TIMELINE_FPS) });
      }
      return pieces;
    },
  };
}
