/**
 * Whether a video's stated duration fits what the file holds. A container can claim any
 * length: a 6.4 KB file with 3 frames that says "2 hours" would otherwise be listed as 120 min
 * and make stage 1 walk a 2-hour timeline of nothing. Pure: the caller counts the packets.
 */
import { formatBytes } from '../domain/units.js';

/** What the file says and what it holds. */
export interface DurationEvidence {
  /** The duration the container states, in seconds. */
  statedSec: number;
  /** Video packets counted by demuxing. */
  frameCount: number;
  /** Presentation times of the frames from the stream start, ascending, in seconds. */
  frameTimes: readonly number[];
  sizeBytes: number;
}

/** Below these a real walking video does not go; each rule applies only past its length. */
export const plausibilityLimits = {
  /** Fewer frames per second than this, over more than `minRateAfterSec`, is implausible. */
  minFramesPerSec: 1,
  minRateAfterSec: 10,
  /** No gap between frames (or after the last one, up to the stated end) longer than this. */
  maxGapSec: 10,
  /** Fewer bits per second than this, over more than `minBitrateAfterSec`, is implausible. */
  minBitsPerSec: 1000,
  minBitrateAfterSec: 60,
} as const;

/** Null when plausible, else what does not fit, in words for the error's detail. */
export function implausibleDuration(evidence: DurationEvidence, limits = plausibilityLimits): string | null {
  const { statedSec, frameCount, frameTimes, sizeBytes } = evidence;
  const length = formatLength(statedSec);
  if (statedSec > limits.minRateAfterSec && frameCount / statedSec < limits.minFramesPerSec) {
    return `says it lasts ${length} but holds only ${frameCount} frame${frameCount === 1 ? '' : 's'}`;
  }
  if (statedSec > limits.minBitrateAfterSec && (sizeBytes * 8) / statedSec < limits.minBitsPerSec) {
    return `says it lasts ${length} but is only ${formatBytes(sizeBytes)}`;
  }
  let widest = 0;
  let at = 0;
  for (let i = 1; i < frameTimes.length; i++) {
    const gap = frameTimes[i]! - frameTimes[i - 1]!;
    if (gap > widest) [widest, at] = [gap, frameTimes[i - 1]!];
  }
  const last = frameTimes.at(-1) ?? 0;
  if (statedSec - last > widest) [widest, at] = [statedSec - last, last];
  if (widest > limits.maxGapSec) {
    return `says it lasts ${length} but has no frames for ${formatLength(widest)} after ${formatLength(at)}`;
  }
  return null;
}

function formatLength(sec: number): string {
  if (sec >= 120) return `${Math.round(sec / 60)} min`;
  return `${Number(sec.toFixed(1))} s`;
}
