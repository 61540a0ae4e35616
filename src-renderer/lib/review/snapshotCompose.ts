import { containFit } from './overlayGeometry.js';

/**
 * The review screen's snapshot: the back end's PNG of the frame (heads blurred unless the user
 * untied the box) with the overlays on screen drawn onto it, at the video's own size. The
 * overlays are taken as the screen draws them, so the snapshot shows what the user sees: each
 * canvas layer (boxes, keypoints, skeleton) is cut to the part that holds the picture and
 * scaled to it; each SVG layer (angles, the lines drawn by hand), whose viewBox is the
 * picture's pixels, is drawn over the whole picture with its styles written into it.
 */

/** A rectangle, in pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where a picture of pictureW x pictureH sits in a canvas layer laid out cssW x cssH (object-fit:
 * contain, as the video sits in the stage), in the canvas's own pixels (bufferW x bufferH: the
 * CSS size times the device pixel ratio). Null before the layer is laid out.
 */
export function pictureInLayer(pictureW: number, pictureH: number, cssW: number, cssH: number, bufferW: number, bufferH: number): Rect | null {
  const fit = containFit(pictureW, pictureH, cssW, cssH);
  if (fit.scale === 0 || !(bufferW > 0 && bufferH > 0)) return null;
  const sx = bufferW / cssW;
  const sy = bufferH / cssH;
  return { x: fit.x * sx, y: fit.y * sy, width: pictureW * fit.scale * sx, height: pictureH * fit.scale * sy };
}

/** The styles an overlay's SVG takes from its stylesheet, written into a copy so it draws the same as an image. */
const svgStyles = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin', 'stroke-opacity',
  'opacity', 'font-family', 'font-size', 'font-weight', 'paint-order', 'text-anchor', 'dominant-baseline', 'display', 'visibility',
] as const;

/** An overlay's SVG as a standalone document of width x height pixels, with its computed styles inline. */
export function standaloneSvg(svg: SVGSVGElement, width: number, height: number): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  from.forEach((el, i) => {
    const style = getComputedStyle(el);
    const target = to[i] as SVGElement;
    for (const name of svgStyles) {
      const value = style.getPropertyValue(name);
      if (value) target.style.setProperty(name, value);
    }
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.removeAttribute('class');
  copy.style.removeProperty('position');
  return new XMLSerializer().serializeToString(copy);
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the browser could not read the image'));
    image.src = url;
  });
}

/** The overlay layers of a stage: its canvases and its outermost SVGs (the video itself is the back end's PNG). */
export function overlayLayers(stage: Element): Element[] {
  return [...stage.querySelectorAll('canvas, svg')].filter((el) => !(el instanceof SVGSVGElement && el.parentElement?.closest('svg')));
}

/** The frame's PNG with the layers drawn on it, as a PNG. */
export async function composeSnapshot(png: Blob, layers: readonly Element[]): Promise<Blob> {
  const frameUrl = URL.createObjectURL(png);
  try {
    const frame = await loadImage(frameUrl);
    const width = frame.naturalWidth;
    const height = frame.naturalHeight;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot draw the snapshot');
    ctx.drawImage(frame, 0, 0);
    for (const layer of layers) {
      if (layer instanceof HTMLCanvasElement) {
        const rect = pictureInLayer(width, height, layer.clientWidth, layer.clientHeight, layer.width, layer.height);
        if (rect) ctx.drawImage(layer, rect.x, rect.y, rect.width, rect.height, 0, 0, width, height);
      } else if (layer instanceof SVGSVGElement) {
        const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(standaloneSvg(layer, width, height))}`;
        ctx.drawImage(await loadImage(url), 0, 0, width, height);
      }
    }
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser made no PNG'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(frameUrl);
  }
}

/** Offers a blob for download under its name. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The back end's base64 content as a blob. */
export function blobOf(contentBase64: string, mimeType: string): Blob {
  return new Blob([Uint8Array.from(atob(contentBase64), (c) => c.charCodeAt(0))], { type: mimeType });
}
