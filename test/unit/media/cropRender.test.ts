import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gbrpBytes, interleaveGbrp, renderCropGbrp, renderCropYuv420p, sourceWindowFor, yuv420pBytes, type SourceWindow } from '../../../src-main/media/cropRender.js';

/**
 * The crop renderer fills the black around the visible columns in one go. Its output must not
 * change: these SHA-256 digests were computed with the renderer before that change (the
 * per-pixel loop) on the same synthetic frame and geometries.
 */
describe('renderCropYuv420p', () => {
  const w = 320;
  const h = 180;
  const src = new Uint8Array(yuv420pBytes(w, h)).map((_, i) => (i * 31 + (i >> 7) * 17) % 251);
  const cases = [
    { name: 'pad: a band in the middle', g: { canvas: { x: 40, y: 10, width: 150, height: 150 }, visible: { x: 90, y: 10, width: 50, height: 150 } }, sha: 'add17394f74f6e9d443b23bcb3b21ae9bed7150a43e87466d27b40d03b3125fe' },
    { name: "beyond the frame's corner", g: { canvas: { x: -60, y: -20, width: 200, height: 200 }, visible: { x: 0, y: 0, width: 140, height: 180 } }, sha: '2f2a0979d5ffbd670a67862d57269a47a609f008f68eb6b347420d5b7736dd1b' },
    { name: 'crop, sub-pixel', g: { canvas: { x: 100.3, y: 20.7, width: 77.5, height: 77.5 }, visible: { x: 100.3, y: 20.7, width: 77.5, height: 77.5 } }, sha: '1ca725efd5f509b63eebe1af8b1544afd51783f6ad743cc74a35099b1e9006e9' },
    { name: 'narrow, at the right edge', g: { canvas: { x: 250, y: 100, width: 120, height: 120 }, visible: { x: 300, y: 100, width: 20, height: 80 } }, sha: '968ab3f6da28fd33d3aea213d5c04f2b16f18201b0d4cac24cff133a6d65a8f5' },
  ];
  for (const { name, g, sha } of cases) {
    it(`renders exactly as before: ${name}`, () => {
      const out = new Uint8Array(yuv420pBytes(64, 64));
      renderCropYuv420p(src, w, h, g, 64, out);
      expect(createHash('sha256').update(out).digest('hex')).toBe(sha);
    });
  }

  it('pad mode: black (Y 16, U and V 128) left and right of the band, picture inside it', () => {
    const out = new Uint8Array(yuv420pBytes(64, 64));
    renderCropYuv420p(src, w, h, cases[0]!.g, 64, out);
    // the band is x 90..140 of a canvas 40..190 at 64/150 px a pixel: output columns 22..42
    const row = out.subarray(32 * 64, 33 * 64);
    expect([...row.subarray(0, 21)].every((v) => v === 16)).toBe(true);
    expect([...row.subarray(43, 64)].every((v) => v === 16)).toBe(true);
    expect([...row.subarray(22, 42)].some((v) => v !== 16)).toBe(true);
    expect(out[64 * 64 + 16 * 32]).toBe(128); // U, left of the band
  });

  /** The window's part of a yuv420p frame, laid out as ffmpeg's crop filter writes it. */
  function cut(frame: Uint8Array, window: SourceWindow): Uint8Array {
    const out = new Uint8Array(yuv420pBytes(window.width, window.height));
    let at = 0;
    const planes = [
      { offset: 0, stride: w, x: window.x, y: window.y, width: window.width, height: window.height },
      { offset: w * h, stride: w / 2, x: window.x / 2, y: window.y / 2, width: window.width / 2, height: window.height / 2 },
      { offset: w * h + (w / 2) * (h / 2), stride: w / 2, x: window.x / 2, y: window.y / 2, width: window.width / 2, height: window.height / 2 },
    ];
    for (const p of planes) {
      for (let y = 0; y < p.height; y++) {
        const start = p.offset + (p.y + y) * p.stride + p.x;
        out.set(frame.subarray(start, start + p.width), at);
        at += p.width;
      }
    }
    return out;
  }

  it('renders the same from the window the decoder cuts as from the whole frame', () => {
    const shifted = cases.map(({ g }) => g);
    // a few more: sub-pixel edges on odd and even pixels, in the middle of the frame
    for (let i = 0; i < 12; i++) {
      const x = 37.3 + i * 9.71;
      const y = 11.6 + i * 5.37;
      shifted.push({ canvas: { x: x - 20.5, y, width: 90.25, height: 90.25 }, visible: { x, y, width: 41.9 + i, height: 70.1 } });
    }
    for (const g of shifted) {
      const window = sourceWindowFor([g], w, h);
      expect(window.x % 2 + window.y % 2 + window.width % 2 + window.height % 2).toBe(0);
      const whole = new Uint8Array(yuv420pBytes(64, 64));
      renderCropYuv420p(src, w, h, g, 64, whole);
      const fromWindow = new Uint8Array(yuv420pBytes(64, 64));
      renderCropYuv420p(cut(src, window), w, h, g, 64, fromWindow, window);
      expect(Buffer.from(fromWindow).equals(Buffer.from(whole))).toBe(true);
    }
    // the union of all of them is used for a whole plan
    const union = sourceWindowFor(shifted, w, h);
    for (const g of shifted) {
      const whole = new Uint8Array(yuv420pBytes(64, 64));
      renderCropYuv420p(src, w, h, g, 64, whole);
      const fromWindow = new Uint8Array(yuv420pBytes(64, 64));
      renderCropYuv420p(cut(src, union), w, h, g, 64, fromWindow, union);
      expect(Buffer.from(fromWindow).equals(Buffer.from(whole))).toBe(true);
    }
  });

  it('the window leaves out rows and columns no crop reads', () => {
    const g = { canvas: { x: 100, y: 40, width: 80, height: 80 }, visible: { x: 120, y: 40, width: 30, height: 80 } };
    expect(sourceWindowFor([g], w, h)).toEqual({ x: 120, y: 40, width: 30, height: 80 });
    expect(sourceWindowFor([g], w + 1, h)).toEqual({ x: 0, y: 0, width: w + 1, height: h }); // odd width: whole frame
  });
});

