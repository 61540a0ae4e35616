import { describe, expect, it } from 'vitest';
import { smoothBoxes, smoothSeries } from '../../../src-main/domain/boxSmoothing.js';
import { cropGeometry, fillGaps, planCrops } from '../../../src-main/domain/cropPlan.js';
import { box, noise } from '../../helpers/syntheticDetections.js';

describe("the reference code's crop geometry (exact mode, worked examples)", () => {
  // box (100, 50)-(160, 250): w = 60, h = 200, gap = trunc((200 - 60) / 2) = 70
  it('pad: crop (x1 - 10, y1, w + 20, h) = (90, 50, 80, 200), padded by gap - bias = 60 each side to 200 x 200', () => {
    expect(cropGeometry(box(100, 50, 160, 250), 'pad', 1920, 1080, { exact: true })).toEqual({
      canvas: { x: 30, y: 50, width: 200, height: 200 },
      visible: { x: 90, y: 50, width: 80, height: 200 },
    });
  });
  it('crop: a square of side h = 200 from x1 - gap = 30, y1 = 50', () => {
    expect(cropGeometry(box(100, 50, 160, 250), 'crop', 1920, 1080, { exact: true })).toEqual({
      canvas: { x: 30, y: 50, width: 200, height: 200 },
      visible: { x: 30, y: 50, width: 200, height: 200 },
    });
  });
  it('truncates coordinates like torch .int() and narrows the pad canvas by 1 px when h - w is odd', () => {
    // (100.7, 50.2)-(161.9, 250.9) -> (100, 50)-(161, 250): w = 61, h = 200, gap = trunc(69.5) = 69
    expect(cropGeometry(box(100.7, 50.2, 161.9, 250.9), 'pad', 1920, 1080, { exact: true })).toEqual({
      canvas: { x: 31, y: 50, width: 199, height: 200 },
      visible: { x: 90, y: 50, width: 81, height: 200 },
    });
  });
  it('a box wider than the band allows (w + 2 bias > h): the reference pads by a negative amount, i.e. crops to w + 2 gap', () => {
    // w = 190, h = 200: gap = 5 < bias; canvas (95, 0, 200, 200) lies inside the band (90, 0, 210, 200)
    expect(cropGeometry(box(100, 0, 290, 200), 'pad', 1920, 1080, { exact: true })).toEqual({
      canvas: { x: 95, y: 0, width: 200, height: 200 },
      visible: { x: 95, y: 0, width: 200, height: 200 },
    });
  });
  it('outside the frame is black (torchvision pads a crop that leaves the image with zeros)', () => {
    expect(cropGeometry(box(5, 100, 45, 300), 'crop', 640, 360, { exact: true })).toEqual({
      canvas: { x: -75, y: 100, width: 200, height: 200 },
      visible: { x: 0, y: 100, width: 125, height: 200 },
    });
  });
});

describe('crop geometry (default: sub-pixel, square, limited to the frame)', () => {
  it('equals the reference for an interior box with h - w even', () => {
    expect(cropGeometry(box(100, 50, 160, 250), 'pad', 1920, 1080)).toEqual(cropGeometry(box(100, 50, 160, 250), 'pad', 1920, 1080, { exact: true }));
    expect(cropGeometry(box(100, 50, 160, 250), 'crop', 1920, 1080)).toEqual(cropGeometry(box(100, 50, 160, 250), 'crop', 1920, 1080, { exact: true }));
  });
  it('keeps fractions: a square centred on the box', () => {
    expect(cropGeometry(box(100.5, 50.25, 160.5, 250.25), 'crop', 1920, 1080).canvas).toEqual({ x: 30.5, y: 50.25, width: 200, height: 200 });
  });
  it('crop mode slides the square back inside the frame; pad mode keeps the person centred with black beyond the edge', () => {
    expect(cropGeometry(box(600, 100, 640, 300), 'crop', 640, 360)).toEqual({ canvas: { x: 440, y: 100, width: 200, height: 200 }, visible: { x: 440, y: 100, width: 200, height: 200 } });
    expect(cropGeometry(box(-20, -5, 40, 300), 'pad', 640, 360)).toEqual({ canvas: { x: -142.5, y: -5, width: 305, height: 305 }, visible: { x: 0, y: 0, width: 50, height: 300 } });
  });
});

