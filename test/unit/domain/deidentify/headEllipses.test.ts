import { describe, expect, it } from 'vitest';
import type { TrackOverlay } from '../../../../src-main/contract/entities.js';
import { fillHeadGaps, headBlurDefaults, headEllipses, headFromBox, headFromKeypoints, type Ellipse } from '../../../../src-main/domain/deidentify/headEllipses.js';

const e = (cx: number, cy: number, r = 10): Ellipse => ({ cx, cy, rx: r, ry: r });
/** 17 COCO keypoints with the face points given and the rest unseen. */
const pose = (face: Array<[number, number, number]>) => [...face.flatMap((p) => p), ...new Array((17 - face.length) * 3).fill(0)];

describe('headFromKeypoints', () => {
  it('centres a little below the face points, sized from their spread (margin 0.5)', () => {
    // ears 40 px apart, eyes and nose between: size = 40 x 2.2 = 88
    const points = pose([[100, 100, 0.9], [95, 95, 0.9], [105, 95, 0.9], [80, 98, 0.9], [120, 98, 0.9]]);
    const head = headFromKeypoints(points, 0, undefined)!;
    expect(head.cx).toBeCloseTo(100, 10);
    expect(head.cy).toBeCloseTo(97.2 + 8.8, 10);
    expect(head.rx).toBeCloseTo(0.45 * 88 * 1.5, 10);
    expect(head.ry).toBeCloseTo(0.55 * 88 * 1.5, 10);
  });

  it('is never smaller than the body height says (0.135 of it), and skips points under the score floor', () => {
    const points = pose([[100, 100, 0.9], [0, 0, 0.1], [0, 0, 0.29], [104, 100, 0.5], [0, 0, 0]]);
    const head = headFromKeypoints(points, 0, 400)!;
    expect(head.cx).toBe(102);
    expect(head.rx).toBeCloseTo(0.45 * 54 * 1.5, 10);
    expect(head.cy).toBeCloseTo(100 + 5.4, 10);
  });

  it('gives nothing when no face point is confident, and reads from an offset', () => {
    expect(headFromKeypoints(pose([[1, 1, 0.2]]), 0, 300)).toBeUndefined();
    const two = [...pose([[1, 1, 0]]), ...pose([[50, 60, 0.8]])];
    expect(headFromKeypoints(two, 51, undefined)).toMatchObject({ cx: 50, cy: 60 + 0.8 });
  });
});

describe('headFromBox', () => {
  it('takes the top of the box, tall enough for raised arms', () => {
    expect(headFromBox(100, 50, 200, 450)).toEqual({ cx: 150, cy: 50 + 68, rx: 48 * 1.5, ry: 60 * 1.5 });
    // a narrow box: the width bounds it
    expect(headFromBox(0, 0, 40, 400).rx).toBe(20 * 1.5);
  });
});

describe('fillHeadGaps', () => {
  const options = { ...headBlurDefaults, bridgeFrames: 10, holdFrames: 3, gapGrowthPerFrame: 0.1, maxGapGrowth: 1 };

  it('bridges a short gap in a straight line, growing with the distance to the nearest frame seen', () => {
    const out = fillHeadGaps(new Map([[0, e(0, 0)], [4, e(40, 80)]]), 5, options);
    expect(out[0]).toEqual(e(0, 0));
    expect(out[1]).toEqual({ cx: 10, cy: 20, rx: 11, ry: 11 });
    expect(out[2]).toEqual({ cx: 20, cy: 40, rx: 12, ry: 12 });
    expect(out[3]).toEqual({ cx: 30, cy: 60, rx: 11, ry: 11 });
    expect(out[4]).toEqual(e(40, 80));
  });

  it('holds a head a few frames into a long gap from both sides, then drops it', () => {
    const out = fillHeadGaps(new Map([[2, e(5, 5)], [20, e(50, 50)]]), 24, options);
    expect(out[0]).toEqual({ cx: 5, cy: 5, rx: 12, ry: 12 }); // before the first: the next one held back
    expect(out[5]).toEqual({ cx: 5, cy: 5, rx: 13, ry: 13 });
    expect(out[6]).toBeUndefined();
    expect(out[16]).toBeUndefined();
    expect(out[17]).toEqual({ cx: 50, cy: 50, rx: 13, ry: 13 });
    expect(out[23]).toEqual({ cx: 50, cy: 50, rx: 13, ry: 13 });
  });

  it('caps the growth', () => {
    const out = fillHeadGaps(new Map([[0, e(0, 0)]]), 40, { ...options, holdFrames: 30 });
    expect(out[25]).toEqual({ cx: 0, cy: 0, rx: 20, ry: 20 });
  });
});

describe('headEllipses', () => {
  const overlay = (over: Partial<TrackOverlay>): TrackOverlay => ({ fps: 30, width: 640, height: 480, frameCount: 3, stride: 1, patientTrackId: 1, tracks: [], patientKeypoints: { frames: [], points: [] }, ...over });

  it("uses the patient's keypoints, another person's face points, and a box where there are none", () => {
    const patientFace = pose([[100, 100, 0.9], [0, 0, 0], [0, 0, 0], [120, 100, 0.9], [0, 0, 0]]);
    const heads = headEllipses(
      overlay({
        frameCount: 2,
        tracks: [
          { id: 1, frames: [0], boxes: [80, 80, 140, 480] },
          { id: 2, frames: [0, 1], boxes: [300, 100, 400, 500, 300, 100, 400, 500], faces: [350, 120, 0.8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...new Array(15).fill(0)] },
        ],
        patientKeypoints: { frames: [0], points: patientFace },
      }),
    );
    // the patient: keypoints centre (110, 100), size max(20 x 2.2, 400 x 0.135) = 54
    expect(heads[0]![0]).toEqual({ cx: 110, cy: 100 + 5.4, rx: 0.45 * 54 * 1.5, ry: 0.55 * 54 * 1.5 });
    // person 2 on frame 0: one face point, sized by the body (400 x 0.135)
    expect(heads[0]![1]).toMatchObject({ cx: 350, cy: 120 + 5.4 });
    // frame 1: both faces unseen, so both held one frame (grown 10%) rather than taken from the boxes
    expect(heads[1]![0]!.rx).toBeCloseTo(0.45 * 54 * 1.5 * 1.1, 10);
    expect(heads[1]![1]).toMatchObject({ cx: 350, cy: 120 + 5.4 });
    expect(heads[1]![1]!.ry).toBeCloseTo(0.55 * 54 * 1.5 * 1.1, 10);
  });

  it('takes the box for a person whose face points are never confident', () => {
    const heads = headEllipses(overlay({ frameCount: 1, patientTrackId: null, tracks: [{ id: 7, frames: [0], boxes: [300, 100, 400, 500], faces: new Array(15).fill(0) }] }));
    expect(heads[0]).toEqual([headFromBox(300, 100, 400, 500)]);
  });

  it('has one (possibly empty) list per frame of the timeline', () => {
    expect(headEllipses(overlay({ frameCount: 3 }))).toEqual([[], [], []]);
  });
});
