import { describe, expect, it } from 'vitest';
import { DetectionPool, detectVideo } from '../../../src-main/detect/detectVideo.js';
import { letterbox } from '../../../src-main/domain/letterbox.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

/**
 * detectVideo's frame selection and its worker pool on real clips: at stride k only the
 * timeline frames 0, k, 2k, ... are detected, the timeline length is exact, and a pool kept
 * across videos (as prepareFolder does) is reused, not closed, and fails loudly.
 */
describe.runIf(requireTestdata())('detectVideo with a stride and a shared pool', () => {
  it('detects timeline frames 0, k, 2k... of two videos with one pool, which stays open for its owner', async () => {
    const pool = await DetectionPool.start(1, 'auto');
    try {
      const worker = await detectVideo(testVideo(clips.intelWorker15fps), { stride: 4, pool });
      expect(worker.stride).toBe(4);
      expect(worker.frameCount).toBe(142); // 4.7 s of 15 fps on the 30 fps timeline
      expect(worker.frames.map((f) => f.frame)).toEqual(Array.from({ length: 36 }, (_, i) => i * 4));
      expect(worker.frames.map((f) => f.time)).toEqual(Array.from({ length: 36 }, (_, i) => (i * 4) / 30));
      // the worker walks away, alone, seen on most detected frames
      expect(worker.frames.filter((f) => f.people.length > 0).length).toBeGreaterThan(30);
      expect(worker.backend).toMatch(/x1 threads$/);
      expect(pool.failed).toBe(false);
      const empty = await detectVideo(testVideo(clips.intelEmptyRoom), { stride: 5, pool });
      expect(empty.frames.map((f) => f.frame)).toEqual(Array.from({ length: Math.ceil(empty.frameCount / 5) }, (_, i) => i * 5));
      expect(pool.failed).toBe(false);
    } finally {
      await pool.close();
    }
  });

  it('a frame the detector cannot take fails the pool in words instead of waiting forever', async () => {
    const pool = await DetectionPool.start(1, 'auto');
    try {
      await expect(pool.detect(0, new Uint8Array(10), letterbox(640, 360, 256), 0.2)).rejects.toMatchObject({ code: 'DETECTOR_INVALID' });
      expect(pool.failed).toBe(true);
      // later frames are refused at once, and a video given this pool starts its own workers
      await expect(pool.detect(1, new Uint8Array(256 * 256 * 3), letterbox(640, 360, 256), 0.2)).rejects.toMatchObject({ code: 'DETECTOR_INVALID' });
      const run = await detectVideo(testVideo(clips.intelWorker15fps), { stride: 5, pool, workers: 1 });
      expect(run.frames).toHaveLength(29);
    } finally {
      await pool.close();
    }
  });

  it('a stride outside 1..5 is refused in words', async () => {
    await expect(detectVideo(testVideo(clips.intelWorker15fps), { stride: 6 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('the detection stride must be a whole number of frames from 1 to 5'),
    });
  });
});
