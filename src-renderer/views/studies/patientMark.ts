/**
 * The patient's box on the original video at a playback time, for the original-marked view
 * of a reader study. Pure lookups over the contract's PatientMark (original pixels).
 */
import type { PatientMark } from '../../../src-main/contract/entities.js';

export interface MarkBox {
  frame: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The mark's box nearest to frame round(sec * fps) (a tie: the earlier frame), or null when no listed frame is within `maxGapSec`. */
export function markBoxAt(mark: PatientMark, sec: number, maxGapSec = 0.5): MarkBox | null {
  const { frames, boxes } = mark;
  if (frames.length === 0 || boxes.length < frames.length * 4 || !(mark.fps > 0) || !Number.isFinite(sec)) return null;
  const target = Math.round(sec * mark.fps);
  // a linear scan: a window holds at most a few thousand frames, in any order; a tie goes to the earlier frame
  let best = 0;
  for (let i = 1; i < frames.length; i++) {
    const d = Math.abs(frames[i]! - target) - Math.abs(frames[best]! - target);
    if (d < 0 || (d === 0 && frames[i]! < frames[best]!)) best = i;
  }
  const frame = frames[best]!;
  if (Math.abs(frame - target) > maxGapSec * mark.fps) return null;
  return { frame, x1: boxes[best * 4]!, y1: boxes[best * 4 + 1]!, x2: boxes[best * 4 + 2]!, y2: boxes[best * 4 + 3]! };
}
