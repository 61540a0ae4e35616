import type { AnnotationShape } from '../contract/measurements.js';

interface Point {
  x: number;
  y: number;
}

const degrees = (radians: number) => (radians * 180) / Math.PI;

/** The angle at `vertex` between the rays to `a` and `b`, in degrees (0..180); undefined when a ray has no length. */
export function angleAt(a: Point, vertex: Point, b: Point): number | undefined {
  const ux = a.x - vertex.x;
  const uy = a.y - vertex.y;
  const vx = b.x - vertex.x;
  const vy = b.y - vertex.y;
  if ((ux === 0 && uy === 0) || (vx === 0 && vy === 0)) return undefined;
  return degrees(Math.abs(Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)));
}

/**
 * The angle of a line from the image vertical, in degrees, clockwise positive (its upper end
 * to the right of its lower end), -90..90: what a user-drawn vertical reference says about the
 * camera. Image coordinates: x right, y down. Undefined for a line of no length.
 */
export function tiltFromImageVertical(a: Point, b: Point): number | undefined {
  if (a.x === b.x && a.y === b.y) return undefined;
  const [top, bottom] = a.y <= b.y ? [a, b] : [b, a];
  return degrees(Math.atan2(top.x - bottom.x, bottom.y - top.y));
}

/** What an annotation measures: the angle for an angle, the length in pixels for a line, the tilt for a vertical reference; undefined when it measures nothing (points on top of each other). */
export function annotationValue(shape: AnnotationShape): number | undefined {
  switch (shape.kind) {
    case 'angle':
      return angleAt(shape.a, shape.vertex, shape.b);
    case 'line':
      return shape.a.x === shape.b.x && shape.a.y === shape.b.y ? undefined : Math.hypot(shape.b.x - shape.a.x, shape.b.y - shape.a.y);
    case 'vertical':
      return tiltFromImageVertical(shape.a, shape.b);
  }
}
