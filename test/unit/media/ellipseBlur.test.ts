import { describe, expect, it } from 'vitest';
import { blurEllipsesYuv420p } from '../../../src-main/media/ellipseBlur.js';

/** A 64x48 yuv420p frame: a checkerboard of 2-px squares in Y (0/255), U 100, V 200. */
function checkerboard(width = 64, height = 48): Uint8Array {
  const frame = new Uint8Array(width * height * 1.5);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) frame[y * width + x] = (Math.floor(x / 2) + Math.floor(y / 2)) % 2 === 0 ? 0 : 255;
  frame.fill(100, width * height, width * height * 1.25);
  frame.fill(200, width * height * 1.25);
  return frame;
}

describe('blurEllipsesYuv420p', () => {
  it('flattens the inside of the ellipse to its mean and leaves the picture outside the ring untouched', () => {
    const frame = checkerboard();
    const before = Uint8Array.from(frame);
    blurEllipsesYuv420p(frame, 64, 48, [{ cx: 32, cy: 24, rx: 12, ry: 10 }]);
    const inside: number[] = [];
    for (let y = 18; y <= 30; y++) for (let x = 26; x <= 38; x++) if (((x - 32) / 12) ** 2 + ((y - 24) / 10) ** 2 <= 0.5) inside.push(frame[y * 64 + x]!);
    // a checkerboard of 0 and 255 averages to 127.5: nothing of the pattern is left
    expect(Math.min(...inside)).toBeGreaterThanOrEqual(120);
    expect(Math.max(...inside)).toBeLessThanOrEqual(135);
    // outside the ellipse and its ring (1.2 of the larger semi-axis), every byte as it was
    for (let y = 0; y < 48; y++) {
      for (let x = 0; x < 64; x++) {
        if (((x - 32) / 13.2) ** 2 + ((y - 24) / 11.2) ** 2 >= 1.05) expect(frame[y * 64 + x], `${x},${y}`).toBe(before[y * 64 + x]);
      }
    }
    // flat chroma stays flat
    expect(new Set(frame.subarray(64 * 48, 64 * 48 * 1.25))).toEqual(new Set([100]));
    expect(new Set(frame.subarray(64 * 48 * 1.25))).toEqual(new Set([200]));
  });

  it('clips an ellipse that reaches past the frame, and does nothing for one wholly outside', () => {
    const frame = checkerboard();
    const before = Uint8Array.from(frame);
    blurEllipsesYuv420p(frame, 64, 48, [{ cx: 200, cy: 200, rx: 10, ry: 10 }]);
    expect(frame).toEqual(before);
    blurEllipsesYuv420p(frame, 64, 48, [{ cx: 0, cy: 0, rx: 10, ry: 10 }]);
    expect(frame[2 * 64 + 2]).toBeGreaterThan(90);
    expect(frame[2 * 64 + 2]).toBeLessThan(165);
    expect(frame[40 * 64 + 60]).toBe(before[40 * 64 + 60]);
  });

  it('handles odd frame sizes (chroma rounded up)', () => {
    const frame = new Uint8Array(33 * 21 + 2 * 17 * 11).fill(50);
    blurEllipsesYuv420p(frame, 33, 21, [{ cx: 16, cy: 10, rx: 8, ry: 8 }]);
    expect(new Set(frame)).toEqual(new Set([50]));
  });
});
