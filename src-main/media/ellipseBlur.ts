import type { Ellipse } from '../domain/deidentify/headEllipses.js';

/**
 * The pixel side of the de-identified export: the inside of each ellipse of a yuv420p frame is
 * replaced by a strong blur of itself, plane by plane (U and V at half size). The blur is a box
 * filter run twice (a triangle kernel) with a radius of 0.8 of the ellipse's shorter semi-axis,
 * from a summed-area table, so its cost is the ellipse's area whatever the radius: no eye, nose
 * or mouth survives it, only the head's average colours. A ring as wide as a tenth of the
 * ellipse blends it into the picture. Pure: bytes in, bytes changed in place.
 */

/** The blur radius as a share of the ellipse's shorter semi-axis. */
const radiusShare = 0.8;
/** The blended ring outside the ellipse, as a share of its size. */
const featherShare = 0.1;

interface Plane {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A rectangle of a plane with its own pixels: (x, y) is its top-left corner in the plane. */
interface Region {
  data: Uint8Array;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * One box-filter pass: the mean of `source` over the (2 radius + 1)-square around each pixel of
 * the rectangle [x0, x1) x [y0, y1), the square clamped to the source's rectangle.
 */
function boxPass(source: Region, x0: number, y0: number, x1: number, y1: number, radius: number): Region {
  const { width: w, height: h, data } = source;
  const stride = w + 1;
  const table = new Float64Array(stride * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[y * w + x]!;
      table[(y + 1) * stride + x + 1] = table[y * stride + x + 1]! + row;
    }
  }
  const out: Region = { data: new Uint8Array((x1 - x0) * (y1 - y0)), x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  for (let y = y0; y < y1; y++) {
    const top = Math.max(0, y - radius - source.y);
    const bottom = Math.min(h, y + radius + 1 - source.y);
    for (let x = x0; x < x1; x++) {
      const left = Math.max(0, x - radius - source.x);
      const right = Math.min(w, x + radius + 1 - source.x);
      const sum = table[bottom * stride + right]! - table[top * stride + right]! - table[bottom * stride + left]! + table[top * stride + left]!;
      out.data[(y - y0) * out.width + (x - x0)] = Math.round(sum / ((bottom - top) * (right - left)));
    }
  }
  return out;
}

/** Blurs one ellipse (in this plane's pixels) of one plane in place. */
function blurEllipseInPlane(plane: Plane, e: Ellipse): void {
  const feather = featherShare * Math.max(e.rx, e.ry);
  const outer = { rx: e.rx + feather, ry: e.ry + feather };
  const x0 = Math.max(0, Math.floor(e.cx - outer.rx));
  const y0 = Math.max(0, Math.floor(e.cy - outer.ry));
  const x1 = Math.min(plane.width, Math.ceil(e.cx + outer.rx) + 1);
  const y1 = Math.min(plane.height, Math.ceil(e.cy + outer.ry) + 1);
  if (x1 <= x0 || y1 <= y0) return;
  const radius = Math.max(1, Math.round(radiusShare * Math.min(e.rx, e.ry)));
  // the first pass covers what the second reads: the rectangle grown by the radius
  const gx0 = Math.max(0, x0 - radius);
  const gy0 = Math.max(0, y0 - radius);
  const gx1 = Math.min(plane.width, x1 + radius);
  const gy1 = Math.min(plane.height, y1 + radius);
  const window: Region = { data: new Uint8Array(0), x: 0, y: 0, width: 0, height: 0 };
  // the source of the first pass: the grown rectangle grown once more, cut from the plane
  window.x = Math.max(0, gx0 - radius);
  window.y = Math.max(0, gy0 - radius);
  window.width = Math.min(plane.width, gx1 + radius) - window.x;
  window.height = Math.min(plane.height, gy1 + radius) - window.y;
  window.data = new Uint8Array(window.width * window.height);
  for (let y = 0; y < window.height; y++) window.data.set(plane.data.subarray((window.y + y) * plane.width + window.x, (window.y + y) * plane.width + window.x + window.width), y * window.width);
  const twice = boxPass(boxPass(window, gx0, gy0, gx1, gy1, radius), x0, y0, x1, y1, radius);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const dx = x - e.cx;
      const dy = y - e.cy;
      const inner = (dx / e.rx) ** 2 + (dy / e.ry) ** 2;
      const i = y * plane.width + x;
      const blurred = twice.data[(y - y0) * twice.width + (x - x0)]!;
      if (inner <= 1) {
        plane.data[i] = blurred;
        continue;
      }
      const ring = (dx / outer.rx) ** 2 + (dy / outer.ry) ** 2;
      if (ring >= 1) continue;
      // 1 at the ellipse, 0 at the ring's outer edge, along the ray from the centre
      const weight = (1 - Math.sqrt(ring)) / (1 - Math.sqrt(ring / inner));
      plane.data[i] = Math.round(plane.data[i]! + (blurred - plane.data[i]!) * Math.min(1, Math.max(0, weight)));
    }
  }
}

/** yuv420p frame bytes: a full-size Y plane, then U and V at half size (rounded up). */
export function blurEllipsesYuv420p(frame: Uint8Array, width: number, height: number, ellipses: readonly Ellipse[]): void {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  const luma: Plane = { data: frame.subarray(0, width * height), width, height };
  const u: Plane = { data: frame.subarray(width * height, width * height + cw * ch), width: cw, height: ch };
  const v: Plane = { data: frame.subarray(width * height + cw * ch, width * height + 2 * cw * ch), width: cw, height: ch };
  for (const e of ellipses) {
    blurEllipseInPlane(luma, e);
    const half = { cx: e.cx / 2, cy: e.cy / 2, rx: e.rx / 2, ry: e.ry / 2 };
    blurEllipseInPlane(u, half);
    blurEllipseInPlane(v, half);
  }
}
