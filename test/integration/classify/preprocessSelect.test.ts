import { describe, expect, it } from 'vitest';
import { clipTensor, prepareVideo } from '../../../src-main/classify/preprocess.js';
import { readRawFrames, selectFramesFilter } from '../../../src-main/media/rawFrames.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

describe('selectFramesFilter', () => {
  it('passes the given frames, consecutive ones as ranges, commas escaped for a -vf chain', () => {
    expect(selectFramesFilter([9, 0, 1, 2, 2, 4])).toBe('select=between(n\\,0\\,2)+eq(n\\,4)+eq(n\\,9)');
    expect(() => selectFramesFilter([])).toThrow(RangeError);
  });
});

describe.runIf(requireTestdata())('prepareVideo decodes only the frames the clips use', () => {
  const spec = { frames: 8, clipSeconds: 1, size: 64, mean: [0.45, 0.45, 0.45], std: [0.225, 0.225, 0.225] };

  it.each([clips.sports2dH264, clips.intelBackview10fps])('%s: the same clip tensors, bit for bit, as transforming every decoded frame of the timeline', async (name) => {
    const video = testVideo(name);
    const prepared = await prepareVideo(video, spec, { batchSize: 3 });
    const got: Float32Array[] = [];
    for await (const batch of prepared.batches()) {
      const clipLength = batch.data.length / batch.clips.length;
      batch.clips.forEach((_, k) => got.push(batch.data.slice(k * clipLength, (k + 1) * clipLength)));
    }
    // the reference: every frame of the timeline through the recorded chain, no selection
    const { decodedWidth: width, decodedHeight: height, decodeFilters } = prepared.parameters;
    const all: Uint8Array[] = [];
    for await (const frame of readRawFrames({ input: video, width, height, filters: decodeFilters })) all.push(frame);
    expect(prepared.stats.framesRead).toBe(new Set(prepared.plan.flatMap((c) => c.frameIndices)).size);
    expect(prepared.stats.framesRead).toBeLessThan(all.length / 3);
    expect(got).toHaveLength(prepared.plan.length);
    prepared.plan.forEach((clip, k) => {
      const expected = clipTensor(clip.frameIndices.map((i) => all[i]!), width, height, spec);
      expect(got[k]!.length).toBe(expected.length);
      let differing = 0;
      for (let j = 0; j < expected.length; j++) if (got[k]![j] !== expected[j]) differing++;
      expect(differing, `clip ${k}`).toBe(0);
    });
  });
});
