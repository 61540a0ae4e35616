/**
 * Fitting a frame into the detector's square input without distortion: scale to fit, pad the
 * rest (centred). Maps detector coordinates (0..1 of the square) back to original pixels.
 */
export interface Letterbox {
  sourceWidth: number;
  sourceHeight: number;
  inputSize: number;
  /** Scaled content size and its offset inside the square, in input pixels. */
  contentWidth: number;
  contentHeight: number;
  offsetX: number;
  offsetY: number;
}

export function letterbox(sourceWidth: number, sourceHeight: number, inputSize: number): Letterbox {
  const scale = Math.min(inputSize / sourceWidth, inputSize / sourceHeight);
  // even sizes, as ffmpeg's scale filter needs for yuv planes
  const contentWidth = Math.max(2, Math.round((sourceWidth * scale) / 2) * 2);
  const contentHeight = Math.max(2, Math.round((sourceHeight * scale) / 2) * 2);
  return {
    sourceWidth,
    sourceHeight,
    inputSize,
    contentWidth,
    contentHeight,
    offsetX: Math.floor((inputSize - contentWidth) / 2),
    offsetY: Math.floor((inputSize - contentHeight) / 2),
  };
}

/** A point given as fractions (0..1) of the square input, in original pixels. */
export function toSource(box: Letterbox, x: number, y: number): { x: number; y: number } {
  return {
    x: ((x * box.inputSize - box.offsetX) / box.contentWidth) * box.sourceWidth,
    y: ((y * box.inputSize - box.offsetY) / box.contentHeight) * box.sourceHeight,
  };
}

/** The ffmpeg filter chain that produces letterboxed frames of this geometry (black padding). */
export function letterboxFilter(box: Letterbox): string {
  return `scale=${box.contentWidth}:${box.contentHeight}:flags=bilinear,pad=${box.inputSize}:${box.inputSize}:${box.offsetX}:${box.offsetY}:black`;
}
