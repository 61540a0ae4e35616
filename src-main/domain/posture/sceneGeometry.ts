/**
 * Image pixels to scene axes, and the angles every measure uses.
 *
 * The image has y down. A user-set vertical reference of `deg` degrees (the scene's vertical
 * drawn in the image, clockwise positive from the image vertical) means the camera is rolled:
 * the scene's up direction in the image is u = (sin deg, -cos deg) and its right is
 * r = (cos deg, sin deg). A point's scene coordinates are h = p . r (right) and z = p . u (up);
 * with deg = 0 they are (x, -y). All angles are taken in these axes, so one reference corrects
 * all of them.
 *
 * Forward is the walking direction: f = sign * h with sign +1 walking (or facing) right and -1
 * left, so a forward lean is positive whichever way the patient walks.
 */

export interface ScenePoint {
  /** Scene horizontal, to the image's right when there is no vertical reference. */
  h: number;
  /** Scene up. */
  z: number;
}

export type ForwardSign = 1 | -1;

const rad = Math.PI / 180;
const deg = 180 / Math.PI;

/** Scene coordinates of image point (x, y) under a vertical reference in degrees. */
export function toScene(x: number, y: number, verticalReferenceDeg: number): ScenePoint {
  if (verticalReferenceDeg === 0) return { h: x, z: -y };
  const c = Math.cos(verticalReferenceDeg * rad);
  const s = Math.sin(verticalReferenceDeg * rad);
  return { h: x * c + y * s, z: x * s - y * c };
}

export function midpoint(a: ScenePoint, b: ScenePoint): ScenePoint {
  return { h: (a.h + b.h) / 2, z: (a.z + b.z) / 2 };
}

export function distance(a: ScenePoint, b: ScenePoint): number {
  return Math.hypot(a.h - b.h, a.z - b.z);
}

/** Angle in degrees to (-180, 180]. */
export function wrapDegrees(a: number): number {
  let w = a % 360;
  if (w > 180) w -= 360;
  if (w <= -180) w += 360;
  return w;
}

/** Angle of the vector from `from` to `to` against scene up, forward positive, degrees. */
export function angleFromUp(from: ScenePoint, to: ScenePoint, sign: ForwardSign): number {
  return Math.atan2(sign * (to.h - from.h), to.z - from.z) * deg;
}

/** Angle of the vector from `from` to `to` against scene down, forward positive, degrees (a limb hanging straight down is 0). */
export function angleFromDown(from: ScenePoint, to: ScenePoint, sign: ForwardSign): number {
  return Math.atan2(sign * (to.h - from.h), from.z - to.z) * deg;
}

/** Angle of the vector from `from` to `to` above the forward horizontal, degrees (straight up is 90). */
export function angleAboveForward(from: ScenePoint, to: ScenePoint, sign: ForwardSign): number {
  return Math.atan2(to.z - from.z, sign * (to.h - from.h)) * deg;
}
