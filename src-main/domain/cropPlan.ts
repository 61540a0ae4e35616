import { smoothBoxes } from './boxSmoothing.js';
import type { Box } from './detectionTypes.js';
import type { TrackPoint } from './tracking/tracker.js';
import { isDetectionFrame } from './detectionStride.js';

/**
 * From the patient's boxes to one source rectangle per output frame.
 *
 * Geometry (the reference code, batch_detection.py). With w, h the box's width and height and
 * gap = trunc((h - w) / 2), both modes map a "canvas" of height h whose left edge is
 * x1 - gap and top edge y1 (for w < h: a square of side h centred on the box) onto the
 * img_size x img_size output:
 * - "crop" (`clip_with_bbox`, the paper's split): the canvas is h x h and all of it is shown;
 * - "pad" (`clip_pad_with_bbox`, split_pad): the canvas is (w + 2 gap) x h and only the box
 *   widened by `bias` (10 px) on each side is shown, the rest is black (the reference crops
 *   (x1 - bias, y1, w + 2 bias, h) and pads left and right with black).
 * Parts of the canvas outside the frame are black, as torchvision's crop pads them.
 *
 * `exact: true` reproduces the reference to the pixel (boxes truncated to integers, canvas
 * width w + 2 gap, which is h - 1 when h - w is odd and is then stretched to the square).
 * The default works in sub-pixel floats with a square canvas centred on the box (no 1 px
 * steps in a smoothed track), and in crop mode slides the square back inside the frame when
 * it fits (the patient near an edge is shown with picture, not with black).
 *
 * Time: with a detection stride k > 1 the detector saw frames 0, k, 2k, ... only; the frames
 * between two detections are interpolated linearly (counted apart, as `betweenDetections`),
 * and after the last detection of the timeline the box is held to the end (at most k - 1
 * frames). Gaps up to `maxGapFrames` are interpolated linearly; longer absences split the video
 * into segments (frames in between are left out, as the reference drops frames without the
 * patient). Centre, top and size are smoothed inside each segment (see boxSmoothing.ts).
 */
export type CropMode = 'pad' | 'crop';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CropGeometry {
  /** The part of the source (pixels, may reach outside the frame) that fills the output square. */
  canvas: Rect;
  /** The part of the canvas copied from the frame (inside the frame; the rest is black). */
  visible: Rect;
}

export interface CropFrame extends CropGeometry {
  /** Index on the 30 fps timeline of the source. */
  frame: number;
  /** The patient was not detected here; the box is interpolated. */
  interpolated: boolean;
  /** The detector did not look at this frame (detection stride > 1); the box is interpolated between detections (or held after the last). */
  betweenDetections: boolean;
  /** The (smoothed) box the geometry comes from. */
  box: Box;
}

export interface PlanSegment {
  startFrame: number;
  /** Inclusive. */
  endFrame: number;
  detected: number;
  /** Frames the detector looked at and missed the patient, filled (short gaps). */
  interpolated: number;
  /** Frames the detector did not look at (stride > 1), filled between detections. */
  betweenDetections: number;
  /** Where the segment starts in the written clip (segments follow each other). */
  outputStartFrame: number;
}

export interface Coverage {
  /** Frames on the source's 30 fps timeline. */
  frames: number;
  /** Frames written in which the patient was detected. */
  detected: number;
  /** Frames written with an interpolated box where the detector looked and missed the patient (short gaps). */
  interpolated: number;
  /**
   * Frames written that the detector did not look at (detection stride > 1): the box is
   * interpolated between the detections on either side (or held after the last one).
   * detected + interpolated + betweenDetections = frames written.
   */
  betweenDetections: number;
  /** Frames left out: the patient absent for longer than the allowed gap. */
  missing: number;
}

export interface CropPlan {
  mode: CropMode;
  frames: CropFrame[];
  segments: PlanSegment[];
  coverage: Coverage;
}

