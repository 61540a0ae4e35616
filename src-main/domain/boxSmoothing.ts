import type { Box } from './detectionTypes.js';

/**
 * Zero-phase smoothing of a box track: each coordinate series is replaced by a local linear
 * fit with Gaussian weights (a Gaussian-kernel local regression, i.e. a Savitzky-Golay-like
 * filter). Frame-to-frame detector jitter is removed, steady motion passes with no lag and no
 * shrinkage, also at the ends of a segment where a plain moving average would pull the box
 * back towards the middle.
 */
export function smoothSeries(values: readonly number[], sigma: number): number[] {
  const n = values.length;
  if (sigma <= 0 || n < 3) return [...values];
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const weights = Array.from({ length: radius + 1 }, (_, d) => Math.exp(-(d * d) / (2 * sigma * sigma)));
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const from = Math.max(0, i - radius);
    const to = Math.min(n - 1, i + radius);
    // weighted least squares of values[j] = a + b (j - i); the estimate at i is a
    let sw = 0;
    let st = 0;
    let stt = 0;
    let sv = 0;
    let stv = 0;
    for (let j = from; j <= to; j++) {
      const w = weights[Math.abs(j - i)]!;
      const t = j - i;
      const v = values[j]!;
      sw += w;
      st += w * t;
      stt += w * t * t;
      sv += w * v;
      stv += w * t * v;
    }
    const det = sw * stt - st * st;
    out[i] = det > 1e-9 * sw * sw ? (stt * sv - st * stv) / det : sv / sw;
  }
  return out;
}

export interface BoxSmoothingOptions {
  /** Gaussian sigma in frames for the centre, the top and the height (default 4, about 0.13 s at 30 fps). */
  sigma?: number;
  /** Sigma for the width, which swings with the arms and legs within a stride (default 2). */
  widthSigma?: number;
}

/** Smooths centre x, top, height and width of consecutive boxes (one per frame, no gaps). */
export function smoothBoxes(boxes: readonly Box[], options: BoxSmoothingOptions = {}): Box[] {
  const sigma = options.sigma ?? 4;
  const widthSigma = options.widthSigma ?? 2;
  const cx = smoothSeries(boxes.map((b) => (b.x1 + b.x2) / 2), sigma);
  const top = smoothSeries(boxes.map((b) => b.y1), sigma);
  const height = smoothSeries(boxes.map((b) => b.y2 - b.y1), sigma);
  const width = smoothSeries(boxes.map((b) => b.x2 - b.x1), widthSigma);
  return boxes.map((_, i) => {
    const w = Math.max(1, width[i]!);
    const h = Math.max(1, height[i]!);
    return { x1: cx[i]! - w / 2, y1: top[i]!, x2: cx[i]! + w / 2, y2: top[i]! + h };
  });
}
