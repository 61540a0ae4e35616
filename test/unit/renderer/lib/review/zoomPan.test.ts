import { describe, expect, it } from 'vitest';
import { clampPan, cssTransform, identity, isZoomed, panBy, wheelFactor, zoomAbout, zoomCentre } from '../../../../../src-renderer/lib/review/zoomPan.js';

// an 800 x 450 stage
const size = { width: 800, height: 450 };

describe('zoom and pan of the paused frame', () => {
  it('zooms about the cursor: the picture’s point under it stays under it', () => {
    const twice = zoomAbout(identity, 2, { x: 200, y: 100 }, size);
    expect(twice).toEqual({ scale: 2, x: -200, y: -100 });
    const four = zoomAbout(twice, 2, { x: 200, y: 100 }, size);
    expect(four).toEqual({ scale: 4, x: -600, y: -300 });
    // the point (200, 100) of the picture still shows at (200, 100)
    expect(four.x + four.scale * 200).toBe(200);
    expect(four.y + four.scale * 100).toBe(100);
    expect(zoomAbout(identity, 1.25, { x: 790, y: 10 }, size)).toEqual({ scale: 1.25, x: -197.5, y: -2.5 });
  });

  it('zooms about the corners without leaving the frame, and + / - about the centre', () => {
    expect(zoomAbout(identity, 2, { x: 0, y: 0 }, size)).toEqual({ scale: 2, x: 0, y: 0 });
    expect(zoomAbout(identity, 2, { x: 800, y: 450 }, size)).toEqual({ scale: 2, x: -800, y: -450 });
    expect(zoomCentre(identity, 1.25, size)).toEqual({ scale: 1.25, x: -100, y: -56.25 });
  });

  it('keeps the zoom between 1 and 8: zoomed out to 1 the frame is back where it was', () => {
    expect(zoomAbout({ scale: 2, x: -200, y: -100 }, 0.25, { x: 700, y: 400 }, size)).toEqual(identity);
    expect(zoomAbout(identity, 0.8, { x: 100, y: 100 }, size)).toEqual(identity);
    expect(zoomAbout({ scale: 8, x: 0, y: 0 }, 1.25, { x: 0, y: 0 }, size)).toEqual({ scale: 8, x: 0, y: 0 });
    expect(zoomAbout({ scale: 7, x: 0, y: 0 }, 1.25, { x: 0, y: 0 }, size).scale).toBe(8);
    expect(zoomAbout(identity, Number.NaN, { x: 0, y: 0 }, size)).toBe(identity);
  });

  it('pans a drag, clamped so the frame always covers the stage', () => {
    const twice = { scale: 2, x: -200, y: -100 };
    expect(panBy(twice, 50, -30, size)).toEqual({ scale: 2, x: -150, y: -130 });
    expect(panBy(twice, 500, -1000, size)).toEqual({ scale: 2, x: 0, y: -450 });
    expect(panBy(twice, -5000, 5000, size)).toEqual({ scale: 2, x: -800, y: 0 });
    expect(panBy(identity, 50, 50, size)).toEqual(identity);
    expect(clampPan({ scale: 3, x: 10, y: -2000 }, size)).toEqual({ scale: 3, x: 0, y: -900 });
  });

  it('turns a wheel notch into one step and the view into one CSS transform', () => {
    expect(wheelFactor(-100)).toBe(1.25);
    expect(wheelFactor(3)).toBe(0.8);
    expect(wheelFactor(0)).toBe(1);
    expect(cssTransform({ scale: 2, x: -200, y: -100 })).toBe('translate(-200px, -100px) scale(2)');
    expect(isZoomed(identity)).toBe(false);
    expect(isZoomed({ scale: 1.25, x: 0, y: 0 })).toBe(true);
  });
});
