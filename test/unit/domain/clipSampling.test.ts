import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { framesInWindow, planClips, temporalSubsampleIndices, timelineFrameRange, uniformClipWindows } from '../../../src-main/domain/clipSampling.js';

const fixtures = resolve(import.meta.dirname, '../../fixtures/models');
const torchIndices = JSON.parse(readFileSync(resolve(fixtures, 'subsample_indices.json'), 'utf8')) as { torch: string; indices: Record<string, number[]> };

describe('UniformTemporalSubsample indices', () => {
  it(`equal torch ${torchIndices.torch}'s clamp(linspace(0, t-1, T)).long() for t = 1..120 and more, T = 8/16/32/64`, () => {
    const keys = Object.keys(torchIndices.indices);
    expect(keys.length).toBe(496);
    for (const key of keys) {
      const [t, frames] = key.split(':').map(Number);
      expect(temporalSubsampleIndices(t!, frames!), key).toEqual(torchIndices.indices[key]);
    }
  });

  it('gives exact values for the paper settings', () => {
    expect(temporalSubsampleIndices(30, 8)).toEqual([0, 4, 8, 12, 16, 20, 24, 29]);
    expect(temporalSubsampleIndices(60, 8)).toEqual([0, 8, 16, 25, 33, 42, 50, 59]);
    expect(temporalSubsampleIndices(30, 16)).toEqual([0, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29]);
    expect(temporalSubsampleIndices(4, 8)).toEqual([0, 0, 0, 1, 1, 2, 2, 3]); // fewer frames than T: repeats
    expect(temporalSubsampleIndices(1, 8)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(temporalSubsampleIndices(0, 8)).toEqual([]);
  });
});

describe("pytorchvideo's UniformClipSampler (as LabeledVideoDataset drives it)", () => {
  it('cuts consecutive clips and stops when the next clip would end past the video', () => {
    expect(uniformClipWindows(7.666667, 2)).toEqual([
      { index: 0, startSec: 0, endSec: 2, complete: true },
      { index: 1, startSec: 2, endSec: 4, complete: true },
      { index: 2, startSec: 4, endSec: 6, complete: true },
    ]);
    expect(uniformClipWindows(3, 1).map((w) => w.endSec)).toEqual([1, 2, 3]);
    expect(uniformClipWindows(4.733333, 1).map((w) => w.startSec)).toEqual([0, 1, 2, 3]);
  });

  it("keeps a clip that ends within eps (1e-6 s) of the video's end, and drops one just beyond", () => {
    expect(uniformClipWindows(2 - 5e-7, 1)).toHaveLength(2);
    expect(uniformClipWindows(2 - 2e-6, 1)).toHaveLength(1);
  });

  it('still yields the first clip of a video shorter than one clip, marked incomplete', () => {
    expect(uniformClipWindows(0.9, 1)).toEqual([{ index: 0, startSec: 0, endSec: 1, complete: false }]);
  });

  it('with a stride, clips overlap; with backpad_last the last clip is moved back to end at the end', () => {
    expect(uniformClipWindows(3, 2, { strideSec: 1 }).map((w) => [w.startSec, w.endSec])).toEqual([[0, 2], [1, 3]]);
    // pytorchvideo's own example: 39 frames at 30 fps, clip 32 frames, stride 16 frames
    const clip = 32 / 30;
    const stride = 16 / 30;
    expect(uniformClipWindows(1.3, clip, { strideSec: stride })).toHaveLength(1);
    const backpadded = uniformClipWindows(1.3, clip, { strideSec: stride, backpadLast: true });
    expect(backpadded).toHaveLength(2);
    expect(backpadded[1]!.startSec * 30).toBeCloseTo(7, 9);
    expect(backpadded[1]!.endSec).toBeCloseTo(1.3, 12);
  });
});

describe('frames of a clip (EncodedVideo: presentation time in [start, end))', () => {
  it('takes [start, end) on a 30 fps timeline', () => {
    const times = Array.from({ length: 90 }, (_, i) => i / 30);
    expect(framesInWindow(times, { startSec: 1, endSec: 2 })).toEqual(Array.from({ length: 30 }, (_, i) => 30 + i));
    expect(timelineFrameRange({ startSec: 1, endSec: 2 }, 30)).toEqual({ first: 30, end: 60 });
    expect(timelineFrameRange({ startSec: 4, endSec: 6 }, 30, 100)).toEqual({ first: 120, end: 120 }); // past the last frame: empty
    expect(timelineFrameRange({ startSec: 0.5, endSec: 1.5 }, 30)).toEqual({ first: 15, end: 45 });
  });

  it('agrees with the list form for a 15 fps timeline', () => {
    const times = Array.from({ length: 71 }, (_, i) => i / 15);
    for (const w of uniformClipWindows(71 / 15, 1)) {
      const range = timelineFrameRange(w, 15, 71);
      expect(framesInWindow(times, w)).toEqual(Array.from({ length: range.end - range.first }, (_, i) => range.first + i));
    }
  });

  it('plans every clip with the frames the model sees', () => {
    const plan = planClips({ durationSec: 230 / 30, clipSeconds: 2, frames: 8, fps: 30 });
    expect(plan.map((c) => c.frameIndices)).toEqual([
      [0, 8, 16, 25, 33, 42, 50, 59],
      [60, 68, 76, 85, 93, 102, 110, 119],
      [120, 128, 136, 145, 153, 162, 170, 179],
    ]);
    expect(plan.map((c) => c.windowFrames)).toEqual([{ first: 0, end: 60 }, { first: 60, end: 120 }, { first: 120, end: 180 }]);
  });
});
