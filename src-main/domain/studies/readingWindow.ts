import { mulberry32 } from './seededOrder.js';

/** A stretch of the 30 fps timeline where stage 1 kept the patient in view (frames inclusive). */
export interface PatientSegment {
  startFrame: number;
  endFrame: number;
  /** Where the segment starts in the person-centred clip (stage 1 records it); else the segments' lengths before it. */
  outputStartFrame?: number;
}

/** Where a reading clip lies: on the original's timeline and on the person-centred clip's. */
export interface ReadingWindow {
  original: { startSec: number; endSec: number };
  /** The person-centred clip concatenates the segments in order, so each has its own offset there. */
  personCentred: { startSec: number; endSec: number };
  /** The window is shorter than asked: no segment was long enough, so the longest is shown whole. */
  shortened: boolean;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * A reading window of `clipSeconds` placed at random (seeded) inside the patient's segments,
 * never across a gap where the patient was out of view: every start frame of every segment
 * long enough is equally likely. With no segment that long, the longest segment is shown whole
 * (`shortened`). `fps` is the timeline's rate (30). Undefined when there are no segments.
 */
export function placeReadingWindow(segments: readonly PatientSegment[], clipSeconds: number, seed: number, fps = 30): ReadingWindow | undefined {
  if (segments.length === 0) return undefined;
  const want = Math.max(1, Math.round(clipSeconds * fps));
  const offsets: number[] = [];
  let written = 0;
  for (const s of segments) {
    offsets.push(s.outputStartFrame ?? written);
    written += s.endFrame - s.startFrame + 1;
  }
  // every admissible start, as (segment, first frame): counted, then one picked
  const starts = segments.map((s) => Math.max(0, s.endFrame - s.startFrame + 2 - want));
  const total = starts.reduce((n, k) => n + k, 0);
  let index: number;
  let first: number;
  let length = want;
  if (total === 0) {
    index = segments.reduce((best, s, i) => (s.endFrame - s.startFrame > segments[best]!.endFrame - segments[best]!.startFrame ? i : best), 0);
    first = segments[index]!.startFrame;
    length = segments[index]!.endFrame - first + 1;
  } else {
    let pick = Math.floor(mulberry32(seed)() * total);
    index = 0;
    while (pick >= starts[index]!) pick -= starts[index++]!;
    first = segments[index]!.startFrame + pick;
  }
  const inClip = offsets[index]! + first - segments[index]!.startFrame;
  return {
    original: { startSec: round3(first / fps), endSec: round3((first + length) / fps) },
    personCentred: { startSec: round3(inClip / fps), endSec: round3((inClip + length) / fps) },
    shortened: total === 0,
  };
}
