import type { CropGeometry } from '../domain/cropPlan.js';

/**
 * The pixel side of the person-centred clip: each planned crop of a yuv420p source frame is
 * resampled into a square yuv420p frame, plane by plane (Y at full size, U and V at half),
 * bilinearly with weights in 256ths and integer sums rounded once, with black (Y 16, U and V
 * 128) where the crop's canvas reaches past the picture (pad mode's bands, a crop beyond the
 * frame's edge). Pure functions on byte arrays: the writer (cropWriter.ts) feeds them frames.
 * The pose models' square crops use the same kernel on the three planes of a gbrp (planar
 * RGB) frame, black 0 (renderCropGbrp; measure/poseRefinement.ts feeds it).
 *
 * Also what the writer needs to decode no more than it uses: the window of the frame any crop
 * reads (sourceWindowFor) and the scale to decode at when every crop is much larger than the
 * output (decodeScaleFor). The renderer computes its taps in whole-frame coordinates and only
 * shifts them into the window, so rendering from a window gives the same bytes.
 */

/** Bytes of one yuv420p frame of w x h (chroma planes rounded up). */
export function yuv420pBytes(w: number, h: number): number {
  return w * h + 2 * Math.ceil(w / 2) * Math.ceil(h / 2);
}

/** Per output column (or row): source index pair and weight, or -1 for black. */
interface Taps {
  i0: Int32Array;
  i1: Int32Array;
  w: Int32Array; // 0..256
}

function taps(n: number, canvasStart: number, canvasLength: number, visibleStart: number, visibleLength: number, planeLength: number): Taps {
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const w = new Int32Array(n);
  const step = canvasLength / n;
  const end = visibleStart + visibleLength;
  // source pixels that may be sampled: those the visible span touches, inside the plane
  const lo = Math.max(0, Math.floor(visibleStart));
  const last = Math.min(planeLength - 1, Math.ceil(end) - 1);
  for (let o = 0; o < n; o++) {
    const centre = canvasStart + (o + 0.5) * step; // source position of the output pixel's centre
    if (centre < visibleStart || centre >= end || last < lo) {
      i0[o] = -1;
      continue;
    }
    const s = Math.min(Math.max(centre - 0.5, lo), last);
    const f = Math.floor(s);
    i0[o] = f;
    i1[o] = Math.min(f + 1, last);
    w[o] = Math.round((s - f) * 256);
  }
  return { i0, i1, w };
}

/**
 * A rectangle of the frame, in whole pixels with even x, y, width and height (so the chroma
 * planes of a yuv420p frame cut to it start and end on whole chroma pixels).
 */
export interface SourceWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Renders one plane. The taps are computed in the coordinates of the whole plane (planeW x
 * planeH), so the result does not depend on the window; `src` holds only the window's part of
 * the plane (origin originX, originY; `stride` bytes a row) and the indices are shifted into it.
 */
