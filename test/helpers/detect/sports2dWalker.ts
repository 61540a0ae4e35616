import { expect } from 'vitest';
import type { Stage1Result } from '../../../src-main/detect/prepareVideo.js';

/**
 * What stage 1 must find on the Sports2D clip whatever the detector: the walker chosen as the
 * patient (not the man jumping on the box), walking right to left across the frame, in view
 * from about 1.3 s to 6.5 s.
 */
export function expectSports2dWalker(result: Stage1Result): void {
  expect(result.selection).toBe('walker');
  expect(result.reason).toMatch(/^track \d+ walks/);
  // she walks right to left across the frame; the man on the box stays in the left half
  const patient = result.overlay.tracks.find((t) => t.id === result.patientTrackId)!;
  const centre = (i: number) => (patient.boxes[i * 4]! + patient.boxes[i * 4 + 2]!) / 2;
  expect(centre(0)).toBeGreaterThan(result.sourceWidth * 0.7);
  expect(centre(0) - centre(patient.frames.length - 1)).toBeGreaterThan(result.sourceWidth * 0.6);
  expect(result.segments[0]!.startSec).toBeGreaterThan(0.8);
  expect(result.segments[0]!.startSec).toBeLessThan(2);
  expect(result.segments.at(-1)!.endSec).toBeGreaterThan(5.5);
}