export interface GeometryOptions {
  bias?: number;
  exact?: boolean;
}

export interface CropPlanOptions extends GeometryOptions {
  mode: CropMode;
  frameWidth: number;
  frameHeight: number;
  /** Length of the source's 30 fps timeline. */
  totalFrames: number;
  /**
   * Longest absence filled by interpolation (default 15 frames = 0.5 s at 30 fps). At stride k
   * the detector sees an absence only to within k frames, so gaps up to maxGapFrames + k - 1
   * between detected frames are filled (the usual k - 1 between two detections always).
   */
  maxGapFrames?: number;
  /** The detector saw every stride-th frame (default 1). */
  stride?: number;
  /** Gaussian sigma of the smoothing in frames (default 4; 0 = none). */
  smoothingSigma?: number;
  /** Sigma for the box width (default 2; 0 = none). */
  widthSmoothingSigma?: number;
  /** Segments shorter than this are left out (default 1: keep all). */
  minSegmentFrames?: number;
  /**
   * Grow every (smoothed) box by this fraction of its height on all four sides before the
   * geometry (default 0: the reference's boxes as they are). Detectors whose boxes hug the
   * body (MoveNet's) otherwise touch the top of the head and the feet.
   */
  margin?: number;
}

function intersect(a: Rect, b: Rect): Rect {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width);
  const y2 = Math.min(a.y + a.height, b.y + b.height);
  return { x: x1, y: y1, width: Math.max(0, x2 - x1), height: Math.max(0, y2 - y1) };
}

/** The reference's crop geometry for one box (see the file comment), limited to the frame. */
export function cropGeometry(box: Box, mode: CropMode, frameWidth: number, frameHeight: number, options: GeometryOptions = {}): CropGeometry {
  const bias = options.bias ?? 10;
  const frame: Rect = { x: 0, y: 0, width: frameWidth, height: frameHeight };
  let canvas: Rect;
  let band: Rect;
  if (options.exact) {
    const x1 = Math.trunc(box.x1);
    const y1 = Math.trunc(box.y1);
    const w = Math.trunc(box.x2) - x1;
    const h = Math.trunc(box.y2) - y1;
    const gap = Math.trunc((h - w) / 2);
    canvas = { x: x1 - gap, y: y1, width: mode === 'pad' ? w + 2 * gap : h, height: h };
    band = { x: x1 - bias, y: y1, width: w + 2 * bias, height: h };
  } else {
    const h = Math.max(1, box.y2 - box.y1);
    const cx = (box.x1 + box.x2) / 2;
    canvas = { x: cx - h / 2, y: box.y1, width: h, height: h };
    band = { x: box.x1 - bias, y: box.y1, width: box.x2 - box.x1 + 2 * bias, height: h };
    if (mode === 'crop') {
      if (h <= frameWidth) canvas.x = Math.min(Math.max(canvas.x, 0), frameWidth - h);
      if (h <= frameHeight) canvas.y = Math.min(Math.max(canvas.y, 0), frameHeight - h);
    }
  }
  const visible = intersect(mode === 'pad' ? intersect(canvas, band) : canvas, frame);
  return { canvas, visible };
}

function lerpBox(a: Box, b: Box, t: number): Box {
  return { x1: a.x1 + (b.x1 - a.x1) * t, y1: a.y1 + (b.y1 - a.y1) * t, x2: a.x2 + (b.x2 - a.x2) * t, y2: a.y2 + (b.y2 - a.y2) * t };
}

export interface FilledBox {
  frame: number;
  box: Box;
  /** Not detected here: interpolated (or held). */
  interpolated: boolean;
  /** Not a detection frame at this stride. */
  betweenDetections: boolean;
}

export interface FillOptions {
  /** The detector saw frames 0, k, 2k, ... (default 1). */
  stride?: number;
  /**
   * Length of the timeline: with stride > 1, a segment ending on the last detection frame is
   * held (same box) to the end of the timeline, the at most k - 1 frames no detection follows.
   */
  totalFrames?: number;
}

