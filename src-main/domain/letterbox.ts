/**
 * Fitting a frame into the detector's rectangular input without distortion: scale to fit, pad
 * the rest (centred). Maps detector coordinates (0..1 of the input) back to original pixels.
 */
export interface Letterbox {
  sourceWidth: number;
  sourceHeight: number;
  /** The detector's input, in pixels (a square for detectors with a fixed square input). */
  inputWidth: number;
  inputHeight: number;
  /** Scaled content size and its offset inside the input, in input pixels. */
  contentWidth: number;
  contentHeight: number;
  offsetX: number;
  offsetY: number;
}

/** Letterboxes a frame into an `inputWidth` x `inputHeight` input (a square when the height is not given). */
export function letterbox(sourceWidth: number, sourceHeight: number, inputWidth: number, inputHeight = inputWidth): Letterbox {
  const scale = Math.min(inputWidth / sourceWidth, inputHeight / sourceHeight);
  // even sizes, as ffmpeg's scale filter needs for yuv planes
  const contentWidth = Math.max(2, Math.round((sourceWidth * scale) / 2) * 2);
  const contentHeight = Math.max(2, Math.round((sourceHeight * scale) / 2) * 2);
  return {
    sourceWidth,
    sourceHeight,
    inputWidth,
    inputHeight,
    contentWidth,
    contentHeight,
    offsetX: Math.floor((inputWidth - contentWidth) / 2),
    offsetY: Math.floor((inputHeight - contentHeight) / 2),
  };
}

/**
 * The smallest input of a detector that takes any size in steps of `multiple` pixels, at the
 * scale of its square `longSide` input: the video's long side maps to `longSide`, the short
 * side, scaled alike, is rounded up to a multiple of `multiple` (so less padding is computed
 * for nothing). Landscape 1920x1080 at 256 -> 256x160; portrait gets the transposed rectangle.
 */
export function aspectInput(sourceWidth: number, sourceHeight: number, longSide: number, multiple = 32): { width: number; height: number } {
  if (!(sourceWidth > 0 && sourceHeight > 0)) throw new Error(`a video needs a positive size, not ${sourceWidth}x${sourceHeight}`);
  if (!(longSide > 0) || longSide % multiple !== 0) throw new Error(`the detector's side (${longSide}) must be a positive multiple of ${multiple}`);
  const short = Math.min(sourceWidth, sourceHeight) * (longSide / Math.max(sourceWidth, sourceHeight));
  // a hair above a multiple after floating-point scaling is still that multiple
  const shortSide = Math.min(longSide, Math.max(multiple, Math.ceil(short / multiple - 1e-9) * multiple));
  return sourceWidth >= sourceHeight ? { width: longSide, height: shortSide } : { width: shortSide, height: longSide };
}

/** A point given as fractions (0..1) of the detector input, in original pixels. */
export function toSource(box: Letterbox, x: number, y: number): { x: number; y: number } {
  return {
    x: ((x * box.inputWidth - box.offsetX) / box.contentWidth) * box.sourceWidth,
    y: ((y * box.inputHeight - box.offsetY) / box.contentHeight) * box.sourceHeight,
  };
}

/** The ffmpeg filter chain that produces letterboxed frames of this geometry (black padding). */
export function letterboxFilter(box: Letterbox): string {
  return `scale=${box.contentWidth}:${box.contentHeight}:flags=bilinear,pad=${box.inputWidth}:${box.inputHeight}:${box.offsetX}:${box.offsetY}:black`;
}
