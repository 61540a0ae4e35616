import type { Box } from './detectionTypes.js';
import type { TrackPoint } from './tracking/tracker.js';

/**
 * From the patient's boxes to one source rectangle per output frame. Gaps up to `maxGapFrames`
 * are interpolated; longer absences split the video into segments (frames in between are
 * left out, as the paper drops frames without the patient). Centre and size are smoothed
 * with a centred moving average inside each segment, so the crop does not jitter.
 *
 * Geometry (the paper's): "pad" crops (x1 - bias, y1, w + 2 bias, h) and pads left and right
 * with black to a square; "crop" takes a square of side = box height centred on the box.
 * Rectangles are clamped to the frame.
 */
export type CropMode = 'pad' | 'crop';

export interface CropFrame {
  frame: number;
  /** Source rectangle in pixels (integers, inside the frame). */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Side of the square canvas the rectangle is centred in (pad mode pads to it). */
  side: number;
  interpolated: boolean;
}

export interface Segment {
  startFrame: number;
  endFrame: number;
}

export interface CropPlan {
  mode: CropMode;
  frames: CropFrame[];
  segments: Segment[];
  coverage: { frames: number; detected: number; interpolated: number; missing: number };
}

export interface CropPlanOptions {
  mode: CropMode;
  frameWidth: number;
  frameHeight: number;
  totalFrames: number;
  maxGapFrames?: number;
  smoothingFrames?: number;
  bias?: number;
}

function lerpBox(a: Box, b: Box, t: number): Box {
  return { x1: a.x1 + (b.x1 - a.x1) * t, y1: a.y1 + (b.y1 - a.y1) * t, x2: a.x2 + (b.x2 - a.x2) * t, y2: a.y2 + (b.y2 - a.y2) * t };
}

/** Boxes per frame with short gaps filled, grouped into segments. */
export function fillGaps(points: readonly TrackPoint[], maxGapFrames: number): Array<Array<{ frame: number; box: Box; interpolated: boolean }>> {
  const sorted = [...points].sort((a, b) => a.frame - b.frame);
  const segments: Array<Array<{ frame: number; box: Box; interpolated: boolean }>> = [];
  let current: Array<{ frame: number; box: Box; interpolated: boolean }> = [];
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    const prev = sorted[i - 1];
    if (prev) {
      const gap = p.frame - prev.frame - 1;
      if (gap > maxGapFrames) {
        segments.push(current);
        current = [];
      } else {
        for (let g = 1; g <= gap; g++) current.push({ frame: prev.frame + g, box: lerpBox(prev.box, p.box, g / (gap + 1)), interpolated: true });
      }
    }
    current.push({ frame: p.frame, box: p.box, interpolated: false });
  }
  if (current.length > 0) segments.push(current);
  return segments;
}

/** Centred moving average of each box coordinate inside a segment (window shrinks at the ends). */
export function smoothBoxes(boxes: readonly Box[], window: number): Box[] {
  const half = Math.floor(window / 2);
  return boxes.map((_, i) => {
    const from = Math.max(0, i - half);
    const to = Math.min(boxes.length - 1, i + half);
    const n = to - from + 1;
    const sum = { x1: 0, y1: 0, x2: 0, y2: 0 };
    for (let k = from; k <= to; k++) {
      const b = boxes[k]!;
      sum.x1 += b.x1;
      sum.y1 += b.y1;
      sum.x2 += b.x2;
      sum.y2 += b.y2;
    }
    return { x1: sum.x1 / n, y1: sum.y1 / n, x2: sum.x2 / n, y2: sum.y2 / n };
  });
}

/** The paper's geometry for one box, clamped to the frame. */
export function cropRect(box: Box, mode: CropMode, frameWidth: number, frameHeight: number, bias = 10): Omit<CropFrame, 'frame' | 'interpolated'> {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  if (mode === 'pad') {
    const x1 = clamp(Math.round(box.x1 - bias), 0, frameWidth - 1);
    const x2 = clamp(Math.round(box.x2 + bias), x1 + 1, frameWidth);
    const y1 = clamp(Math.round(box.y1), 0, frameHeight - 1);
    const y2 = clamp(Math.round(box.y2), y1 + 1, frameHeight);
    return { x: x1, y: y1, width: x2 - x1, height: y2 - y1, side: Math.max(x2 - x1, y2 - y1) };
  }
  const side = Math.max(2, Math.min(Math.round(box.y2 - box.y1), frameWidth, frameHeight));
  const cx = (box.x1 + box.x2) / 2;
  const cy = (box.y1 + box.y2) / 2;
  const x = clamp(Math.round(cx - side / 2), 0, frameWidth - side);
  const y = clamp(Math.round(cy - side / 2), 0, frameHeight - side);
  return { x, y, width: side, height: side, side };
}

export function planCrops(points: readonly TrackPoint[], options: CropPlanOptions): CropPlan {
  const segments = fillGaps(points, options.maxGapFrames ?? 15);
  const frames: CropFrame[] = [];
  const outSegments: Segment[] = [];
  for (const segment of segments) {
    const smoothed = smoothBoxes(segment.map((s) => s.box), options.smoothingFrames ?? 9);
    segment.forEach((s, i) => frames.push({ frame: s.frame, interpolated: s.interpolated, ...cropRect(smoothed[i]!, options.mode, options.frameWidth, options.frameHeight, options.bias ?? 10) }));
    outSegments.push({ startFrame: segment[0]!.frame, endFrame: segment.at(-1)!.frame });
  }
  const interpolated = frames.filter((f) => f.interpolated).length;
  return {
    mode: options.mode,
    frames,
    segments: outSegments,
    coverage: { frames: options.totalFrames, detected: frames.length - interpolated, interpolated, missing: options.totalFrames - frames.length },
  };
}
