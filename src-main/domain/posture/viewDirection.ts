import type { ViewKind } from '../../contract/measurements.js';
import { hipMidpoint, median, pairMidpoint, shoulderMidpoint, trunkLength, type BodyFrame } from './body.js';
import type { ForwardSign } from './sceneGeometry.js';

/**
 * The view and the walking direction of a segment, from body geometry over its frames (scene
 * axes, so a vertical reference counts):
 *
 * - **Width ratio**, per frame: the horizontal distance between the two shoulders, and
 *   between the two hips, each over the trunk length (shoulder midpoint to hip midpoint),
 *   averaged over the pairs seen whole on that frame; a frame that shows the trunk but
 *   neither pair whole (the far shoulder and the far hip below the gate) counts 0, as only a
 *   side view hides them behind the body; the segment's ratio is the median over its frames.
 *   Seen from the front, COCO's shoulder points are about 0.8 trunk lengths apart and the hips
 *   0.5, a mean near 0.64, shrinking as the sine of the angle from the side view. Sagittal
 *   (a side view, within about 18 degrees): ratio <= 0.2; frontal (front or back, within
 *   about 40 degrees of it): >= 0.5; oblique between. Unknown when fewer than half the
 *   segment's frames show the trunk (a shoulder and a hip).
 * - **Walking direction**: the least-squares slope of the hip midpoint's horizontal position
 *   over the segment's frames, in trunk lengths per second; walking right or left when its
 *   size is at least 0.3 (a slow patient covers about 1 trunk length a second). Null otherwise.
 * - **Facing**: the median horizontal offset of the nose from the ears' midpoint (from the
 *   shoulders' midpoint when no ear is seen), in trunk lengths; facing right or left when it
 *   is at least 0.05. In a front or back view: front when the nose is seen on at least half
 *   the frames that show the trunk, back otherwise.
 *
 * Forward, for the signs of the measures, is the walking direction, or the facing when the
 * patient does not walk across the image (standing, or a camera that pans with them).
 */

export const sagittalMaxRatio = 0.2;
export const frontalMinRatio = 0.5;
export const minWalkingSpeed = 0.3;
export const minFacingOffset = 0.05;

export type Side = 'left' | 'right';

export interface SegmentView {
  view: ViewKind;
  direction: Side | null;
  facing: Side | null;
  /** The sign that makes forward positive, or null when neither direction nor facing is known. */
  forward: ForwardSign | null;
  /** For a frontal view: seen from the front (nose seen) or the back. */
  frontOrBack: 'front' | 'back' | null;
  widthRatio: number | null;
  /** Hip midpoint's horizontal speed, trunk lengths per second, positive to the right. */
  speed: number | null;
}

function widthRatio(b: BodyFrame): number | null {
  const t = trunkLength(b);
  if (!t) return null;
  const ratios: number[] = [];
  if (b.leftShoulder && b.rightShoulder) ratios.push(Math.abs(b.leftShoulder.h - b.rightShoulder.h) / t);
  if (b.leftHip && b.rightHip) ratios.push(Math.abs(b.leftHip.h - b.rightHip.h) / t);
  if (ratios.length) return ratios.reduce((s, r) => s + r, 0) / ratios.length;
  // no pair whole, but the trunk seen: the far shoulder and hip are hidden behind the body
  return 0;
}

/** Least-squares slope of y on x; null with fewer than two distinct x. */
export function slope(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  return sxx > 0 ? sxy / sxx : null;
}

/**
 * The view of the frames of one segment. `frames` are the segment's timeline frames that the
 * track lists, with their bodies; `segmentFrames` is the segment's length.
 */
export function segmentView(frames: readonly number[], bodies: readonly BodyFrame[], segmentFrames: number, fps: number): SegmentView {
  const ratios: number[] = [];
  const trunks: number[] = [];
  const hx: number[] = [];
  const ht: number[] = [];
  const facings: number[] = [];
  let trunkFrames = 0;
  let noseFrames = 0;
  bodies.forEach((b, i) => {
    const r = widthRatio(b);
    if (r !== null) ratios.push(r);
    const t = trunkLength(b);
    if (t === null) return;
    trunkFrames++;
    trunks.push(t);
    if (b.nose) noseFrames++;
    const hip = hipMidpoint(b)!;
    hx.push(frames[i]! / fps);
    ht.push(hip.h);
    const head = pairMidpoint(b, 'leftEar', 'rightEar') ?? shoulderMidpoint(b)!;
    if (b.nose) facings.push((b.nose.h - head.h) / t);
  });
  const trunk = median(trunks);
  const enough = (count: number) => count >= segmentFrames / 2;
  const ratio = enough(ratios.length) ? median(ratios) : null;
  const view: ViewKind = ratio === null ? 'unknown' : ratio <= sagittalMaxRatio ? 'sagittal' : ratio >= frontalMinRatio ? 'frontal' : 'oblique';
  const rawSlope = trunk && enough(hx.length) ? slope(hx, ht) : null;
  const speed = rawSlope === null || !trunk ? null : rawSlope / trunk;
  const direction: Side | null = speed === null || Math.abs(speed) < minWalkingSpeed ? null : speed > 0 ? 'right' : 'left';
  const facingOffset = enough(facings.length) ? median(facings) : null;
  const facing: Side | null = facingOffset === null || Math.abs(facingOffset) < minFacingOffset ? null : facingOffset > 0 ? 'right' : 'left';
  const side = direction ?? facing;
  return {
    view,
    direction,
    facing,
    forward: side === null ? null : side === 'right' ? 1 : -1,
    frontOrBack: view === 'frontal' ? (trunkFrames > 0 && noseFrames >= trunkFrames / 2 ? 'front' : 'back') : null,
    widthRatio: ratio,
    speed,
  };
}
