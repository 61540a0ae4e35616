/**
 * Stage 2 transforms on decoded frames, as the reference pipeline applies them:
 * Div255, Normalize(mean, std) per channel, then Resize to size x size over the whole frame
 * (torch bilinear interpolation, align_corners=False, no antialiasing). Output NCTHW float32
 * for one clip: [3, T, size, size].
 */
export interface ClipTensorSpec {
  width: number;
  height: number;
  size: number;
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** Source coordinate and weights of one output pixel axis (torch's area_pixel_compute_source_index, align_corners=False). */
function axisTaps(inSize: number, outSize: number): { i0: Int32Array; i1: Int32Array; w1: Float64Array } {
  const scale = inSize / outSize;
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const w1 = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const src = Math.max(0, scale * (o + 0.5) - 0.5);
    const lo = Math.min(Math.floor(src), inSize - 1);
    i0[o] = lo;
    i1[o] = Math.min(lo + 1, inSize - 1);
    w1[o] = src - lo;
  }
  return { i0, i1, w1 };
}

/**
 * Writes one clip into `out` (length 3 * T * size * size) from T frames of packed RGB bytes.
 * Normalising before or after the (linear) resize gives the same values up to rounding.
 */
export function clipToTensor(frames: readonly Uint8Array[], spec: ClipTensorSpec, out = new Float32Array(3 * frames.length * spec.size * spec.size)): Float32Array {
  const { width, height, size } = spec;
  const xs = axisTaps(width, size);
  const ys = axisTaps(height, size);
  const T = frames.length;
  const plane = size * size;
  for (let t = 0; t < T; t++) {
    const frame = frames[t]!;
    if (frame.length !== width * height * 3) throw new RangeError(`frame ${t} has ${frame.length} bytes, expected ${width * height * 3}`);
    for (let c = 0; c < 3; c++) {
      const scale = 1 / (255 * spec.std[c]!);
      const shift = spec.mean[c]! / spec.std[c]!;
      const base = (c * T + t) * plane;
      for (let oy = 0; oy < size; oy++) {
        const r0 = ys.i0[oy]! * width;
        const r1 = ys.i1[oy]! * width;
        const wy = ys.w1[oy]!;
        for (let ox = 0; ox < size; ox++) {
          const x0 = xs.i0[ox]!;
          const x1 = xs.i1[ox]!;
          const wx = xs.w1[ox]!;
          const top = frame[(r0 + x0) * 3 + c]! * (1 - wx) + frame[(r0 + x1) * 3 + c]! * wx;
          const bottom = frame[(r1 + x0) * 3 + c]! * (1 - wx) + frame[(r1 + x1) * 3 + c]! * wx;
          out[base + oy * size + ox] = (top * (1 - wy) + bottom * wy) * scale - shift;
        }
      }
    }
  }
  return out;
}
