import type { PoseTrack } from '../../../src-main/contract/measurements.js';

/**
 * Distances between two sets of keypoints of the same person, per keypoint group, in pixels
 * and in torso lengths (shoulder midpoint to hip midpoint, the mean of the two poses), over
 * keypoints both score at least `minScore`. Shared by the refinement tests and benches.
 */
export type Poses = Map<number, number[]>; // frame -> the 17 COCO keypoints' x, y, score (51 numbers)

export const keypointGroups = { head: [0, 1, 2, 3, 4], shoulders: [5, 6], elbows: [7, 8], wrists: [9, 10], hips: [11, 12], knees: [13, 14], ankles: [15, 16] } as const;

/** The COCO-17 keypoints of a pose track by frame. */
export function cocoByFrame(pose: PoseTrack): Poses {
  const n = pose.names.length;
  return new Map(pose.frames.map((f, i) => [f, pose.points.slice(i * n * 3, i * n * 3 + 51)]));
}

const mid = (p: number[], a: number, b: number) => ({ x: (p[a * 3]! + p[b * 3]!) / 2, y: (p[a * 3 + 1]! + p[b * 3 + 1]!) / 2 });
export const torsoLength = (p: number[]) => {
  const s = mid(p, 5, 6);
  const h = mid(p, 11, 12);
  return Math.hypot(s.x - h.x, s.y - h.y);
};

export function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] ?? Number.NaN;
}

export interface GroupAgreement {
  n: number;
  medianPx: number;
  p90Px: number;
  medianTorso: number;
  p90Torso: number;
}

export function agreement(a: Poses, b: Poses, indices: readonly number[], minScore = 0.3): GroupAgreement {
  const px: number[] = [];
  const rel: number[] = [];
  for (const [frame, pa] of a) {
    const pb = b.get(frame);
    if (!pb) continue;
    const torso = (torsoLength(pa) + torsoLength(pb)) / 2;
    for (const k of indices) {
      if (!(pa[k * 3 + 2]! >= minScore && pb[k * 3 + 2]! >= minScore)) continue;
      const d = Math.hypot(pa[k * 3]! - pb[k * 3]!, pa[k * 3 + 1]! - pb[k * 3 + 1]!);
      px.push(d);
      rel.push(d / torso);
    }
  }
  return { n: px.length, medianPx: quantile(px, 0.5), p90Px: quantile(px, 0.9), medianTorso: quantile(rel, 0.5), p90Torso: quantile(rel, 0.9) };
}