describe('gap filling, segments and smoothing', () => {
  const pts = [0, 1, 2, 5, 6, 40, 41].map((frame) => ({ frame, box: box(frame * 10, 0, frame * 10 + 50, 100), score: 1, keypoints: [] }));

  it('interpolates gaps up to the limit and splits at longer ones', () => {
    const segments = fillGaps(pts, 15);
    expect(segments.map((s) => s.map((p) => p.frame))).toEqual([[0, 1, 2, 3, 4, 5, 6], [40, 41]]);
    expect(segments[0]![3]).toEqual({ frame: 3, box: box(30, 0, 80, 100), interpolated: true, betweenDetections: false });
    expect(segments[0]![4]).toEqual({ frame: 4, box: box(40, 0, 90, 100), interpolated: true, betweenDetections: false });
    // a limit of 2 frames does not fill a 2-frame gap... it does; a limit of 1 does not
    expect(fillGaps(pts, 2)).toHaveLength(2);
    expect(fillGaps(pts, 1).map((s) => s.length)).toEqual([3, 2, 2]);
  });

  it('reports coverage and where each segment lands in the clip', () => {
    const plan = planCrops(pts, { mode: 'pad', frameWidth: 1000, frameHeight: 500, totalFrames: 50 });
    expect(plan.coverage).toEqual({ frames: 50, detected: 7, interpolated: 2, betweenDetections: 0, missing: 41 });
    expect(plan.segments).toEqual([
      { startFrame: 0, endFrame: 6, detected: 5, interpolated: 2, betweenDetections: 0, outputStartFrame: 0 },
      { startFrame: 40, endFrame: 41, detected: 2, interpolated: 0, betweenDetections: 0, outputStartFrame: 7 },
    ]);
    expect(plan.frames.map((f) => f.frame)).toEqual([0, 1, 2, 3, 4, 5, 6, 40, 41]);
    expect(planCrops(pts, { mode: 'pad', frameWidth: 1000, frameHeight: 500, totalFrames: 50, minSegmentFrames: 3 }).segments).toHaveLength(1);
  });

  it('local linear smoothing leaves steady motion untouched, also at the ends', () => {
    const line = Array.from({ length: 20 }, (_, i) => 100 + 7 * i);
    smoothSeries(line, 4).forEach((v, i) => expect(v).toBeCloseTo(line[i]!, 9));
  });

  it('removes frame-to-frame jitter', () => {
    const rnd = noise(11);
    const truth = (i: number) => box(300 + 5 * i, 100, 360 + 5 * i, 400);
    const jittery = Array.from({ length: 60 }, (_, i) => {
      const t = truth(i);
      return box(t.x1 + rnd() * 8, t.y1 + rnd() * 8, t.x2 + rnd() * 8, t.y2 + rnd() * 8);
    });
    const err = (bs: ReturnType<typeof box>[]) => bs.reduce((s, b, i) => s + Math.abs((b.x1 + b.x2) / 2 - (truth(i).x1 + truth(i).x2) / 2) + Math.abs(b.y2 - b.y1 - 300), 0) / bs.length;
    const smooth = smoothBoxes(jittery);
    expect(err(smooth)).toBeLessThan(err(jittery) / 2);
    // frame-to-frame steps of the centre: close to the true 5 px
    for (let i = 1; i < smooth.length; i++) expect(Math.abs((smooth[i]!.x1 + smooth[i]!.x2) / 2 - (smooth[i - 1]!.x1 + smooth[i - 1]!.x2) / 2 - 5)).toBeLessThan(2);
  });

  it('paper mode settings: no smoothing, no gap filling, every dropped frame dropped', () => {
    const plan = planCrops(pts, { mode: 'pad', frameWidth: 1000, frameHeight: 500, totalFrames: 50, maxGapFrames: 0, smoothingSigma: 0, widthSmoothingSigma: 0, exact: true });
    expect(plan.frames.map((f) => f.frame)).toEqual([0, 1, 2, 5, 6, 40, 41]);
    expect(plan.frames[0]!.box).toEqual(box(0, 0, 50, 100));
    expect(plan.coverage).toEqual({ frames: 50, detected: 7, interpolated: 0, betweenDetections: 0, missing: 43 });
  });
});

describe('margin around the box', () => {
  it('grows the box by a fraction of its height on every side before the geometry', () => {
    const pts = [0, 1, 2].map((frame) => ({ frame, box: box(100, 100, 160, 300), score: 1, keypoints: [] }));
    const plan = planCrops(pts, { mode: 'pad', frameWidth: 1920, frameHeight: 1080, totalFrames: 3, margin: 0.05 });
    // 5% of 200 = 10 px: box (90, 90)-(170, 310), canvas side 220 centred on x = 130
    const near = (value: object, expected: object) => Object.entries(expected as Record<string, number>).forEach(([k, v]) => expect((value as Record<string, number>)[k]).toBeCloseTo(v, 9));
    near(plan.frames[1]!.box, box(90, 90, 170, 310));
    near(plan.frames[1]!.canvas, { x: 20, y: 90, width: 220, height: 220 });
    near(plan.frames[1]!.visible, { x: 80, y: 90, width: 100, height: 220 });
  });
});
