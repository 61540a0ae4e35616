import { describe, expect, it } from 'vitest';
import { cropRect, fillGaps, planCrops, smoothBoxes } from '../../../src-main/domain/cropPlan.js';
import { trackPeople } from '../../../src-main/domain/tracking/tracker.js';
import { paperHeuristic } from '../../../src-main/domain/tracking/paperHeuristic.js';
import { choosePatient } from '../../../src-main/domain/tracking/patientTrack.js';
import type { FrameDetections } from '../../../src-main/domain/detectionTypes.js';

const box = (x1: number, y1: number, x2: number, y2: number) => ({ x1, y1, x2, y2 });
const person = (b: ReturnType<typeof box>, score = 0.9) => ({ box: b, score, keypoints: [] });

describe("the paper's crop geometry", () => {
  it('pad mode: (x1 - 10, y1, w + 20, h), padded to a square of the larger side', () => {
    expect(cropRect(box(100, 50, 160, 250), 'pad', 1920, 1080)).toEqual({ x: 90, y: 50, width: 80, height: 200, side: 200 });
  });
  it('crop mode: a square of side = box height centred on the box', () => {
    expect(cropRect(box(100, 50, 160, 250), 'crop', 1920, 1080)).toEqual({ x: 30, y: 50, width: 200, height: 200, side: 200 });
  });
  it('clamps to the frame', () => {
    expect(cropRect(box(-20, -5, 40, 300), 'pad', 640, 360)).toEqual({ x: 0, y: 0, width: 50, height: 300, side: 300 });
    expect(cropRect(box(600, 100, 640, 300), 'crop', 640, 360)).toEqual({ x: 440, y: 100, width: 200, height: 200, side: 200 });
    expect(cropRect(box(0, 0, 100, 500), 'crop', 640, 360).width).toBe(360);
  });
});

describe('gap filling and smoothing', () => {
  const pts = [0, 1, 2, 5, 6, 40, 41].map((frame) => ({ frame, box: box(frame * 10, 0, frame * 10 + 50, 100), score: 1, keypoints: [] }));
  it('interpolates short gaps and splits at long ones', () => {
    const segments = fillGaps(pts, 15);
    expect(segments.map((s) => s.map((p) => p.frame))).toEqual([[0, 1, 2, 3, 4, 5, 6], [40, 41]]);
    expect(segments[0]![3]).toEqual({ frame: 3, box: box(30, 0, 80, 100), interpolated: true });
  });
  it('smooths with a centred moving average that removes jitter', () => {
    const jittery = Array.from({ length: 9 }, (_, i) => box(100 + (i % 2 ? 4 : -4), 0, 150, 100));
    const smooth = smoothBoxes(jittery, 9);
    expect(Math.abs(smooth[4]!.x1 - 100)).toBeLessThan(0.5);
  });
  it('reports coverage', () => {
    const plan = planCrops(pts, { mode: 'pad', frameWidth: 1000, frameHeight: 500, totalFrames: 50 });
    expect(plan.coverage).toEqual({ frames: 50, detected: 7, interpolated: 2, missing: 41 });
    expect(plan.segments).toEqual([{ startFrame: 0, endFrame: 6 }, { startFrame: 40, endFrame: 41 }]);
  });
});

describe('tracking and choosing the patient (synthetic)', () => {
  // A walker crosses from right to left; a second person jumps in place at x = 400.
  const frames: FrameDetections[] = Array.from({ length: 90 }, (_, f) => ({
    frame: f,
    time: f / 30,
    people: [person(box(900 - f * 8, 200, 960 - f * 8, 400)), person(box(380, 150 + (f % 10 < 5 ? -20 : 0), 420, 300 + (f % 10 < 5 ? -20 : 0)))],
  }));

  it('keeps identities through a crossing', () => {
    const tracks = trackPeople(frames);
    expect(tracks).toHaveLength(2);
    for (const t of tracks) expect(t.points).toHaveLength(90);
    const walker = tracks.find((t) => t.points[0]!.box.x1 === 900)!;
    expect(walker.points.every((p, i) => p.box.x1 === 900 - i * 8)).toBe(true);
  });

  it('chooses the walker, not the person jumping in place', () => {
    const tracks = trackPeople(frames);
    const chosen = choosePatient(tracks, 30)!;
    expect(tracks.find((t) => t.id === chosen.id)!.points[0]!.box.x1).toBe(900);
    expect(chosen.reason).toContain('body heights');
  });

  it("the paper's heuristic keeps the shorter box first, then the nearest centre", () => {
    const kept = paperHeuristic(frames, { minScore: 0.5 });
    expect(kept[0]!.box.x1).toBe(380); // the jumper's box is shorter here: the heuristic's known weakness
    expect(kept).toHaveLength(90);
  });
});
