import type { PoseTrack } from '../../contract/measurements.js';
import { isConfident } from './confidence.js';
import { keypointIndex, readKeypoint } from './keypoints.js';

/**
 * The track's body scale in pixels: the median distance from the shoulder midpoint to the hip
 * midpoint over the frames with them confident (one point of a pair stands for the pair when
 * the other is not seen). The filter and the swap repair work in these trunk lengths, so their
 * parameters mean the same for a near and a far patient.
 */

/** The median trunk length in pixels, or null when no frame shows a shoulder and a hip. */
export function medianTrunkLength(pose: PoseTrack, minScore: number): number | null {
  const ks = (['leftShoulder', 'rightShoulder', 'leftHip', 'rightHip'] as const).map((n) => keypointIndex(pose, n));
  const lengths: number[] = [];
  for (let i = 0; i < pose.frames.length; i++) {
    const [ls, rs, lh, rh] = ks.map((k) => (k < 0 ? null : readKeypoint(pose, i, k))).map((p) => (p && isConfident(p, minScore) ? p : null));
    const sh = ls && rs ? { x: (ls.x + rs.x) / 2, y: (ls.y + rs.y) / 2 } : (ls ?? rs);
    const hp = lh && rh ? { x: (lh.x + rh.x) / 2, y: (lh.y + rh.y) / 2 } : (lh ?? rh);
    if (sh && hp) {
      const d = Math.hypot(sh.x - hp.x, sh.y - hp.y);
      if (d > 0) lengths.push(d);
    }
  }
  if (lengths.length === 0) return null;
  lengths.sort((a, b) => a - b);
  const m = lengths.length >> 1;
  return lengths.length % 2 ? lengths[m]! : (lengths[m - 1]! + lengths[m]!) / 2;
}

