import type { TrackOverlay } from '../../contract/entities.js';

/** An axis-aligned ellipse in original video pixels: centre and semi-axes. */
export interface Ellipse {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
}

export interface HeadBlurOptions {
  /** Face keypoints (nose, eyes, ears) below this confidence are not used. */
  minKeypointScore: number;
  /** Added to the head's size, as a share of it (0.5: half as large again). */
  margin: number;
  /** A head seen on both sides of a gap this many frames long or shorter is moved across it in a straight line. */
  bridgeFrames: number;
  /** Past a longer gap, the last head seen (and the next one) is held this many frames into it. */
  holdFrames: number;
  /**
   * A head not seen on a frame may have moved (a jump, a turn): its semi-axes grow by this share
   * of themselves for each frame to the nearest frame it was seen on, up to `maxGapGrowth`.
   */
  gapGrowthPerFrame: number;
  maxGapGrowth: number;
}

/** 30 fps: heads are bridged across gaps up to 1 s and held 0.5 s into longer ones, growing to twice their size 10 frames (1/3 s) from where they were seen. */
export const headBlurDefaults: HeadBlurOptions = { minKeypointScore: 0.3, margin: 0.5, bridgeFrames: 30, holdFrames: 15, gapGrowthPerFrame: 0.1, maxGapGrowth: 1 };

/** COCO-17 indices of the face points (nose, left and right eye, left and right ear). */
const facePoints = [0, 1, 2, 3, 4] as const;
const pointsPerFrame = 17 * 3;
/** A track's stored face points: the five above, x, y, score each. */
const facePointsPerFrame = 5 * 3;
/** A standing adult's head is about 1/7.5 of the body's height; the box is the whole body. */
const headShareOfHeight = 0.135;

/**
 * A person's head on one frame from the face keypoints: centred a little below their mean (the
 * eyes and ears sit above the middle of the face, the chin well below), as large as the widest
 * spread among them allows for (ear to ear, or nose to ear in profile, is under half a head's
 * height), and never smaller than the body's height says a head is. Undefined when no face point
 * is confident.
 */
export function headFromKeypoints(points: ArrayLike<number>, offset: number, bodyHeight: number | undefined, options: HeadBlurOptions = headBlurDefaults): Ellipse | undefined {
  const seen: Array<{ x: number; y: number }> = [];
  for (const k of facePoints) {
    if (points[offset + k * 3 + 2]! >= options.minKeypointScore) seen.push({ x: points[offset + k * 3]!, y: points[offset + k * 3 + 1]! });
  }
  if (seen.length === 0) return undefined;
  let spread = 0;
  for (const a of seen) for (const b of seen) spread = Math.max(spread, Math.hypot(a.x - b.x, a.y - b.y));
  const size = Math.max(spread * 2.2, (bodyHeight ?? 0) * headShareOfHeight, 8);
  const grow = 1 + options.margin;
  return {
    cx: seen.reduce((sum, p) => sum + p.x, 0) / seen.length,
    cy: seen.reduce((sum, p) => sum + p.y, 0) / seen.length + 0.1 * size,
    rx: 0.45 * size * grow,
    ry: 0.55 * size * grow,
  };
}

/**
 * Where the head of a person known only by a box is: the top of the box, wide enough for a
 * head and tall enough to reach it when the arms are raised above it (the box then starts at
 * the hands).
 */
export function headFromBox(x1: number, y1: number, x2: number, y2: number, options: HeadBlurOptions = headBlurDefaults): Ellipse {
  const height = y2 - y1;
  const width = x2 - x1;
  const grow = 1 + options.margin;
  return { cx: (x1 + x2) / 2, cy: y1 + 0.17 * height, rx: Math.min(width / 2, 0.12 * height) * grow, ry: 0.15 * height * grow };
}

const lerp = (a: number, b: number, t: number) => a + (b - a) * t;

/**
 * One head's ellipse on every frame of the timeline from the frames it was seen on: bridged in
 * a straight line across short gaps, held a little into long ones, absent beyond; larger the
 * further a frame is from one it was seen on.
 */
