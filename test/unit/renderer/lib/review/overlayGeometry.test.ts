import { describe, expect, it } from 'vitest';
import type { TrackOverlay } from '../../../../../src-main/contract/entities.js';
import { OverlayIndex, cocoSkeleton, containFit, trackAtPoint, trackColour, visibleBones } from '../../../../../src-renderer/lib/review/overlayGeometry.js';

function pose(score: number, x0: number): number[] {
  return Array.from({ length: 17 }, (_, k) => [x0 + k, 100 + k, k === 0 ? 0.1 : score]).flat();
}

const overlay: TrackOverlay = {
  fps: 30,
  width: 1280,
  height: 720,
  frameCount: 10,
  patientTrackId: 2,
  tracks: [
    { id: 1, frames: [0, 1, 2], boxes: [10, 20, 110, 320, 11, 20, 111, 320, 12, 20, 112, 320] },
    { id: 2, frames: [1, 2, 3, 4], boxes: [500, 100, 600, 500, 502, 100, 602, 500, 504, 100, 604, 500, 506, 100, 606, 500] },
    { id: 5, frames: [], boxes: [] },
  ],
  patientKeypoints: { frames: [2, 4], points: [...pose(0.9, 500), ...pose(0.2, 506)] },
};

describe('overlay lookups', () => {
  const index = new OverlayIndex(overlay);

  it('gives every track box on a frame, the patient last', () => {
    expect(index.boxesAt(0)).toEqual([{ id: 1, x1: 10, y1: 20, x2: 110, y2: 320, patient: false }]);
    expect(index.boxesAt(2)).toEqual([
      { id: 1, x1: 12, y1: 20, x2: 112, y2: 320, patient: false },
      { id: 2, x1: 502, y1: 100, x2: 602, y2: 500, patient: true },
    ]);
    expect(index.boxesAt(9)).toEqual([]);
  });

  it('interpolates a box between two detections of its track, never before the first or after the last', () => {
    const sparse = new OverlayIndex({ ...overlay, tracks: [{ id: 7, frames: [10, 0, 5], boxes: [20, 0, 120, 200, 0, 0, 100, 200, 10, 0, 110, 200] }] });
    expect(sparse.boxesAt(3)).toEqual([{ id: 7, x1: 6, y1: 0, x2: 106, y2: 200, patient: false }]);
    expect(sparse.boxesAt(10)).toEqual([{ id: 7, x1: 20, y1: 0, x2: 120, y2: 200, patient: false }]);
    expect(sparse.boxesAt(11)).toEqual([]);
    expect(sparse.tracks).toEqual([{ id: 7, frames: 3, firstFrame: 0, lastFrame: 10, patient: false }]);
  });

  it('gives the patient keypoints where they were found, and interpolated between', () => {
    const kp = index.keypointsAt(2)!;
    expect(kp).toHaveLength(17);
    expect(kp[0]).toEqual({ x: 500, y: 100, score: 0.1 });
    expect(kp[16]).toEqual({ x: 516, y: 116, score: 0.9 });
    // half way from frame 2 (x 500 + k, score 0.9) to frame 4 (x 506 + k, score 0.2)
    const between = index.keypointsAt(3)!;
    expect(between).toHaveLength(17);
    expect(between[0]).toEqual({ x: 503, y: 100, score: 0.1 });
    expect(between[16]).toEqual({ x: 519, y: 116, score: 0.55 });
    expect(index.keypointsAt(1)).toBeNull();
    expect(index.keypointsAt(5)).toBeNull();
  });

  it('skips bones with a low-score end', () => {
    expect(visibleBones(index.keypointsAt(2)!)).toHaveLength(cocoSkeleton.length - 2); // the nose (0.1) drops nose-eye bones
    expect(visibleBones(index.keypointsAt(4)!)).toEqual([]);
  });

  it('summarises the tracks for the legend, longest first, empty ones left out', () => {
    expect(index.tracks).toEqual([
      { id: 2, frames: 4, firstFrame: 1, lastFrame: 4, patient: true },
      { id: 1, frames: 3, firstFrame: 0, lastFrame: 2, patient: false },
    ]);
  });

  it('refuses malformed overlays in words', () => {
    expect(() => new OverlayIndex({ ...overlay, tracks: [{ id: 3, frames: [0], boxes: [1, 2, 3] }] })).toThrow('Track 3 has 3 box numbers for 1 frames; 4 per frame were expected.');
    expect(() => new OverlayIndex({ ...overlay, patientKeypoints: { frames: [0], points: [1] } })).toThrow("The patient's keypoints hold 1 numbers for 1 frames; 51 per frame were expected.");
  });
});

describe('letterboxing (object-fit: contain)', () => {
  it('fits a 16:9 video into a wider box with side bands', () => {
    expect(containFit(1280, 720, 1000, 450)).toEqual({ scale: 0.625, x: 100, y: 0 });
  });
  it('fits into a taller box with bands above and below', () => {
    expect(containFit(1280, 720, 640, 600)).toEqual({ scale: 0.5, x: 0, y: 120 });
  });
  it('draws nothing before the video has a size', () => {
    expect(containFit(0, 0, 640, 360)).toEqual({ scale: 0, x: 0, y: 0 });
  });
  it('colours the patient yellow and other tracks steadily', () => {
    expect(trackColour(7, true)).toBe('#ffd600');
    expect(trackColour(1, false)).toBe(trackColour(9, false));
    expect(trackColour(1, false)).not.toBe(trackColour(2, false));
  });
});

describe('clicking a person on the video', () => {
  const boxes = [
    { id: 1, x1: 100, y1: 100, x2: 500, y2: 700, patient: false },
    { id: 2, x1: 300, y1: 200, x2: 400, y2: 600, patient: true },
  ];
  const fit = { scale: 0.5, x: 20, y: 0 }; // 1280x720 shown at 640x360, 20 px band on the left

  it('finds the box under the pointer, the smallest where boxes overlap', () => {
    expect(trackAtPoint(boxes, fit, 20 + 120 / 2, 300 / 2)).toBe(1);
    expect(trackAtPoint(boxes, fit, 20 + 350 / 2, 400 / 2)).toBe(2);
  });

  it('finds nothing outside the boxes, in the letterbox band or before the video has a size', () => {
    expect(trackAtPoint(boxes, fit, 20 + 600 / 2, 400 / 2)).toBeNull();
    expect(trackAtPoint(boxes, fit, 5, 100)).toBeNull();
    expect(trackAtPoint(boxes, { scale: 0, x: 0, y: 0 }, 100, 100)).toBeNull();
  });
});
