/**
 * Zoom and pan of the paused frame: the arithmetic of one CSS transform
 * `translate(x px, y px) scale(scale)` with its origin at the top-left corner of the stage,
 * applied to a wrapper of the video and its overlays (so the overlays stay registered). A point
 * p of the stage (CSS pixels, unzoomed) shows at `x + scale * p`. Pure: no DOM.
 *
 * The view never leaves the frame: at zoom `scale` the wrapper is `scale` times the stage, so the
 * translation is kept in [w (1 - scale), 0] horizontally (and the same vertically), and the
 * zoom in [1, maxZoom]: zoomed out to 1 the frame sits where it was.
 */

export interface ZoomPan {
  scale: number;
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export const identity: ZoomPan = { scale: 1, x: 0, y: 0 };
export const minZoom = 1;
export const maxZoom = 8;
/** One wheel notch or one + / - key press. */
export const zoomStep = 1.25;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** The same zoom with the translation moved back so the frame covers the whole stage. */
export function clampPan(view: ZoomPan, size: Size): ZoomPan {
  const scale = clamp(view.scale, minZoom, maxZoom);
  // `+ 0` turns -0 into 0, so an unzoomed view is exactly the identity
  return {
    scale,
    x: clamp(view.x, size.width * (1 - scale), 0) + 0,
    y: clamp(view.y, size.height * (1 - scale), 0) + 0,
  };
}

/**
 * Zoom by `factor` about a point of the stage (the cursor, in CSS pixels from its top-left
 * corner): the picture's point under it stays under it, unless the clamping at the edges moves it.
 */
export function zoomAbout(view: ZoomPan, factor: number, at: { x: number; y: number }, size: Size): ZoomPan {
  if (!(factor > 0) || !Number.isFinite(factor)) return view;
  const scale = clamp(view.scale * factor, minZoom, maxZoom);
  // the picture's point under the cursor, in unzoomed stage pixels
  const px = (at.x - view.x) / view.scale;
  const py = (at.y - view.y) / view.scale;
  return clampPan({ scale, x: at.x - scale * px, y: at.y - scale * py }, size);
}

/** Zoom by `factor` about the stage's centre (the + and - keys). */
export function zoomCentre(view: ZoomPan, factor: number, size: Size): ZoomPan {
  return zoomAbout(view, factor, { x: size.width / 2, y: size.height / 2 }, size);
}

/** Move the zoomed picture by a drag of (dx, dy) CSS pixels. */
export function panBy(view: ZoomPan, dx: number, dy: number, size: Size): ZoomPan {
  return clampPan({ scale: view.scale, x: view.x + dx, y: view.y + dy }, size);
}

/** The zoom factor of a wheel event: one step in per notch towards the screen (deltaY < 0), one step out per notch away. */
export function wheelFactor(deltaY: number): number {
  if (deltaY === 0 || !Number.isFinite(deltaY)) return 1;
  return deltaY < 0 ? zoomStep : 1 / zoomStep;
}

export function isZoomed(view: ZoomPan): boolean {
  return view.scale > minZoom;
}

/** The CSS transform of the wrapper. */
export function cssTransform(view: ZoomPan): string {
  return `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
}