describe('renderCropGbrp (the pose models\' crops)', () => {
  const w = 40;
  const h = 30;
  // G, B, R planes: distinct ramps so a plane mix-up shows
  const src = new Uint8Array(gbrpBytes(w, h)).map((_, i) => (i < w * h ? i % 200 : i < 2 * w * h ? 255 - (i % 97) : (i * 3) % 251));

  it("is the yuv420p renderer's luma kernel on each plane, black 0 outside the frame", () => {
    const g = { canvas: { x: -5.5, y: 3.25, width: 24, height: 24 }, visible: { x: 0, y: 3.25, width: 18.5, height: 24 } };
    const out = new Uint8Array(gbrpBytes(16, 16));
    renderCropGbrp(src, w, h, g, 16, out);
    for (let p = 0; p < 3; p++) {
      // the same plane as the Y plane of a yuv420p frame (its chroma planes do not matter here)
      const yuv = new Uint8Array(yuv420pBytes(w, h));
      yuv.set(src.subarray(p * w * h, (p + 1) * w * h));
      const expected = new Uint8Array(yuv420pBytes(16, 16));
      renderCropYuv420p(yuv, w, h, g, 16, expected);
      expect(Array.from(out.subarray(p * 256, (p + 1) * 256))).toEqual(Array.from(expected.subarray(0, 256)).map((v, i) => (i % 16 < 4 ? 0 : v)));
    }
    // the columns left of the frame (x < 0: 5.5 px of 1.5 px each) are black
    expect(out[0]).toBe(0);
    expect(out[16 * 16 + 3]).toBe(0);
  });

  it('an identity crop copies the pixels, and the window gives the same bytes as the whole frame', () => {
    const g = { canvas: { x: 8, y: 6, width: 10, height: 10 }, visible: { x: 8, y: 6, width: 10, height: 10 } };
    const out = new Uint8Array(gbrpBytes(10, 10));
    renderCropGbrp(src, w, h, g, 10, out);
    expect(out[0]).toBe(src[6 * w + 8]);
    expect(out[100 + 9 * 10 + 9]).toBe(src[w * h + 15 * w + 17]);
    const window = sourceWindowFor([g], w, h);
    const cutOut = new Uint8Array(gbrpBytes(window.width, window.height));
    for (let p = 0; p < 3; p++)
      for (let y = 0; y < window.height; y++) cutOut.set(src.subarray(p * w * h + (window.y + y) * w + window.x, p * w * h + (window.y + y) * w + window.x + window.width), p * window.width * window.height + y * window.width);
    const fromWindow = new Uint8Array(gbrpBytes(10, 10));
    renderCropGbrp(cutOut, w, h, g, 10, fromWindow, window);
    expect(Array.from(fromWindow)).toEqual(Array.from(out));
  });

  it('interleaves G, B, R planes into R, G, B pixels', () => {
    const planar = Uint8Array.from([1, 2, 10, 20, 100, 200]); // G: 1, 2; B: 10, 20; R: 100, 200
    const rgb = new Uint8Array(6);
    interleaveGbrp(planar, 2, rgb);
    expect(Array.from(rgb)).toEqual([100, 1, 10, 200, 2, 20]);
  });
});
