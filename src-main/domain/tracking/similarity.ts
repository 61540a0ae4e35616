import type { Box, Keypoint } from '../detectionTypes.js';

/** Intersection over union of two boxes (0 when either is empty). */
export function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union <= 0 ? 0 : inter / union;
}

export const boxCentre = (b: Box): { x: number; y: number } => ({ x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2 });
export const boxHeight = (b: Box): number => b.y2 - b.y1;
export const boxWidth = (b: Box): number => b.x2 - b.x1;

/** COCO's per-keypoint falloff constants (nose ... ankles), as in the COCO keypoint evaluation. */
export const cocoSigmas = [
  0.026, 0.025, 0.025, 0.035, 0.035, 0.079, 0.079, 0.072, 0.072, 0.062, 0.062, 0.107, 0.107, 0.087, 0.087, 0.089, 0.089,
] as const;

/**
 * Object keypoint similarity between two poses of (presumably) the same person, COCO style:
 * mean over keypoints confident in both of exp(-d^2 / (2 s^2 k^2)), s^2 = box area.
 * `shiftX/shiftY` move pose `a` first (its predicted motion). Undefined when fewer than
 * `minCommon` keypoints are confident in both, so callers fall back to boxes alone.
 */
export function keypointSimilarity(
  a: readonly Keypoint[],
  b: readonly Keypoint[],
  area: number,
  options: { shiftX?: number; shiftY?: number; minScore?: number; minCommon?: number } = {},
): number | undefined {
  const n = Math.min(a.length, b.length, cocoSigmas.length);
  const minScore = options.minScore ?? 0.3;
  const dx0 = options.shiftX ?? 0;
  const dy0 = options.shiftY ?? 0;
  const s2 = Math.max(1, area);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const p = a[i]!;
    const q = b[i]!;
    if (p.score < minScore || q.score < minScore) continue;
    const k = cocoSigmas[i]! * 2; // COCO uses (2 sigma)^2 as the variance term
    const d2 = (p.x + dx0 - q.x) ** 2 + (p.y + dy0 - q.y) ** 2;
    sum += Math.exp(-d2 / (2 * s2 * k * k));
    count++;
  }
  return count >= (options.minCommon ?? 4) ? sum / count : undefined;
}
