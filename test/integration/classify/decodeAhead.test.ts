import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endDecodeWorker, prepareVideoAhead } from '../../../src-main/classify/decodeAhead.js';
import { prepareVideo, type ClipBatch, type PreparedVideo, type PreprocessInput } from '../../../src-main/classify/preprocess.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

const input: PreprocessInput = { frames: 8, clipSeconds: 1, size: 64, mean: [0.45, 0.45, 0.45], std: [0.225, 0.225, 0.225], fps: 30 };

async function collect(prepared: PreparedVideo): Promise<ClipBatch[]> {
  const out: ClipBatch[] = [];
  for await (const batch of prepared.batches()) out.push({ clips: batch.clips, data: batch.data.slice() });
  return out;
}

describe.runIf(requireTestdata())('decoding ahead in a worker thread (prepareVideoAhead) against prepareVideo here', () => {
  const video = testVideo(clips.sports2dH264); // 1280x720, 30 fps, 7 clips
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'walkscope-decode-ahead-'));
  });
  afterAll(async () => {
    await endDecodeWorker();
    rmSync(work, { recursive: true, force: true });
  });

  it('hands over the same plan and the same tensors, bit for bit, batch by batch', async () => {
    const here = await prepareVideo(video, input, { batchSize: 2 });
    const expected = await collect(here);
    const ahead = await prepareVideoAhead(video, input, { batchSize: 2, ahead: 2 });
    const got = await collect(ahead);
    expect(ahead.plan).toEqual(here.plan);
    expect(ahead.parameters).toEqual(here.parameters);
    expect(got.map((b) => b.clips.map((c) => c.index))).toEqual([[0, 1], [2, 3], [4, 5], [6]]);
    expect(got.map((b) => b.clips)).toEqual(expected.map((b) => b.clips));
    got.forEach((batch, k) => expect(Buffer.from(batch.data.buffer).equals(Buffer.from(expected[k]!.data.buffer))).toBe(true));
    // the worker's time breakdown comes back when the last batch is taken
    expect(ahead.stats.framesTransformed).toBe(here.stats.framesTransformed);
    expect(ahead.stats.framesRead).toBe(here.stats.framesRead);
  });

  it("gives prepareVideo's errors across the thread, with their codes", async () => {
    const junk = join(work, 'junk.mp4');
    writeFileSync(junk, Buffer.alloc(4096, 7));
    await expect(prepareVideoAhead(junk, input)).rejects.toMatchObject({ code: 'NOT_A_VIDEO' });
    await expect(prepareVideoAhead(join(work, 'absent.mp4'), input)).rejects.toMatchObject({ code: expect.any(String) });
  });

  it('stops on abort, and the worker then decodes the next video in full', async () => {
    const controller = new AbortController();
    const prepared = await prepareVideoAhead(video, input, { signal: controller.signal });
    const taken: number[] = [];
    await expect((async () => {
      for await (const batch of prepared.batches()) {
        taken.push(batch.clips[0]!.index);
        controller.abort();
      }
    })()).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    expect(taken).toEqual([0]);
    const again = await collect(await prepareVideoAhead(video, input));
    expect(again).toHaveLength(7);
  });

  it('a consumer that stops early (return) leaves the worker free for the next video', async () => {
    const prepared = await prepareVideoAhead(video, input);
    for await (const batch of prepared.batches()) {
      expect(batch.clips[0]!.index).toBe(0);
      break;
    }
    const again = await collect(await prepareVideoAhead(video, input, { batchSize: 7 }));
    expect(again.map((b) => b.clips.length)).toEqual([7]);
  });
});