/**
 * Boxes per frame with gaps up to `maxGapFrames` filled linearly, grouped into segments.
 * At stride k the limit grows by k - 1 (the detector sees an absence only to within k
 * frames), so the usual k - 1 frames between two detections are always filled.
 */
export function fillGaps(points: readonly { frame: number; box: Box }[], maxGapFrames: number, options: FillOptions = {}): FilledBox[][] {
  const stride = options.stride ?? 1;
  const maxGap = maxGapFrames + stride - 1;
  const byFrame = new Map<number, Box>();
  for (const p of points) if (!byFrame.has(p.frame)) byFrame.set(p.frame, p.box);
  const sorted = [...byFrame.entries()].sort((a, b) => a[0] - b[0]);
  const segments: FilledBox[][] = [];
  let current: FilledBox[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const [frame, box] = sorted[i]!;
    const prev = sorted[i - 1];
    if (prev) {
      const gap = frame - prev[0] - 1;
      if (gap > maxGap) {
        segments.push(current);
        current = [];
      } else {
        for (let g = 1; g <= gap; g++) {
          const f = prev[0] + g;
          current.push({ frame: f, box: lerpBox(prev[1], box, g / (gap + 1)), interpolated: true, betweenDetections: !isDetectionFrame(f, stride) });
        }
      }
    }
    current.push({ frame, box, interpolated: false, betweenDetections: false });
  }
  const last = sorted.at(-1);
  if (last && stride > 1 && options.totalFrames !== undefined && last[0] + stride > options.totalFrames - 1) {
    // no detection frame follows the last one: hold its box to the end of the timeline
    for (let f = last[0] + 1; f < options.totalFrames; f++) current.push({ frame: f, box: last[1], interpolated: true, betweenDetections: true });
  }
  if (current.length > 0) segments.push(current);
  return segments;
}

export function planCrops(points: readonly TrackPoint[], options: CropPlanOptions): CropPlan {
  const segments = fillGaps(points, options.maxGapFrames ?? 15, { stride: options.stride ?? 1, totalFrames: options.totalFrames }).filter((s) => s.length >= (options.minSegmentFrames ?? 1));
  const frames: CropFrame[] = [];
  const planSegments: PlanSegment[] = [];
  for (const segment of segments) {
    const smoothed = smoothBoxes(
      segment.map((s) => s.box),
      { sigma: options.smoothingSigma ?? 4, widthSigma: options.widthSmoothingSigma ?? 2 },
    );
    const outputStartFrame = frames.length;
    let interpolated = 0;
    let between = 0;
    const margin = options.margin ?? 0;
    segment.forEach((s, i) => {
      const b = smoothed[i]!;
      const grow = margin * (b.y2 - b.y1);
      const box = grow > 0 ? { x1: b.x1 - grow, y1: b.y1 - grow, x2: b.x2 + grow, y2: b.y2 + grow } : b;
      if (s.betweenDetections) between++;
      else if (s.interpolated) interpolated++;
      frames.push({ frame: s.frame, interpolated: s.interpolated, betweenDetections: s.betweenDetections, box, ...cropGeometry(box, options.mode, options.frameWidth, options.frameHeight, options) });
    });
    planSegments.push({ startFrame: segment[0]!.frame, endFrame: segment.at(-1)!.frame, detected: segment.length - interpolated - between, interpolated, betweenDetections: between, outputStartFrame });
  }
  const interpolated = planSegments.reduce((n, s) => n + s.interpolated, 0);
  const betweenDetections = planSegments.reduce((n, s) => n + s.betweenDetections, 0);
  const detected = frames.length - interpolated - betweenDetections;
  return {
    mode: options.mode,
    frames,
    segments: planSegments,
    coverage: { frames: options.totalFrames, detected, interpolated, betweenDetections, missing: Math.max(0, options.totalFrames - frames.length) },
  };
}
