import type { Box, FrameDetections, Keypoint, PersonDetection } from '../../src-main/domain/detectionTypes.js';

/** Deterministic pseudo-random numbers in [-1, 1] (a linear congruential generator). */
export function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

export const box = (x1: number, y1: number, x2: number, y2: number): Box => ({ x1, y1, x2, y2 });

/** A standing pose (17 COCO keypoints) drawn inside a box, optionally with the legs apart. */
export function pose(b: Box, stride = 0): Keypoint[] {
  const w = b.x2 - b.x1;
  const h = b.y2 - b.y1;
  const at = (fx: number, fy: number): Keypoint => ({ x: b.x1 + fx * w, y: b.y1 + fy * h, score: 0.9 });
  return [
    at(0.5, 0.06), at(0.55, 0.04), at(0.45, 0.04), at(0.6, 0.05), at(0.4, 0.05),
    at(0.75, 0.2), at(0.25, 0.2), at(0.8, 0.38), at(0.2, 0.38), at(0.8, 0.52), at(0.2, 0.52),
    at(0.65, 0.52), at(0.35, 0.52), at(0.6 + stride, 0.75), at(0.4 - stride, 0.75), at(0.6 + stride, 0.97), at(0.4 - stride, 0.97),
  ];
}

export const person = (b: Box, score = 0.9, keypoints: Keypoint[] = []): PersonDetection => ({ box: b, score, keypoints });

export function frames(count: number, people: (frame: number) => PersonDetection[]): FrameDetections[] {
  return Array.from({ length: count }, (_, frame) => ({ frame, time: frame / 30, people: people(frame) }));
}
