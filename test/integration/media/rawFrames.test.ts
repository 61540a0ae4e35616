import { describe, it, expect } from 'vitest';
import { readRawFrames } from '../../../src-main/media/rawFrames.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

describe.runIf(requireTestdata())('readRawFrames on a real clip', () => {
  it('streams the 15 fps clip onto a 30 fps timeline at the requested size', async () => {
    let count = 0;
    let firstLength = 0;
    for await (const frame of readRawFrames({
      input: testVideo(clips.intelWorker15fps),
      width: 64,
      height: 36,
      filters: 'fps=30,scale=64:36',
    })) {
      if (count === 0) firstLength = frame.length;
      count++;
    }
    expect(firstLength).toBe(64 * 36 * 3);
    // 4.7 s at 30 fps
    expect(count).toBeGreaterThanOrEqual(138);
    expect(count).toBeLessThanOrEqual(143);
  });

  it('stops and kills ffmpeg when aborted', async () => {
    const controller = new AbortController();
    let count = 0;
    for await (const _frame of readRawFrames({
      input: testVideo(clips.sports2dH264),
      width: 32,
      height: 18,
      filters: 'scale=32:18',
      signal: controller.signal,
    })) {
      count++;
      if (count === 5) controller.abort();
    }
    expect(count).toBeGreaterThanOrEqual(5);
    expect(count).toBeLessThan(60);
  });
});
