import { describe, it, expect } from 'vitest';
import { readRawFrames, readStridedFrames } from '../../../src-main/media/rawFrames.js';
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

  it('every k-th frame of the timeline: the same pictures as decoding all, and the exact timeline length', async () => {
    const options = { input: testVideo(clips.intelWorker15fps), width: 64, height: 36, timelineFilter: 'fps=30', frameFilters: 'scale=64:36' };
    const all = readStridedFrames({ ...options, stride: 1 });
    const every: Uint8Array[] = [];
    for await (const { index, data } of all.frames) {
      expect(index).toBe(every.length);
      every.push(data);
    }
    expect(all.timelineFrames()).toBe(every.length);
    expect(every.length).toBe(142);
    for (const stride of [3, 5]) {
      const some = readStridedFrames({ ...options, stride });
      const indices: number[] = [];
      for await (const { index, data } of some.frames) {
        indices.push(index);
        expect(data.byteLength).toBe(64 * 36 * 3);
        expect(data.buffer.byteLength).toBe(64 * 36 * 3); // its own memory, transferable without a copy
        expect(Buffer.from(data).equals(Buffer.from(every[index]!))).toBe(true);
      }
      expect(indices).toEqual(Array.from({ length: Math.ceil(142 / stride) }, (_, i) => i * stride));
      expect(some.timelineFrames()).toBe(142);
    }
  });

  it('a file that is not a video fails in words, and the timeline length is not claimed before the end', async () => {
    const source = readStridedFrames({ input: import.meta.filename, width: 64, height: 36, timelineFilter: 'fps=30', frameFilters: 'scale=64:36', stride: 3 });
    expect(() => source.timelineFrames()).toThrow('the timeline length is known only once every frame has been read');
    await expect(
      (async () => {
        for await (const _ of source.frames);
      })(),
    ).rejects.toThrow(/ffmpeg exited with code \d+ while decoding/);
  });
});