function renderPlane(src: Uint8Array, srcOffset: number, stride: number, planeW: number, planeH: number, originX: number, originY: number, g: CropGeometry, scale: number, out: Uint8Array, outOffset: number, n: number, black: number): void {
  const cols = taps(n, g.canvas.x * scale, g.canvas.width * scale, g.visible.x * scale, g.visible.width * scale, planeW);
  const rows = taps(n, g.canvas.y * scale, g.canvas.height * scale, g.visible.y * scale, g.visible.height * scale, planeH);
  // the visible columns are one run (the visible part is a rectangle): black is filled around it
  // in one go, which in pad mode (mostly black beside the person) is most of each row
  let first = 0;
  while (first < n && cols.i0[first]! < 0) first++;
  let end = n;
  while (end > first && cols.i0[end - 1]! < 0) end--;
  // Separable: each output row first blends its two source rows over the source columns the
  // run reads (c0..c1; the taps only grow), then blends pairs of those columns. The integer
  // sums are those of the 2 x 2 formula (no rounding in between), so the output is the same;
  // it saves work because neighbouring output pixels share source columns.
  const { i0, i1, w: wxs } = cols;
  const c0 = first < end ? i0[first]! : 0;
  const c1 = first < end ? i1[end - 1]! : -1;
  const blend = new Int32Array(Math.max(0, c1 - c0 + 1)); // up to 255 * 256
  for (let oy = 0; oy < n; oy++) {
    const o = outOffset + oy * n;
    const ry0 = rows.i0[oy]!;
    if (ry0 < 0 || first === end) {
      out.fill(black, o, o + n);
      continue;
    }
    if (first > 0) out.fill(black, o, o + first);
    if (end < n) out.fill(black, o + end, o + n);
    // row starts moved left by originX: the column taps index them in whole-plane coordinates
    // `| 0` tells V8 the row starts are small integers; the render is measurably slower without
    // it (docs/benchmarks/clip-writer.md)
    const r0 = (srcOffset + (ry0 - originY) * stride - originX) | 0;
    const r1 = (srcOffset + (rows.i1[oy]! - originY) * stride - originX) | 0;
    const wy = rows.w[oy]!;
    const wy0 = 256 - wy;
    for (let x = c0; x <= c1; x++) blend[x - c0] = src[r0 + x]! * wy0 + src[r1 + x]! * wy;
    for (let ox = first; ox < end; ox++) {
      const wx = wxs[ox]!;
      out[o + ox] = (blend[i0[ox]! - c0]! * (256 - wx) + blend[i1[ox]! - c0]! * wx + 32768) >> 16;
    }
  }
}

/**
 * Renders one crop from a yuv420p source frame (w x h) into a size x size yuv420p frame:
 * the canvas fills the square, the visible part is resampled bilinearly, the rest is black.
 * `src` may hold only a window of the frame (see sourceWindowFor); the output is the same.
 */
export function renderCropYuv420p(src: Uint8Array, w: number, h: number, geometry: CropGeometry, size: number, out: Uint8Array, window: SourceWindow = { x: 0, y: 0, width: w, height: h }): void {
  const cw = Math.ceil(w / 2);
  const ch = Math.ceil(h / 2);
  const half = size >> 1;
  const lumaBytes = window.width * window.height;
  const chromaStride = Math.ceil(window.width / 2);
  const chromaBytes = chromaStride * Math.ceil(window.height / 2);
  const cx = window.x >> 1;
  const cy = window.y >> 1;
  renderPlane(src, 0, window.width, w, h, window.x, window.y, geometry, 1, out, 0, size, 16);
  renderPlane(src, lumaBytes, chromaStride, cw, ch, cx, cy, geometry, 0.5, out, size * size, half, 128);
  renderPlane(src, lumaBytes + chromaBytes, chromaStride, cw, ch, cx, cy, geometry, 0.5, out, size * size + half * half, half, 128);
}

/** Bytes of one gbrp frame (planar G, B, R at full size, ffmpeg's order) of w x h. */
export function gbrpBytes(w: number, h: number): number {
  return 3 * w * h;
}

/**
 * Renders one crop from a gbrp source frame (w x h, planar RGB as ffmpeg writes it: G, B, R)
 * into a size x size gbrp frame, with the same bilinear taps as the yuv420p renderer applied
 * to each of the three full-size planes, and black (0) outside the visible part. `src` may hold
 * only a window of the frame (see sourceWindowFor); the output is the same. For the pose
 * models' crops, whose input is RGB (see interleaveGbrp).
 */
export function renderCropGbrp(src: Uint8Array, w: number, h: number, geometry: CropGeometry, size: number, out: Uint8Array, window: SourceWindow = { x: 0, y: 0, width: w, height: h }): void {
  const planeBytes = window.width * window.height;
  for (let p = 0; p < 3; p++) renderPlane(src, p * planeBytes, window.width, w, h, window.x, window.y, geometry, 1, out, p * size * size, size, 0);
}

