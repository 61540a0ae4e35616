import { describe, expect, it } from 'vitest';
import { assessTrack, choosePatient, patientFromTracks, stitchTracklets } from '../../../../src-main/domain/tracking/patientTrack.js';
import type { Track } from '../../../../src-main/domain/tracking/tracker.js';
import { box, noise } from '../../../helpers/syntheticDetections.js';

const fps = 30;
function track(id: number, frames: number[], at: (f: number) => ReturnType<typeof box>): Track {
  return { id, points: frames.map((frame) => ({ frame, box: at(frame), score: 0.9, keypoints: [] })) };
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const rnd = noise(3);

// a walker crossing the room: 1.2 body heights per second sideways, a little head bob
const walker = (id: number, from = 0, to = 180) => track(id, range(from, to), (f) => box(1500 - f * 8, 300 + 4 * Math.sin(f / 2.5), 1560 - f * 8, 600 + rnd()));
// someone jumping onto a box and down again, over and over: big vertical moves, no travel
const jumper = (id: number) => track(id, range(0, 180), (f) => {
  const up = 90 * Math.abs(Math.sin((f * Math.PI) / 40));
  return box(400 + 5 * Math.sin(f / 7), 250 - up, 480 + 5 * Math.sin(f / 7), 550 - up + 20 * Math.abs(Math.sin(f / 9)));
});
// someone standing, swaying
const stander = (id: number) => track(id, range(0, 180), (f) => box(900 + 6 * Math.sin(f / 10), 280, 980 + 6 * Math.sin(f / 10), 620));
// a patient walking away from the camera (back view): shrinks from 400 to 200 px, feet rise
const awayWalker = (id: number) => track(id, range(0, 150), (f) => {
  const h = 400 - (200 * f) / 150;
  const foot = 700 - (150 * f) / 150;
  return box(600 - h / 6, foot - h, 600 + h / 6, foot);
});

describe('choosing the patient: the person who walks', () => {
  it('chooses the walker, not the person jumping on a box nor the one standing', () => {
    const choice = choosePatient([jumper(1), stander(2), walker(3)], { fps })!;
    expect(choice.id).toBe(3);
    expect(choice.reason).toMatch(/track 3 walks \d+\.\d body heights/);
    const byId = new Map(choice.assessments.map((a) => [a.id, a]));
    expect(byId.get(3)!.travel).toBeGreaterThan(3);
    expect(byId.get(3)!.movingShare).toBe(1);
    expect(byId.get(1)!.bounce).toBeGreaterThan(0.1);
    expect(byId.get(1)!.travel).toBeLessThan(0.5);
    expect(byId.get(2)!.travel).toBeLessThan(0.2);
  });

  it('chooses someone walking away from the camera (depth) over someone standing', () => {
    const choice = choosePatient([stander(1), awayWalker(2)], { fps })!;
    expect(choice.id).toBe(2);
    expect(choice.assessments.find((a) => a.id === 2)!.depth).toBeGreaterThan(0.5); // ln 2 over the whole walk, less between the ends' medians
  });

  it('prefers a long walk over a brief passer-by, and ignores tracks shorter than a second', () => {
    const passer = track(2, range(0, 20), (f) => box(100 + f * 30, 300, 160 + f * 30, 600)); // fast, 0.7 s
    expect(choosePatient([walker(1), passer], { fps })!.id).toBe(1);
    expect(assessTrack(passer, { fps }).eligible).toBe(false);
  });

  it('when no one walks, takes the person seen longest', () => {
    const short = track(1, range(0, 60), () => box(100, 100, 160, 300));
    const long = track(2, range(0, 150), (f) => box(500 + (f % 2), 100, 560, 300));
    const choice = choosePatient([short, long], { fps })!;
    expect(choice.id).toBe(2);
    expect(choice.reason).toContain('no one walks');
  });

  it('stitches a later tracklet of the same walker on, but not someone elsewhere', () => {
    const before = walker(1, 0, 60);
    const after = walker(4, 75, 180); // lost for half a second, then found again where expected
    const elsewhere = track(5, range(70, 100), () => box(100, 300, 160, 600));
    const choice = choosePatient([before, after, elsewhere, stander(2)], { fps })!;
    expect(choice.trackIds).toEqual([4, 1]);
    expect(choice.points).toHaveLength(60 + 105);
    expect(choice.reason).toContain('joined with track(s) 1');
    expect(stitchTracklets(before, [before, elsewhere], { fps }).trackIds).toEqual([1]);
  });

  it('an override picks that track (or tracks) and reports unknown ids', () => {
    const tracks = [jumper(1), walker(3)];
    const chosen = patientFromTracks(tracks, 1, { fps });
    expect('id' in chosen && chosen.id).toBe(1);
    expect('id' in chosen && chosen.reason).toBe('track 1 chosen by the user');
    expect(patientFromTracks(tracks, [3, 9], { fps })).toEqual({ missing: [9] });
  });

  it('no tracks: no choice', () => {
    expect(choosePatient([], { fps })).toBeUndefined();
  });
});
