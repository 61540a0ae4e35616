import { describe, expect, it } from 'vitest';
import type { PoseTrack } from '../../../../src-main/contract/measurements.js';
import { checkPose, copyPose, frameLookup, keypointIndex, readKeypoint } from '../../../../src-main/domain/posture/keypoints.js';

const track: PoseTrack = { fps: 30, width: 640, height: 480, names: ['nose', 'leftEye'], frames: [3, 4], points: [1, 2, 0.5, 3, 4, 0.6, 5, 6, 0.7, 7, 8, 0.8] };

describe('pose track access', () => {
  it('reads (x, y, score) per listed frame and keypoint', () => {
    expect(readKeypoint(track, 1, 1)).toEqual({ x: 7, y: 8, score: 0.8 });
    expect(keypointIndex(track, 'leftEye')).toBe(1);
    expect(keypointIndex(track, 'leftHeel')).toBe(-1);
    expect([...frameLookup(track)]).toEqual([[3, 0], [4, 1]]);
  });
  it('copies without sharing the points', () => {
    const c = copyPose(track);
    c.points[0] = 99;
    expect(track.points[0]).toBe(1);
  });
  it('refuses arrays that do not fit, frames out of order and a zero frame rate', () => {
    expect(() => checkPose({ ...track, points: [1, 2] })).toThrow('a pose track of 2 frames and 2 keypoints needs 12 numbers, not 2');
    expect(() => checkPose({ ...track, frames: [4, 4] })).toThrow('pose track frames must increase: 4 then 4');
    expect(() => checkPose({ ...track, fps: 0 })).toThrow('a pose track needs a positive frame rate, not 0');
  });
});
