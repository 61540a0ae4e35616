import { describe, expect, it } from 'vitest';
import type { PoseTrack } from '../../../../src-main/contract/measurements.js';
import { checkMinScore, confidentKeypoint, defaultMinScore, isConfident } from '../../../../src-main/domain/posture/confidence.js';

describe('confidence gate', () => {
  it('is 0.3 by default, inclusive', () => {
    expect(defaultMinScore).toBe(0.3);
    expect(isConfident({ x: 1, y: 1, score: 0.3 }, 0.3)).toBe(true);
    expect(isConfident({ x: 1, y: 1, score: 0.29 }, 0.3)).toBe(false);
  });
  it('refuses non-finite coordinates and scores', () => {
    expect(isConfident({ x: Number.NaN, y: 1, score: 0.9 }, 0.3)).toBe(false);
    expect(isConfident({ x: 1, y: 1, score: Number.NaN }, 0)).toBe(false);
  });
  it('gives the keypoint or null, and null for a keypoint the model does not give', () => {
    const t: PoseTrack = { fps: 30, width: 1, height: 1, names: ['nose'], frames: [0], points: [5, 6, 0.2] };
    expect(confidentKeypoint(t, 0, 0, 0.1)).toEqual({ x: 5, y: 6, score: 0.2 });
    expect(confidentKeypoint(t, 0, 0, 0.3)).toBeNull();
    expect(confidentKeypoint(t, 0, -1, 0)).toBeNull();
  });
  it('checks a user gate', () => {
    expect(checkMinScore(0.5)).toBe(0.5);
    expect(() => checkMinScore(1.5)).toThrow('minScore is a keypoint score in 0..1, not 1.5');
  });
});
