import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderCropYuv420p, yuv420pBytes } from '../../../src-main/media/cropWriter.js';

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
});
