/**
 * Frame steps by the original video's own frames. The review clock counts frames of the 30 fps
 * timeline (stage 1's clip, the overlays), but a 10 fps source shows each of its pictures for
 * three timeline frames: a frame step there must move one picture of the source (0.1 s), not a
 * timeline frame that shows the same picture again. Sources at 30 fps step as before.
 */
import { TIMELINE_FPS } from './clipTimeline.js';

/**
 * Tolerance in frames when locating a frame (as in clipTimeline.ts): guards against 0.3 * 10 =
 * 2.9999999999999996 and against browsers reporting times truncated to whole microseconds.
 */
const EPS = 1e-3;

/** The frame rate a frame step moves by, and whether it is the source's own. */
export interface FrameStep {
  fps: number;
  /** True: the original's rate (it differs from the timeline's); false: the 30 fps timeline. */
  source: boolean;
}

/**
 * The source's probed rate when it is a usable number (1 to 240 fps) that differs from the
 * timeline's by more than 0.01 fps; otherwise the timeline's 30 fps.
 */
export function frameStepOf(sourceFps: number | null | undefined): FrameStep {
  if (typeof sourceFps === 'number' && Number.isFinite(sourceFps) && sourceFps >= 1 && sourceFps <= 240 && Math.abs(sourceFps - TIMELINE_FPS) > 0.01) {
    return { fps: sourceFps, source: true };
  }
  return { fps: TIMELINE_FPS, source: false };
}

/** The frame (0-based) shown at `sec` at `fps` frames a second. */
export function frameIndexAt(sec: number, fps: number): number {
  return Math.max(0, Math.floor(sec * fps + EPS));
}

/** How many frames of `fps` a video of this duration has (at least 1). */
export function frameCountOf(durationSec: number, fps: number): number {
  if (!Number.isFinite(durationSec) || durationSec <= 0) return 1;
  return Math.max(1, Math.ceil(durationSec * fps - EPS));
}

/**
 * The time `frames` frames of `fps` (negative: back) from the frame shown at `sec`: the start
 * of that frame, kept between the first and the last frame of the video.
 */
export function stepFramesAt(sec: number, frames: number, fps: number, durationSec: number): number {
  const target = Math.min(frameCountOf(durationSec, fps) - 1, Math.max(0, frameIndexAt(sec, fps) + frames));
  return target / fps;
}
