/**
 * Pure decisions of the review players: frame stepping on the 30 fps clock, the loop range,
 * the J/K/L speed ladder and how the follower player corrects its drift. No DOM here.
 */
import { TIMELINE_FPS, frameAt } from './clipTimeline.js';

/**
 * Last timeline frame of a video of this duration (a 7.7 s video has frames 0..230). The
 * tolerance absorbs ffprobe's six decimals: 230 frames last 7.666667 s, not 230.00001 frames.
 */
export function lastFrameOf(durationSec: number): number {
  if (!Number.isFinite(durationSec) || durationSec <= 0) return 0;
  return Math.max(0, Math.ceil(durationSec * TIMELINE_FPS - 1e-3) - 1);
}

/** Moves `frames` timeline frames (negative: back) from the frame shown at `sec`, kept inside the video. */
export function stepTime(sec: number, frames: number, durationSec: number): number {
  const target = Math.min(lastFrameOf(durationSec), Math.max(0, frameAt(sec) + frames));
  return target / TIMELINE_FPS;
}

/** Keeps a clock time inside [0, duration]. */
export function clampTime(sec: number, durationSec: number): number {
  if (!Number.isFinite(sec)) return 0;
  return Math.min(Math.max(0, durationSec), Math.max(0, sec));
}

/** mm:ss.fff (minutes keep growing past 59: clinical videos are short). */
export function formatClock(sec: number): string {
  const ms = Math.max(0, Math.round(sec * 1000));
  const m = Math.floor(ms / 60000);
  const s = Math.floor((ms % 60000) / 1000);
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

// ---- loop range ----

export interface LoopRange {
  inSec: number | null;
  outSec: number | null;
}

export const noLoop: LoopRange = { inSec: null, outSec: null };

/** `[`: the loop starts here; an out point at or before it is dropped. */
export function setLoopIn(loop: LoopRange, sec: number): LoopRange {
  return { inSec: sec, outSec: loop.outSec !== null && loop.outSec <= sec ? null : loop.outSec };
}

/** `]`: the loop ends here; an in point at or after it is dropped. */
export function setLoopOut(loop: LoopRange, sec: number): LoopRange {
  return { inSec: loop.inSec !== null && loop.inSec >= sec ? null : loop.inSec, outSec: sec };
}

/** The range played in a loop (a missing end is the video's start or end), or null when no loop is set. */
export function activeLoop(loop: LoopRange, durationSec: number): { start: number; end: number } | null {
  if (loop.inSec === null && loop.outSec === null) return null;
  const start = loop.inSec ?? 0;
  const end = loop.outSec ?? durationSec;
  return end > start ? { start, end } : null;
}

/** Where playback must jump to keep inside the loop, or null to carry on. */
export function loopJump(loop: LoopRange, durationSec: number, sec: number): number | null {
  const range = activeLoop(loop, durationSec);
  if (!range) return null;
  return sec >= range.end || sec < range.start - 1e-4 ? range.start : null;
}

// ---- speeds (J/K/L) ----

export const speeds = [0.25, 0.5, 1, 2, 4] as const;

/** Next speed up the ladder (L while playing): 0.25 -> 0.5 -> 1 -> 2 -> 4, and 4 stays. */
export function fasterSpeed(rate: number): number {
  return speeds.find((s) => s > rate + 1e-9) ?? speeds.at(-1)!;
}

/** Next speed down the ladder (J while playing): 4 -> 2 -> 1 -> 0.5 -> 0.25, and 0.25 stays. */
export function slowerSpeed(rate: number): number {
  return [...speeds].reverse().find((s) => s < rate - 1e-9) ?? speeds[0];
}

export interface TransportState {
  playing: boolean;
  rate: number;
}

export type JklKey = 'j' | 'k' | 'l';

/**
 * J/K/L, as documented in the shortcut list. Browsers cannot play backwards, so:
 * J paused steps one frame back (hold it to keep stepping); J playing slows down (down to 0.25x).
 * K pauses. L paused plays at 1x; L playing speeds up (1x, 2x, 4x).
 */
export function jkl(key: JklKey, state: TransportState): TransportState & { stepFrames: number } {
  switch (key) {
    case 'j':
      return state.playing ? { playing: true, rate: slowerSpeed(state.rate), stepFrames: 0 } : { ...state, stepFrames: -1 };
    case 'k':
      return { playing: false, rate: state.rate, stepFrames: 0 };
    case 'l':
      return state.playing ? { playing: true, rate: fasterSpeed(state.rate), stepFrames: 0 } : { playing: true, rate: 1, stepFrames: 0 };
  }
}

// ---- drift of the follower player ----

export const driftLimits = {
  /** Half a frame on the 30 fps timeline: closer than this counts as in step. */
  tolerance: 0.5 / TIMELINE_FPS,
  /** Beyond this the follower re-seeks instead of nudging its speed. */
  seekBeyond: 0.25,
  /** Largest relative speed change of a nudge (10 %). */
  maxNudge: 0.1,
} as const;

export type DriftAction = { kind: 'hold'; rate: number } | { kind: 'nudge'; rate: number } | { kind: 'seek'; time: number; rate: number };

/**
 * What the follower does, given where it should be (`target`, its own time) and where it is.
 * Paused: any drift past half a frame is a seek. Playing: a small drift is closed by playing
 * up to 10 % faster or slower (the drift in seconds as the relative change: 50 ms behind plays
 * 5 % faster), a large one (over 0.25 s) by a seek; in step, the base speed is restored.
 */
export function driftAction(target: number, actual: number, baseRate: number, playing: boolean): DriftAction {
  const drift = target - actual;
  const size = Math.abs(drift);
  if (size <= driftLimits.tolerance) return { kind: 'hold', rate: baseRate };
  if (!playing || size > driftLimits.seekBeyond) return { kind: 'seek', time: target, rate: baseRate };
  const change = Math.max(-driftLimits.maxNudge, Math.min(driftLimits.maxNudge, drift));
  return { kind: 'nudge', rate: baseRate * (1 + change) };
}
