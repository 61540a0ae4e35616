import type { TrackOverlay } from '../contract/entities.js';
import { smoothBoxes } from './boxSmoothing.js';
import { fillGaps, type CropGeometry } from './cropPlan.js';
import type { Box } from './detectionTypes.js';

/**
 * The square the measurement step's pose model looks at on each frame: centred on the
 * patient's smoothed box, its side the box's longer side times (1 + 2 x margin), in original
 * pixels (it may reach past the frame; the crop is black there).
 *
 * Made from what stage 1 stores: the patient's boxes on the detection frames (the tracks of
 * its TrackOverlay, the patient's track and the tracklets joined to it) and stage 1's
 * segments. The frames in between are filled as stage 1's crop plan fills them (fillGaps:
 * linear between detections, the box held after the last detection of the timeline) and the
 * boxes smoothed as it smooths them (boxSmoothing.ts, with stage 1's default sigmas), segment
 * by segment, so the square follows the box the person-centred clip was cut from.
 */
export interface PatientSquares {
  /** Timeline frames, in order: every frame of every segment that has a box. */
  frames: number[];
  /** x, y (top-left) and side per listed frame, original pixels. */
  boxes: number[];
}

export interface PatientSquareOptions {
  /** Room on each side as a fraction of the box's longer side (default 0.1). */
  margin?: number;
  /** Gaussian sigma in frames for the box's centre, top and height (default 4, as stage 1). */
  smoothingSigma?: number;
  /** Sigma for the box's width (default 2, as stage 1). */
  widthSmoothingSigma?: number;
}

/** The patient's detected boxes from the overlay's tracks, by frame (the first track listed wins a frame two share). */
function patientBoxes(overlay: TrackOverlay, trackIds: readonly number[]): Array<{ frame: number; box: Box }> {
  const byFrame = new Map<number, Box>();
  for (const id of trackIds) {
    const track = overlay.tracks.find((t) => t.id === id);
    if (!track) continue;
    track.frames.forEach((frame, i) => {
      if (byFrame.has(frame)) return;
      const [x1, y1, x2, y2] = track.boxes.slice(i * 4, i * 4 + 4) as [number, number, number, number];
      byFrame.set(frame, { x1, y1, x2, y2 });
    });
  }
  return [...byFrame.entries()].sort((a, b) => a[0] - b[0]).map(([frame, box]) => ({ frame, box }));
}

export function patientSquares(overlay: TrackOverlay, trackIds: readonly number[], segments: ReadonlyArray<{ startFrame: number; endFrame: number }>, options: PatientSquareOptions = {}): PatientSquares {
  const margin = options.margin ?? 0.1;
  const stride = overlay.stride ?? 1;
  const points = patientBoxes(overlay, trackIds);
  const out: PatientSquares = { frames: [], boxes: [] };
  for (const segment of segments) {
    const inside = points.filter((p) => p.frame >= segment.startFrame && p.frame <= segment.endFrame);
    // stage 1 has decided where the segments are: no absence inside one splits it here
    const filled = fillGaps(inside, segment.endFrame - segment.startFrame, { stride, totalFrames: overlay.frameCount })
      .flat()
      .filter((f) => f.frame >= segment.startFrame && f.frame <= segment.endFrame);
    if (filled.length === 0) continue;
    const smoothed = smoothBoxes(
      filled.map((f) => f.box),
      { sigma: options.smoothingSigma ?? 4, widthSigma: options.widthSmoothingSigma ?? 2 },
    );
    filled.forEach((f, i) => {
      const b = smoothed[i]!;
      const side = Math.max(b.x2 - b.x1, b.y2 - b.y1) * (1 + 2 * margin);
      out.frames.push(f.frame);
      out.boxes.push((b.x1 + b.x2) / 2 - side / 2, (b.y1 + b.y2) / 2 - side / 2, side);
    });
  }
  return out;
}

/** What of a square the frame shows (the rest of the crop is black): the renderer's geometry. */
export function squareGeometry(x: number, y: number, side: number, frameWidth: number, frameHeight: number): CropGeometry {
  const x1 = Math.max(0, x);
  const y1 = Math.max(0, y);
  const x2 = Math.min(frameWidth, x + side);
  const y2 = Math.min(frameHeight, y + side);
  return { canvas: { x, y, width: side, height: side }, visible: { x: x1, y: y1, width: Math.max(0, x2 - x1), height: Math.max(0, y2 - y1) } };
}

/**
 * A point of the model's square input (u, v in input pixels, 0..inputSize, continuous
 * coordinates: the renderer samples output pixel o's centre at canvas + (o + 0.5) x side /
 * inputSize) in original pixels.
 */
export function squareToSource(x: number, y: number, side: number, inputSize: number, u: number, v: number): { x: number; y: number } {
  const scale = side / inputSize;
  return { x: x + u * scale, y: y + v * scale };
}