export function fillHeadGaps(seen: ReadonlyMap<number, Ellipse>, frameCount: number, options: HeadBlurOptions = headBlurDefaults): Array<Ellipse | undefined> {
  const frames = [...seen.keys()].sort((a, b) => a - b);
  const out: Array<Ellipse | undefined> = new Array(frameCount).fill(undefined);
  let next = 0; // index in frames of the first seen frame >= f
  for (let f = 0; f < frameCount; f++) {
    while (next < frames.length && frames[next]! < f) next++;
    const after = frames[next];
    if (after === f) {
      out[f] = seen.get(f);
      continue;
    }
    const before = next > 0 ? frames[next - 1] : undefined;
    const a = before === undefined ? undefined : seen.get(before)!;
    const b = after === undefined ? undefined : seen.get(after)!;
    const grown = (e: Ellipse, distance: number): Ellipse => {
      const g = 1 + Math.min(options.maxGapGrowth, options.gapGrowthPerFrame * distance);
      return { cx: e.cx, cy: e.cy, rx: e.rx * g, ry: e.ry * g };
    };
    const fromBefore = before === undefined ? Infinity : f - before;
    const toAfter = after === undefined ? Infinity : after - f;
    if (a && b && after! - before! <= options.bridgeFrames) {
      const t = (f - before!) / (after! - before!);
      out[f] = grown({ cx: lerp(a.cx, b.cx, t), cy: lerp(a.cy, b.cy, t), rx: lerp(a.rx, b.rx, t), ry: lerp(a.ry, b.ry, t) }, Math.min(fromBefore, toAfter));
    } else if (a && fromBefore <= options.holdFrames) out[f] = grown(a, fromBefore);
    else if (b && toAfter <= options.holdFrames) out[f] = grown(b, toAfter);
  }
  return out;
}

/**
 * Every head to blur on every frame of a stage 1 result (index = frame on its 30 fps timeline).
 * Each person's head comes from their face keypoints where the detector gave confident ones
 * (for the patient, the keypoints stage 1 keeps on every frame; for everyone else, those on
 * the frames their track lists), and from their box where those are missing for longer than a
 * gap is bridged. Faces of people the detector never found are not covered (say so wherever
 * the export is offered).
 */
export function headEllipses(overlay: TrackOverlay, options: HeadBlurOptions = headBlurDefaults): Ellipse[][] {
  const frames: Ellipse[][] = Array.from({ length: overlay.frameCount }, () => []);
  for (const track of overlay.tracks) {
    const fromBox = new Map<number, Ellipse>();
    const height = new Map<number, Ellipse>();
    track.frames.forEach((frame, i) => {
      const [x1, y1, x2, y2] = track.boxes.slice(i * 4, i * 4 + 4) as [number, number, number, number];
      fromBox.set(frame, headFromBox(x1, y1, x2, y2, options));
      height.set(frame, { cx: 0, cy: 0, rx: y2 - y1, ry: y2 - y1 });
    });
    const heights = fillHeadGaps(height, overlay.frameCount, options);
    const fromFace = new Map<number, Ellipse>();
    const faceAt = (points: ArrayLike<number>, offset: number, frame: number) => {
      const head = headFromKeypoints(points, offset, heights[frame]?.ry, options);
      if (head) fromFace.set(frame, head);
    };
    if (track.faces) track.frames.forEach((frame, i) => faceAt(track.faces!, i * facePointsPerFrame, frame));
    if (track.id === overlay.patientTrackId) overlay.patientKeypoints.frames.forEach((frame, i) => faceAt(overlay.patientKeypoints.points, i * pointsPerFrame, frame));
    const face = fillHeadGaps(fromFace, overlay.frameCount, options);
    const box = fillHeadGaps(fromBox, overlay.frameCount, options);
    face.forEach((e, f) => {
      const head = e ?? box[f];
      if (head) frames[f]!.push(head);
    });
  }
  return frames;
}
