import { describe, expect, it } from 'vitest';
import type { TrackOverlay } from '../../../src-main/contract/entities.js';
import { patientSquares, squareGeometry, squareToSource } from '../../../src-main/domain/patientSquares.js';

/** An overlay with the given tracks (boxes x1, y1, x2, y2 per frame). */
function overlay(tracks: Array<{ id: number; at: Record<number, [number, number, number, number]> }>, frameCount: number, stride: number): TrackOverlay {
  return {
    fps: 30,
    width: 640,
    height: 360,
    frameCount,
    stride,
    patientTrackId: tracks[0]?.id ?? null,
    tracks: tracks.map((t) => ({ id: t.id, frames: Object.keys(t.at).map(Number), boxes: Object.values(t.at).flat() })),
    patientKeypoints: { frames: [], points: [] },
  };
}

const square = (result: ReturnType<typeof patientSquares>, frame: number) => {
  const i = result.frames.indexOf(frame);
  return i < 0 ? undefined : result.boxes.slice(i * 3, i * 3 + 3);
};

describe('patient squares from what stage 1 stores', () => {
  it('fills the frames between detections linearly and holds the box after the last detection, as the crop plan does (no smoothing)', () => {
    const o = overlay([{ id: 7, at: { 0: [100, 50, 140, 150], 5: [110, 50, 150, 150], 10: [120, 60, 160, 160] } }], 13, 5);
    const result = patientSquares(o, [7], [{ startFrame: 0, endFrame: 12 }], { smoothingSigma: 0, widthSmoothingSigma: 0 });
    expect(result.frames).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(result.boxes).toHaveLength(13 * 3);
    // frame 0: box 40 x 100 centred on (120, 100); side 100 x (1 + 2 x 0.1) = 120
    expect(square(result, 0)).toEqual([60, 40, 120]);
    // frame 2: 2/5 of the way from frame 0's box to frame 5's: (104, 50, 144, 150)
    expect(square(result, 2)![0]).toBeCloseTo(64, 10);
    expect(square(result, 2)!.slice(1)).toEqual([40, 120]);
    // frame 7: (114, 54, 154, 154), centre (134, 104)
    expect(square(result, 7)![0]).toBeCloseTo(74, 10);
    expect(square(result, 7)![1]).toBeCloseTo(44, 10);
    // frames 11 and 12: no detection frame follows 10 on a 13-frame timeline: held
    expect(square(result, 12)).toEqual([80, 50, 120]);
  });

  it("joins the patient's tracklets, ignores other people, and keeps to stage 1's segments", () => {
    const o = overlay(
      [
        { id: 3, at: { 0: [0, 0, 50, 100], 5: [0, 0, 50, 100] } },
        { id: 4, at: { 0: [300, 0, 400, 100], 5: [300, 0, 400, 100], 30: [300, 0, 400, 100] } },
        { id: 8, at: { 30: [20, 0, 70, 100], 35: [20, 0, 70, 100] } },
      ],
      60,
      5,
    );
    const result = patientSquares(o, [3, 8], [{ startFrame: 0, endFrame: 5 }, { startFrame: 30, endFrame: 35 }], { margin: 0 });
    expect(result.frames).toEqual([0, 1, 2, 3, 4, 5, 30, 31, 32, 33, 34, 35]);
    // a standing box stays put through the smoothing; margin 0: the side is the height
    expect(square(result, 3)!.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([-25, 0, 100]);
    expect(square(result, 33)!.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([-5, 0, 100]);
  });

  it('takes the longer side: a wide box gives a square as wide as the box, reaching past the frame', () => {
    const o = overlay([{ id: 1, at: { 0: [600, 300, 700, 340], 1: [600, 300, 700, 340] } }], 2, 1);
    const result = patientSquares(o, [1], [{ startFrame: 0, endFrame: 1 }], { margin: 0.25 });
    // 100 x 40 centred on (650, 320): side 100 x 1.5 = 150
    expect(square(result, 0)).toEqual([575, 245, 150]);
  });

  it("smooths with stage 1's filter: steady motion passes unchanged, jitter is removed", () => {
    const at: Record<number, [number, number, number, number]> = {};
    for (let f = 0; f <= 60; f += 5) at[f] = [200 - 2 * f, 40, 240 - 2 * f, 140];
    const steady = patientSquares(overlay([{ id: 1, at }], 61, 5), [1], [{ startFrame: 0, endFrame: 60 }]);
    const unsmoothed = patientSquares(overlay([{ id: 1, at }], 61, 5), [1], [{ startFrame: 0, endFrame: 60 }], { smoothingSigma: 0, widthSmoothingSigma: 0 });
    steady.boxes.forEach((v, i) => expect(v).toBeCloseTo(unsmoothed.boxes[i]!, 9));
    const jittery = { ...at, 30: [140 + 6, 40, 180 + 6, 140] as [number, number, number, number] };
    const smoothed = patientSquares(overlay([{ id: 1, at: jittery }], 61, 5), [1], [{ startFrame: 0, endFrame: 60 }]);
    const x = (r: typeof smoothed) => square(r, 30)![0]! + square(r, 30)![2]! / 2;
    expect(Math.abs(x(smoothed) - x(unsmoothed))).toBeLessThan(3);
    expect(Math.abs(x(smoothed) - x(unsmoothed))).toBeGreaterThan(0);
  });

  it('gives nothing for a segment without boxes of the patient, or an unknown track', () => {
    const o = overlay([{ id: 1, at: { 0: [0, 0, 10, 10] } }], 10, 1);
    expect(patientSquares(o, [2], [{ startFrame: 0, endFrame: 9 }])).toEqual({ frames: [], boxes: [] });
    expect(patientSquares(o, [1], [{ startFrame: 5, endFrame: 9 }])).toEqual({ frames: [], boxes: [] });
  });
});

describe('a square on the frame and back', () => {
  it('shows the part of the square inside the frame; the rest is black', () => {
    expect(squareGeometry(-20, 10, 100, 640, 360)).toEqual({ canvas: { x: -20, y: 10, width: 100, height: 100 }, visible: { x: 0, y: 10, width: 80, height: 100 } });
    expect(squareGeometry(600, 300, 100, 640, 360)).toEqual({ canvas: { x: 600, y: 300, width: 100, height: 100 }, visible: { x: 600, y: 300, width: 40, height: 60 } });
    expect(squareGeometry(700, 0, 50, 640, 360).visible.width).toBe(0);
  });

  it("maps the model's input pixels to original pixels", () => {
    // a 512 px square at (100, -50) seen at 256 px: 2 original pixels an input pixel
    expect(squareToSource(100, -50, 512, 256, 0, 0)).toEqual({ x: 100, y: -50 });
    expect(squareToSource(100, -50, 512, 256, 256, 256)).toEqual({ x: 612, y: 462 });
    expect(squareToSource(100, -50, 512, 256, 64.5, 10)).toEqual({ x: 229, y: -30 });
  });
});
