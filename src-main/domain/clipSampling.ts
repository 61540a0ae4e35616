/**
 * Stage 2 clip sampling as the reference data module does it (pytorchvideo 0.1.5):
 *
 * 1. `UniformClipSampler(clip_duration)` cuts the video into clips [k*stride, k*stride + d)
 *    (stride = d unless given) and LabeledVideoDataset takes clips until the sampler says
 *    `is_last_clip`, i.e. until the *next* clip would end more than eps (1e-6 s) past the
 *    video's duration. So the first clip is always produced, even when the video is shorter
 *    than one clip (it is then partial); every later clip fits. With `backpad_last` the clip
 *    that would run past the end is moved back to end at the video's end instead.
 * 2. `EncodedVideo.get_clip(start, end)` keeps the frames whose presentation time lies in
 *    [start, end) (start and end converted to pts with ceil).
 * 3. `UniformTemporalSubsample(T)` picks
 *    `torch.linspace(0, t - 1, T).clamp(0, t - 1).long()` of those t frames.
 *
 * WalkScope decodes on a constant 30 fps timeline (frame i at i / 30 s), which is what
 * stage 1 writes and what the reference's person-centred videos are.
 */

export interface ClipWindow {
  index: number;
  startSec: number;
  endSec: number;
  /** False only for a first clip longer than the video (pytorchvideo still yields it). */
  complete: boolean;
}

export interface UniformClipOptions {
  /** Seconds between clip starts; the clip duration by default (no overlap). */
  strideSec?: number;
  /** pytorchvideo's backpad_last: move the clip that would run past the end back. Off in the reference. */
  backpadLast?: boolean;
  /** pytorchvideo's eps for the last-clip test. */
  eps?: number;
}

/** The clips pytorchvideo's UniformClipSampler yields for one video, in order. */
export function uniformClipWindows(durationSec: number, clipSeconds: number, options: UniformClipOptions = {}): ClipWindow[] {
  if (!(clipSeconds > 0)) throw new RangeError('clipSeconds must be positive');
  const stride = options.strideSec ?? clipSeconds;
  if (!(stride > 0)) throw new RangeError('strideSec must be positive');
  const eps = options.eps ?? 1e-6;
  const backpad = options.backpadLast ?? false;
  // _clip_start_end for the clip after the one that ended at lastEnd (k-th clip: no accumulation error)
  const startEnd = (k: number): [number, number] => {
    let start = k * stride;
    let end = start + clipSeconds;
    if (backpad) {
      start = Math.max(0, start - Math.max(0, end - durationSec));
      end = start + clipSeconds;
    }
    return [start, end];
  };
  const windows: ClipWindow[] = [];
  for (let k = 0; ; k++) {
    const [startSec, endSec] = startEnd(k);
    const [, nextEnd] = startEnd(k + 1);
    windows.push({ index: k, startSec, endSec, complete: endSec - durationSec <= eps });
    const last = backpad ? Math.abs(nextEnd - endSec) < eps : nextEnd - durationSec > eps;
    if (last) return windows;
    if (k > 1e6) throw new RangeError('too many clips');
  }
}

/** Indices of the frames whose presentation time lies in [start, end). `times` ascending, seconds. */
export function framesInWindow(times: readonly number[], window: Pick<ClipWindow, 'startSec' | 'endSec'>): number[] {
  const out: number[] = [];
  const tolerance = 1e-9; // pts are integers: a time equal to a bound must not fall out by rounding
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (t >= window.startSec - tolerance && t < window.endSec - tolerance) out.push(i);
  }
  return out;
}

/**
 * [first, end) frame indices of a window on a constant-rate timeline (frame i at i / fps),
 * the same frames `framesInWindow` picks from such a timeline, without the list.
 */
export function timelineFrameRange(window: Pick<ClipWindow, 'startSec' | 'endSec'>, fps: number, frameCount = Number.POSITIVE_INFINITY): { first: number; end: number } {
  const tolerance = 1e-9;
  const first = Math.max(0, Math.ceil(window.startSec * fps - tolerance));
  const end = Math.min(frameCount, Math.ceil(window.endSec * fps - tolerance));
  return { first, end: Math.max(first, end) };
}

/**
 * torch.linspace(0, end, steps) in float32 on the CPU, value for value. torch fills the first
 * half from the start and the second from the end; its AVX2 kernel (8 floats, two vectors per
 * loop iteration) computes each vector's first value with a fused multiply-add and extends it
 * by adding k * step. Emulating that reproduces the truncated indices of torch 1.13 exactly
 * (checked for every clip length 1..120 and T = 8, 16, 32, 64): plain float arithmetic would
 * put a few indices one frame off where a value lands just below a whole number.
 */
function torchLinspaceFloat32(end: number, steps: number): number[] {
  const f = Math.fround;
  const step = f(f(end) / f(steps - 1));
  const halfway = Math.floor(steps / 2);
  // b * c of a float and a small integer is exact in double, so this rounds once, like an FMA
  const fused = (a: number, b: number, c: number) => f(a + b * c);
  const scalar = (i: number) => (i < halfway ? f(f(step * i)) : f(f(end) - f(step * (steps - i - 1))));
  const out = new Array<number>(steps);
  const vector = 8;
  let i = 0;
  for (; i + 2 * vector <= steps; i += 2 * vector) {
    for (const first of [i, i + vector]) {
      let base: number | undefined;
      if (first + vector <= halfway) base = fused(0, step, first);
      else if (first >= halfway) base = fused(f(end), -step, steps - first - 1);
      for (let k = 0; k < vector; k++) out[first + k] = base === undefined ? scalar(first + k) : f(base + f(step * k));
    }
  }
  for (; i < steps; i++) out[i] = scalar(i);
  return out;
}

/**
 * torch.clamp(torch.linspace(0, t - 1, T), 0, t - 1).long(), as pytorchvideo's
 * UniformTemporalSubsample computes it. Returns positions 0..t-1 within the clip
 * (repeats when the clip holds fewer than T frames).
 */
export function temporalSubsampleIndices(t: number, frames: number): number[] {
  if (t <= 0 || frames <= 0) return [];
  if (frames === 1) return [0];
  return torchLinspaceFloat32(t - 1, frames).map((v) => Math.trunc(Math.min(t - 1, Math.max(0, v))));
}

export interface PlannedClip extends ClipWindow {
  /** Frames of the clip window on the timeline, [first, end). */
  windowFrames: { first: number; end: number };
  /** The T timeline frame indices the model sees, in order (may repeat). */
  frameIndices: number[];
}

export interface ClipPlanInput {
  durationSec: number;
  clipSeconds: number;
  frames: number;
  /** Rate of the decoded timeline (30 for WalkScope). */
  fps: number;
  /** Frames on the timeline when known; bounds the last window. */
  frameCount?: number;
  options?: UniformClipOptions;
}

/** Every clip of a video with the timeline frames the model sees; clips without frames are left out. */
export function planClips(input: ClipPlanInput): PlannedClip[] {
  const windows = uniformClipWindows(input.durationSec, input.clipSeconds, input.options);
  const planned: PlannedClip[] = [];
  for (const w of windows) {
    const range = timelineFrameRange(w, input.fps, input.frameCount);
    const t = range.end - range.first;
    if (t <= 0) continue;
    planned.push({ ...w, windowFrames: range, frameIndices: temporalSubsampleIndices(t, input.frames).map((i) => range.first + i) });
  }
  return planned;
}
