import { describe, expect, it } from 'vitest';
import { paperHeuristic } from '../../../../src-main/domain/tracking/paperHeuristic.js';
import type { FrameDetections } from '../../../../src-main/domain/detectionTypes.js';
import { box, person } from '../../../helpers/syntheticDetections.js';

const frame = (n: number, ...people: ReturnType<typeof person>[]): FrameDetections => ({ frame: n, time: n / 30, people });

describe("the reference code's rule (paper mode)", () => {
  it('keeps the shorter of two boxes first, then the nearest centre x; drops jumps, empty and crowded frames', () => {
    const doctor = (x: number) => person(box(x, 0, x + 100, 400), 0.99); // taller, nearer the camera
    const patient = (x: number) => person(box(x, 100, x + 60, 300), 0.95);
    const kept = paperHeuristic([
      frame(0, doctor(500), patient(100)), // two: the shorter (patient, centre 130)
      frame(1, doctor(480), patient(110)), // two: nearest to 130 is the patient (140)
      frame(2, patient(300)), // one, centre 330 jumps 190 px from 140: dropped
      frame(3, patient(180)), // one, centre 210 is 70 px away: kept
      frame(4), // none: dropped
      frame(5, doctor(0), patient(200), person(box(900, 0, 950, 100))), // three: dropped
      frame(6, doctor(150), patient(600)), // two: the doctor's centre 200 is nearest to 210
      frame(7, patient(100), person(box(0, 0, 10, 10), 0.5)), // the low-score box does not count: one box, centre 130, 70 px from 200
    ]);
    expect(kept.map((k) => [k.frame, k.box.x1])).toEqual([
      [0, 100],
      [1, 110],
      [3, 180],
      [6, 150],
      [7, 100],
    ]);
  });

  it('uses a strict score threshold of 0.8 by default and tie rules of the reference', () => {
    const a = person(box(0, 0, 50, 200), 0.8); // not above 0.8: ignored
    expect(paperHeuristic([frame(0, a)])).toEqual([]);
    // equal heights the first time: the first (highest-scoring) box
    const first = person(box(0, 0, 50, 200), 0.95);
    const second = person(box(300, 0, 350, 200), 0.9);
    expect(paperHeuristic([frame(0, second, first)])[0]!.box.x1).toBe(0);
    // equal distances afterwards: the second box
    const kept = paperHeuristic([frame(0, person(box(100, 0, 150, 200), 0.9)), frame(1, person(box(50, 0, 100, 200), 0.95), person(box(150, 0, 200, 200), 0.9))]);
    expect(kept[1]!.box.x1).toBe(150);
  });
});
