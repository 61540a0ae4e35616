import { describe, expect, it } from 'vitest';
import { matchCost, trackPeople } from '../../../../src-main/domain/tracking/tracker.js';
import type { PersonDetection } from '../../../../src-main/domain/detectionTypes.js';
import { box, frames, noise, person, pose } from '../../../helpers/syntheticDetections.js';

/**
 * Two people cross paths: A walks left to right (taller, nearer), B right to left. Their boxes
 * overlap for about 20 frames; for 7 frames in the middle B is hidden behind A and only A is
 * detected. Detection order alternates, and every coordinate jitters by up to 3 px.
 */
function crossing(withPoses: boolean) {
  const rnd = noise(42);
  const j = () => rnd() * 3;
  return frames(90, (f) => {
    const ax = 100 + f * 10;
    const bx = 1000 - f * 10;
    const a = box(ax + j(), 200 + j(), ax + 80 + j(), 440 + j());
    const b = box(bx + j(), 230 + j(), bx + 70 + j(), 430 + j());
    const stride = 0.15 * Math.sin(f / 3);
    const pa = person(a, 0.9, withPoses ? pose(a, stride) : []);
    const pb = person(b, 0.8, withPoses ? pose(b, -stride) : []);
    const people: PersonDetection[] = f >= 42 && f <= 48 ? [pa] : f % 2 ? [pa, pb] : [pb, pa];
    return people;
  });
}

describe('trackPeople', () => {
  for (const withPoses of [false, true]) {
    it(`keeps both identities through a crossing with occlusion (${withPoses ? 'boxes and keypoints' : 'boxes only'})`, () => {
      const tracks = trackPeople(crossing(withPoses));
      expect(tracks.map((t) => t.id)).toEqual([1, 2]);
      const [first, second] = tracks as [(typeof tracks)[0], (typeof tracks)[0]];
      // A (starts left) moves right in every step, B (starts right) moves left in every step
      const a = first.points[0]!.box.x1 < second.points[0]!.box.x1 ? first : second;
      const b = a === first ? second : first;
      expect(a.points).toHaveLength(90);
      expect(b.points).toHaveLength(83);
      for (let i = 1; i < a.points.length; i++) expect(a.points[i]!.box.x1).toBeGreaterThan(a.points[i - 1]!.box.x1);
      for (let i = 1; i < b.points.length; i++) expect(b.points[i]!.box.x1).toBeLessThan(b.points[i - 1]!.box.x1);
      expect(b.points.map((p) => p.frame)).not.toContain(45);
    });
  }

  for (const stride of [2, 3, 4, 5]) {
    it(`keeps both identities through the crossing when only every ${stride}th frame is detected (detection stride)`, () => {
      const tracks = trackPeople(crossing(true).filter((f) => f.frame % stride === 0));
      expect(tracks.map((t) => t.id)).toEqual([1, 2]);
      const [first, second] = tracks as [(typeof tracks)[0], (typeof tracks)[0]];
      const a = first.points[0]!.box.x1 < second.points[0]!.box.x1 ? first : second;
      const b = a === first ? second : first;
      const detectionFrames = Array.from({ length: 90 }, (_, f) => f).filter((f) => f % stride === 0);
      expect(a.points.map((p) => p.frame)).toEqual(detectionFrames);
      expect(b.points.map((p) => p.frame)).toEqual(detectionFrames.filter((f) => f < 42 || f > 48));
      for (let i = 1; i < a.points.length; i++) expect(a.points[i]!.box.x1).toBeGreaterThan(a.points[i - 1]!.box.x1);
      for (let i = 1; i < b.points.length; i++) expect(b.points[i]!.box.x1).toBeLessThan(b.points[i - 1]!.box.x1);
    });
  }

  it('gives the same ids every time and ignores a one-frame false detection', () => {
    const input = frames(30, (f) => [person(box(100 + f * 5, 100, 160 + f * 5, 300)), ...(f === 10 ? [person(box(800, 50, 830, 120), 0.4)] : [])]);
    const once = trackPeople(input);
    expect(once).toHaveLength(1);
    expect(once[0]!.id).toBe(1);
    expect(trackPeople(input)).toEqual(once);
  });

  it('ends a track after maxMissed frames and starts a new id when the person returns', () => {
    const input = frames(80, (f) => (f < 20 || f >= 50 ? [person(box(300, 100, 360, 300))] : []));
    expect(trackPeople(input, { maxMissed: 15 }).map((t) => [t.id, t.points.length])).toEqual([
      [1, 20],
      [2, 30],
    ]);
    expect(trackPeople(input, { maxMissed: 40 }).map((t) => [t.id, t.points.length])).toEqual([[1, 50]]);
  });

  it('does not start a track for a duplicate detection of someone already matched', () => {
    const input = frames(20, () => [person(box(100, 100, 160, 300)), person(box(102, 101, 161, 302), 0.5)]);
    expect(trackPeople(input)).toHaveLength(1);
  });

  it('costs: identical is 0, far apart is near 1, pose agreement lowers the cost', () => {
    const b = box(100, 100, 160, 300);
    expect(matchCost(b, b)).toBeCloseTo(0, 10);
    expect(matchCost(b, box(900, 100, 960, 300))).toBeGreaterThan(0.75);
    const shifted = box(130, 100, 190, 300);
    expect(matchCost(b, shifted, { lastKeypoints: pose(b), keypoints: pose(shifted), shiftX: 30 })).toBeLessThan(matchCost(b, shifted));
  });
});
