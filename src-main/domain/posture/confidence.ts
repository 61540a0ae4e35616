import type { PoseTrack } from '../../contract/measurements.js';
import { readKeypoint, type Keypoint } from './keypoints.js';

/**
 * Per-keypoint confidence gating: a keypoint whose score is below `minScore` (or whose
 * coordinates are not finite numbers) is not used by any measure, filter or repair; it stays
 * in the output track, unchanged and with its score, so a viewer can still draw it greyed.
 *
 * Default 0.3, a usual threshold for drawing MoveNet and PoseNet keypoints (a choice, not
 * calibrated on this project's videos). Below it a keypoint of a side view is typically the
 * hidden far limb, placed by guess.
 */
export const defaultMinScore = 0.3;

export function isConfident(p: Keypoint, minScore: number): boolean {
  return Number.isFinite(p.x) && Number.isFinite(p.y) && Number.isFinite(p.score) && p.score >= minScore;
}

/** The keypoint, or null when it is not confident. */
export function confidentKeypoint(pose: PoseTrack, i: number, k: number, minScore: number): Keypoint | null {
  if (k < 0) return null;
  const p = readKeypoint(pose, i, k);
  return isConfident(p, minScore) ? p : null;
}

/** Checks a user's gate: a number in 0..1. */
export function checkMinScore(minScore: number): number {
  if (!(minScore >= 0 && minScore <= 1)) throw new RangeError(`minScore is a keypoint score in 0..1, not ${minScore}`);
  return minScore;
}
