/**
 * Stage 2 clip sampling exactly as the reference data module does it (pytorchvideo):
 * the "uniform" clip sampler over the whole video, frames of a clip chosen by presentation
 * time in [start, end), then UniformTemporalSubsample(T).
 */

export interface ClipWindow {
  index: number;
  startSec: number;
  endSec: number;
}

/**
 * Consecutive, non-overlapping windows of `clipSeconds` while they fit in the video
 * (UniformClipSampler with stride = clip duration and no back-padding of the last clip).
 */
export function uniformClipWindows(durationSec: number, clipSeconds: number): ClipWindow[] {
  const windows: ClipWindow[] = [];
  for (let k = 0; ; k++) {
    const startSec = k * clipSeconds;
    const endSec = startSec + clipSeconds;
    if (endSec > durationSec + 1e-9) break;
    windows.push({ index: k, startSec, endSec });
  }
  return windows;
}

/** Indices of the frames whose presentation time lies in [start, end). `times` ascending. */
export function framesInWindow(times: readonly number[], window: Pick<ClipWindow, 'startSec' | 'endSec'>): number[] {
  const out: number[] = [];
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (t >= window.startSec - 1e-9 && t < window.endSec - 1e-9) out.push(i);
  }
  return out;
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
 * UniformTemporalSubsample computes it. Returns positions 0..t-1 within the clip.
 */
export function temporalSubsampleIndices(t: number, frames: number): number[] {
  if (t <= 0) return [];
  if (frames === 1) return [0];
  return torchLinspaceFloat32(t - 1, frames).map((v) => Math.trunc(Math.min(t - 1, Math.max(0, v))));
}
