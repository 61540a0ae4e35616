/**
 * Boxes (and poses) between detections, for drawing on every frame. Stage 1 stores each track's
 * box only on the frames the detector saw (every `stride`-th frame of the 30 fps timeline, and
 * not where it missed the person), so an overlay drawn from the stored frames alone blinks while
 * the video plays. Between two neighbouring detections of the same track, each number (x1, y1,
 * x2, y2; or x, y, score of every keypoint) is interpolated linearly.
 *
 * Never beyond a track's first or last detection (nothing is extrapolated: a person who walked
 * out of the picture is not drawn walking on), and not across a gap longer than
 * `maxBridgedGapFrames`: there the person was missed for a while (hidden behind someone,
 * turned, out of view) and a straight line between the two ends could be far off them.
 */
import type { Box } from './detectionTypes.js';

/**
 * The longest gap between two detections of a track that is bridged: 15 timeline frames,
 * 0.5 s. That is three detection intervals at the largest stride (5), i.e. up to two missed
 * detections in a row; a walker moves about a body height per second on a fairly straight line,
 * so a box interpolated over half a second stays on them. Longer gaps are left empty.
 */
export const maxBridgedGapFrames = 15;

/** Numbers sampled on some frames: `values` holds `width` numbers per listed frame, in the order of `frames`. */
export interface FrameSamples {
  /** Timeline frames with a sample, ascending, no repeats (see `ascendingSamples`). */
  readonly frames: readonly number[];
  readonly values: readonly number[];
}

/**
 * The same samples with the frames ascending and each frame once (the first sample of a
 * repeated frame is kept). Returns the input itself when it already is.
 */
export function ascendingSamples(samples: FrameSamples, width: number): FrameSamples {
  const { frames, values } = samples;
  if (values.length !== frames.length * width) throw new Error(`${values.length} numbers were given for ${frames.length} frames; ${width} per frame were expected.`);
  if (frames.every((f, i) => i === 0 || f > frames[i - 1]!)) return samples;
  const order = frames.map((f, i) => [f, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const outFrames: number[] = [];
  const outValues: number[] = [];
  for (const [f, i] of order) {
    if (outFrames.length > 0 && outFrames[outFrames.length - 1] === f) continue;
    outFrames.push(f);
    for (let k = 0; k < width; k++) outValues.push(values[i * width + k]!);
  }
  return { frames: outFrames, values: outValues };
}

/** Index of the last listed frame at or before `frame`, or -1 when `frame` is before the first. */
function lastAtOrBefore(frames: readonly number[], frame: number): number {
  let lo = 0;
  let hi = frames.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid]! <= frame) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** What `sampleAt` found: the numbers, and whether they are a detection's own (not interpolated). */
export interface Sample {
  values: number[];
  detected: boolean;
}

/**
 * The `width` numbers at `frame` (a timeline frame; a fraction is allowed, e.g. a time × 30):
 * a listed frame's own numbers; between two neighbouring listed frames at most `maxGap` frames
 * apart, each number interpolated linearly; null before the first listed frame, after the last,
 * or inside a longer gap. `samples.frames` must be ascending (`ascendingSamples`).
 */
export function sampleAt(samples: FrameSamples, width: number, frame: number, maxGap = maxBridgedGapFrames): Sample | null {
  const { frames, values } = samples;
  if (!Number.isFinite(frame)) return null;
  const i = lastAtOrBefore(frames, frame);
  if (i < 0) return null;
  const f0 = frames[i]!;
  if (f0 === frame) return { values: values.slice(i * width, (i + 1) * width), detected: true };
  const f1 = frames[i + 1];
  if (f1 === undefined || f1 - f0 > maxGap) return null;
  const t = (frame - f0) / (f1 - f0);
  const out: number[] = [];
  for (let k = 0; k < width; k++) {
    const a = values[i * width + k]!;
    const b = values[(i + 1) * width + k]!;
    out.push(a + (b - a) * t);
  }
  return { values: out, detected: false };
}

/** A track as stored in a TrackOverlay: its detection frames and x1, y1, x2, y2 on each. */
export interface TrackBoxes {
  readonly id: number;
  readonly frames: readonly number[];
  readonly boxes: readonly number[];
}

export interface TrackBoxAt {
  id: number;
  box: Box;
  /** True on one of the track's detection frames, false where the box is interpolated. */
  detected: boolean;
}

/** The track's box at `frame` (see `sampleAt`), or null where it has none. Frames ascending. */
export function trackBoxAt(track: TrackBoxes, frame: number, maxGap = maxBridgedGapFrames): TrackBoxAt | null {
  const s = sampleAt({ frames: track.frames, values: track.boxes }, 4, frame, maxGap);
  if (!s) return null;
  const [x1, y1, x2, y2] = s.values as [number, number, number, number];
  return { id: track.id, box: { x1, y1, x2, y2 }, detected: s.detected };
}

/** The box of every track that has one at `frame`, in the order of `tracks`. Frames ascending. */
export function trackBoxesAt(tracks: readonly TrackBoxes[], frame: number, maxGap = maxBridgedGapFrames): TrackBoxAt[] {
  const out: TrackBoxAt[] = [];
  for (const track of tracks) {
    const at = trackBoxAt(track, frame, maxGap);
    if (at) out.push(at);
  }
  return out;
}
