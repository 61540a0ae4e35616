import { describe, expect, it } from 'vitest';
import { assembleClip, bilinearTaps, clipTensor, normalisationTable } from '../../../src-main/classify/preprocess.js';

describe('reference transforms in float32', () => {
  it('Div255 then Normalize(0.45, 0.225) per byte, rounded as torch rounds', () => {
    const table = normalisationTable([0.45, 0.45, 0.45], [0.225, 0.225, 0.225]);
    const f = Math.fround;
    expect(table[0]).toBe(f(f(0 - f(0.45)) / f(0.225)));
    expect(table[0]).toBeCloseTo(-2, 6);
    expect(table[255]).toBeCloseTo((1 - 0.45) / 0.225, 6);
    expect(table[256 + 128]).toBe(f(f(f(128 / 255) - f(0.45)) / f(0.225)));
  });

  it('bilinear taps: identity at equal sizes, half-pixel centres when halving', () => {
    const same = bilinearTaps(4, 4);
    expect([...same.i0]).toEqual([0, 1, 2, 3]);
    expect([...same.w1]).toEqual([0, 0, 0, 0]);
    const half = bilinearTaps(4, 2); // src = 2 * (o + 0.5) - 0.5 = 0.5, 2.5
    expect([...half.i0]).toEqual([0, 2]);
    expect([...half.i1]).toEqual([1, 3]);
    expect([...half.w0]).toEqual([0.5, 0.5]);
    const up = bilinearTaps(2, 4); // src = 0.5 * (o + 0.5) - 0.5 = -0.25 -> 0, 0.25, 0.75, 1.25 -> clamped to the last pixel
    expect([...up.i0]).toEqual([0, 0, 0, 1]);
    expect([...up.i1]).toEqual([1, 1, 1, 1]);
    expect([...up.w1]).toEqual([0, 0.25, 0.75, 0.25]);
  });

  it('lays a clip out as C, T, H, W', () => {
    // two 1x1 frames: red 255 then blue 255; size 1
    const clip = clipTensor([Uint8Array.of(255, 0, 0), Uint8Array.of(0, 0, 255)], 1, 1, { size: 1, mean: [0, 0, 0], std: [1, 1, 1] });
    expect([...clip]).toEqual([1, 0, 0, 0, 0, 1]);
    expect(() => assembleClip([new Float32Array(3)], 1, new Float32Array(2))).toThrow(RangeError);
  });
});
