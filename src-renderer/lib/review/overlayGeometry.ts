/**
 * What the overlay canvas draws on the original video: every track's box, the patient's COCO
 * keypoints and skeleton, looked up by timeline frame, and where they land on screen once the
 * video is letterboxed (object-fit: contain). Coordinates in the overlay are original pixels.
 */
import type { TrackOverlay } from '../../../src-main/contract/entities.js';
import { ascendingSamples, sampleAt, trackBoxAt, type FrameSamples, type TrackBoxes } from '../../../src-main/domain/trackInterpolation.js';

/** Keypoints scoring below this are not drawn (MoveNet's own "visible" threshold). */
export const minKeypointScore = 0.3;

/** COCO's 17 keypoints, in MoveNet's order. */
export const cocoKeypoints = [
  'nose', 'left eye', 'right eye', 'left ear', 'right ear', 'left shoulder', 'right shoulder', 'left elbow', 'right elbow',
  'left wrist', 'right wrist', 'left hip', 'right hip', 'left knee', 'right knee', 'left ankle', 'right ankle',
] as const;

/** Bones between keypoint indices. */
export const cocoSkeleton: readonly (readonly [number, number])[] = [
  [0, 1], [0, 2], [1, 3], [2, 4], [5, 6], [5, 7], [7, 9], [6, 8], [8, 10], [5, 11], [6, 12], [11, 12], [11, 13], [13, 15], [12, 14], [14, 16],
];

export interface Fit {
  scale: number;
  /** Offset of the picture inside the element, in CSS pixels. */
  x: number;
  y: number;
}

/** Where a contentW x contentH picture sits inside a boxW x boxH element with object-fit: contain. */
export function containFit(contentW: number, contentH: number, boxW: number, boxH: number): Fit {
  if (!(contentW > 0 && contentH > 0 && boxW > 0 && boxH > 0)) return { scale: 0, x: 0, y: 0 };
  const scale = Math.min(boxW / contentW, boxH / contentH);
  return { scale, x: (boxW - contentW * scale) / 2, y: (boxH - contentH * scale) / 2 };
}

export interface BoxAt {
  id: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  patient: boolean;
}

export interface KeypointAt {
  x: number;
  y: number;
  score: number;
}

export interface TrackSummary {
  id: number;
  /** Frames with a box. */
  frames: number;
  firstFrame: number;
  lastFrame: number;
  patient: boolean;
}

/**
 * Frame lookups over a TrackOverlay, built once per analysis. Boxes and keypoints are stored on
 * detection frames only; between two neighbouring detections they are interpolated (see
 * src-main/domain/trackInterpolation.ts), so every frame drawn has them.
 */
export class OverlayIndex {
  private readonly byTrack: readonly TrackBoxes[];
  private readonly keypoints: FrameSamples;
  readonly tracks: readonly TrackSummary[];

  constructor(
    private readonly overlay: TrackOverlay,
    readonly patientTrackId: number | null = overlay.patientTrackId,
  ) {
    this.byTrack = overlay.tracks.map((t) => {
      if (t.boxes.length !== t.frames.length * 4) throw new Error(`Track ${t.id} has ${t.boxes.length} box numbers for ${t.frames.length} frames; 4 per frame were expected.`);
      const { frames, values } = ascendingSamples({ frames: t.frames, values: t.boxes }, 4);
      return { id: t.id, frames, boxes: values };
    });
    const kp = overlay.patientKeypoints;
    if (kp.points.length !== kp.frames.length * 51) throw new Error(`The patient's keypoints hold ${kp.points.length} numbers for ${kp.frames.length} frames; 51 per frame were expected.`);
    this.keypoints = ascendingSamples({ frames: kp.frames, values: kp.points }, 51);
    this.tracks = overlay.tracks
      .filter((t) => t.frames.length > 0)
      .map((t) => ({ id: t.id, frames: t.frames.length, firstFrame: Math.min(...t.frames), lastFrame: Math.max(...t.frames), patient: t.id === patientTrackId }))
      .sort((a, b) => b.frames - a.frames || a.id - b.id);
  }

  get width(): number {
    return this.overlay.width;
  }

  get height(): number {
    return this.overlay.height;
  }

  /** Boxes of every track on this timeline frame (detected or interpolated), the patient last (drawn on top). */
  boxesAt(frame: number): BoxAt[] {
    const out: BoxAt[] = [];
    for (const t of this.byTrack) {
      const at = trackBoxAt(t, frame);
      if (at) out.push({ id: t.id, ...at.box, patient: t.id === this.patientTrackId });
    }
    return out.sort((a, b) => Number(a.patient) - Number(b.patient) || a.id - b.id);
  }

  /** The patient's 17 keypoints on this frame (found or interpolated), or null when there are none. */
  keypointsAt(frame: number): KeypointAt[] | null {
    const s = sampleAt(this.keypoints, 51, frame);
    if (!s) return null;
    const p = s.values;
    return Array.from({ length: 17 }, (_, k) => ({ x: p[k * 3]!, y: p[k * 3 + 1]!, score: p[k * 3 + 2]! }));
  }
}

/** Bones to draw: both ends scored at least `minKeypointScore`. */
export function visibleBones(points: readonly KeypointAt[], minScore = minKeypointScore): (readonly [number, number])[] {
  return cocoSkeleton.filter(([a, b]) => (points[a]?.score ?? 0) >= minScore && (points[b]?.score ?? 0) >= minScore);
}

const palette = ['#4fc3f7', '#aed581', '#ba68c8', '#ff8a65', '#90a4ae', '#f06292', '#4db6ac', '#dce775'];

/** A steady colour per track id; the patient is always the same strong yellow. */
export function trackColour(id: number, patient: boolean): string {
  return patient ? '#ffd600' : palette[((id % palette.length) + palette.length) % palette.length]!;
}

/**
 * The track under a click on the letterboxed video (x, y in CSS pixels of the element), or
 * null. Where boxes overlap, the smallest wins (the person in front is usually the one meant).
 */
export function trackAtPoint(boxes: readonly BoxAt[], fit: Fit, x: number, y: number): number | null {
  if (fit.scale <= 0) return null;
  const px = (x - fit.x) / fit.scale;
  const py = (y - fit.y) / fit.scale;
  let best: BoxAt | null = null;
  for (const b of boxes) {
    if (px < b.x1 || px > b.x2 || py < b.y1 || py > b.y2) continue;
    if (!best || (b.x2 - b.x1) * (b.y2 - b.y1) < (best.x2 - best.x1) * (best.y2 - best.y1)) best = b;
  }
  return best ? best.id : null;
}