/** A gbrp frame of `pixels` pixels as interleaved RGB (rgb24, the pose models' input). */
export function interleaveGbrp(planar: Uint8Array, pixels: number, out: Uint8Array): void {
  const b = pixels;
  const r = 2 * pixels;
  for (let i = 0, o = 0; i < pixels; i++, o += 3) {
    out[o] = planar[r + i]!;
    out[o + 1] = planar[i]!;
    out[o + 2] = planar[b + i]!;
  }
}

/** The source pixels [lo, last] the taps of one span may read in a plane of planeLength, or undefined if none. */
function tapRange(visibleStart: number, visibleLength: number, planeLength: number): [number, number] | undefined {
  const lo = Math.max(0, Math.floor(visibleStart));
  const last = Math.min(planeLength - 1, Math.ceil(visibleStart + visibleLength) - 1);
  return last < lo ? undefined : [lo, last];
}

/** The luma span [start, end) covering what the luma and chroma taps of one axis may read, widened to even ends. */
function evenSpan(visibleStart: number, visibleLength: number, length: number): [number, number] | undefined {
  const luma = tapRange(visibleStart, visibleLength, length);
  const chroma = tapRange(visibleStart * 0.5, visibleLength * 0.5, Math.ceil(length / 2));
  if (!luma || !chroma) return undefined;
  const start = Math.min(luma[0], 2 * chroma[0]) & ~1;
  const end = Math.min(length, Math.max(luma[1] + 1, 2 * (chroma[1] + 1)) + 1) & ~1;
  return [start, end];
}

/**
 * The part of a w x h frame that any of the crops may read (the union of what their bilinear
 * taps touch), so that the decoder can cut the rest before the pipe: rows above and below the
 * person and columns they never reach are about half of a 1080p frame in a typical walk.
 * Exact: the renderer computes its taps in whole-frame coordinates and only shifts them.
 * The whole frame when w or h is odd (a window could not keep the chroma grid).
 */
export function sourceWindowFor(crops: readonly CropGeometry[], w: number, h: number): SourceWindow {
  const whole = { x: 0, y: 0, width: w, height: h };
  if (w % 2 !== 0 || h % 2 !== 0) return whole;
  let x0 = w;
  let x1 = 0;
  let y0 = h;
  let y1 = 0;
  for (const g of crops) {
    const xs = evenSpan(g.visible.x, g.visible.width, w);
    const ys = evenSpan(g.visible.y, g.visible.height, h);
    if (!xs || !ys) continue; // nothing of the frame is shown: the renderer reads no pixel
    x0 = Math.min(x0, xs[0]);
    x1 = Math.max(x1, xs[1]);
    y0 = Math.min(y0, ys[0]);
    y1 = Math.max(y1, ys[1]);
  }
  if (x1 <= x0 || y1 <= y0) return { x: 0, y: 0, width: 2, height: 2 }; // every crop is all black
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The decode size: the full frame, or smaller when every crop is much larger than the output. */
export function decodeScaleFor(frames: readonly CropGeometry[], size: number, width: number, height: number): { scale: number; width: number; height: number } {
  const smallest = Math.min(...frames.map((f) => Math.min(f.canvas.width, f.canvas.height)));
  // keep at least 1.25 source pixels per output pixel for the smallest crop
  const scale = Math.min(1, (1.25 * size) / smallest);
  if (scale > 0.8) return { scale: 1, width, height };
  const w = Math.max(2, Math.round((width * scale) / 2) * 2);
  const h = Math.max(2, Math.round((height * scale) / 2) * 2);
  return { scale: w / width, width: w, height: h };
}

/** A crop's geometry in the coordinates of a frame scaled by sx, sy. */
export function scaledGeometry(g: CropGeometry, sx: number, sy: number): CropGeometry {
  const r = (q: { x: number; y: number; width: number; height: number }) => ({ x: q.x * sx, y: q.y * sy, width: q.width * sx, height: q.height * sy });
  return { canvas: r(g.canvas), visible: r(g.visible) };
}
