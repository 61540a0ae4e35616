import { describe, expect, it } from 'vitest';
import { implausibleDuration } from '../../../src-main/media/durationPlausibility.js';

const at30 = (n: number) => Array.from({ length: n }, (_, i) => i / 30);

describe('a stated duration against the frames and size of the file', () => {
  it('accepts an ordinary 30 fps walk and a 10 fps one', () => {
    expect(implausibleDuration({ statedSec: 12, frameCount: 360, frameTimes: at30(360), sizeBytes: 3_000_000 })).toBeNull();
    const tenFps = Array.from({ length: 100 }, (_, i) => i / 10);
    expect(implausibleDuration({ statedSec: 10, frameCount: 100, frameTimes: tenFps, sizeBytes: 400_000 })).toBeNull();
  });

  it('accepts a short clip of very few frames: the rules start past 10 s', () => {
    expect(implausibleDuration({ statedSec: 3, frameCount: 2, frameTimes: [0, 1.5], sizeBytes: 2000 })).toBeNull();
  });

  it('refuses 3 frames in 6.4 KB that claim two hours (the case the review found)', () => {
    expect(implausibleDuration({ statedSec: 7200, frameCount: 3, frameTimes: [0, 1 / 30, 2 / 30], sizeBytes: 6554 })).toBe('says it lasts 120 min but holds only 3 frames');
  });

  it('refuses a file too small for its length even when the frame count looks right', () => {
    expect(implausibleDuration({ statedSec: 600, frameCount: 18_000, frameTimes: at30(18_000), sizeBytes: 50_000 })).toBe('says it lasts 10 min but is only 48.8 KB');
  });

  it('refuses a gap of more than 10 s between frames, and a stated end far past the last frame', () => {
    const gap = [...at30(300), ...at30(300).map((t) => t + 40)];
    expect(implausibleDuration({ statedSec: 50, frameCount: 600, frameTimes: gap, sizeBytes: 5_000_000 })).toBe('says it lasts 50 s but has no frames for 30 s after 10 s');
    expect(implausibleDuration({ statedSec: 300, frameCount: 600, frameTimes: at30(600), sizeBytes: 5_000_000 })).toBe('says it lasts 5 min but has no frames for 5 min after 20 s');
  });

  it('says one frame, not one frames', () => {
    expect(implausibleDuration({ statedSec: 60, frameCount: 1, frameTimes: [0], sizeBytes: 90_000 })).toBe('says it lasts 60 s but holds only 1 frame');
  });
});
