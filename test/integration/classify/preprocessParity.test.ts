import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { planClips } from '../../../src-main/domain/clipSampling.js';
import { clipTensor, DECODE_COLOUR_MATRIX } from '../../../src-main/classify/preprocess.js';
import { probeVideo } from '../../../src-main/media/probe.js';
import { readRawFrames } from '../../../src-main/media/rawFrames.js';
import { requireTestdata, testVideo } from '../../helpers/testdata.js';
import { maxAbsDiff, modelFixtures, readFloat32 } from './fixtures.js';

const dir = join(modelFixtures, 'preprocess-sports2d');
const reference = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as {
  video: string; decodedWidth: number; decodedHeight: number; frameCount: number; frameTimes: number[]; durationSec: number;
  clipSeconds: number; frames: number; size: number; mean: number[]; std: number[];
  clips: Array<{ index: number; startSec: number; endSec: number; frameIndices: number[]; expected?: Record<string, { shape: number[]; step: number; sum: number; absMax: number }> }>;
};
const referenceFrames = () => {
  const bytes = gunzipSync(readFileSync(join(dir, 'clip0_frames.rgb.gz')));
  const frameBytes = reference.decodedWidth * reference.decodedHeight * 3;
  return Array.from({ length: reference.frames }, (_, t) => new Uint8Array(bytes.buffer, bytes.byteOffset + t * frameBytes, frameBytes));
};

describe('TypeScript preprocessing equals the torch/torchvision reference (same decoded frames fed to both)', () => {
  for (const size of Object.keys(reference.clips[0]!.expected!).map(Number)) {
    it(`Div255, Normalize(0.45, 0.225), Resize to ${size} (${size > reference.decodedWidth ? 'up' : 'down'}scaling ${reference.decodedWidth}x${reference.decodedHeight}): every compared value within 1e-5`, () => {
      const meta = reference.clips[0]!.expected![String(size)]!;
      const tensor = clipTensor(referenceFrames(), reference.decodedWidth, reference.decodedHeight, { size, mean: reference.mean, std: reference.std });
      expect([3, reference.frames, size, size]).toEqual(meta.shape);
      const expected = readFloat32(join(dir, `clip0_expected_${size}.bin`));
      const sampled = Float32Array.from({ length: expected.length }, (_, k) => tensor[k * meta.step]!);
      const diff = maxAbsDiff(sampled, expected);
      let sum = 0;
      let absMax = 0;
      for (const v of tensor) {
        sum += v;
        absMax = Math.max(absMax, Math.abs(v));
      }
      console.log(`[parity] preprocessing to ${size}: max |TS - torch| = ${diff.toExponential(2)} over ${expected.length} values (every ${meta.step}th of ${tensor.length}); sum ${sum.toFixed(4)} vs ${meta.sum.toFixed(4)}`);
      expect(diff).toBeLessThanOrEqual(1e-5);
      expect(Math.abs(sum - meta.sum)).toBeLessThan(1e-6 * tensor.length);
      expect(Math.abs(absMax - meta.absMax)).toBeLessThan(1e-5);
    });
  }

  it("samples the reference's frame indices for every clip from the same duration and 30 fps timeline", () => {
    const plan = planClips({ durationSec: reference.durationSec, clipSeconds: reference.clipSeconds, frames: reference.frames, fps: 30, frameCount: reference.frameCount });
    expect(plan.map((c) => [c.startSec, c.endSec, c.frameIndices])).toEqual(reference.clips.map((c) => [c.startSec, c.endSec, c.frameIndices]));
    reference.frameTimes.forEach((t, i) => expect(t).toBeCloseTo(i / 30, 9));
  });

  describe.runIf(requireTestdata())('on the real clip', () => {
    it('plans the same clips from ffprobe as the reference did from PyAV', async () => {
      const probe = await probeVideo(testVideo(reference.video));
      expect(probe.durationSec).toBeCloseTo(reference.durationSec, 6);
      const plan = planClips({ durationSec: probe.durationSec, clipSeconds: reference.clipSeconds, frames: reference.frames, fps: 30 });
      expect(plan.map((c) => c.frameIndices)).toEqual(reference.clips.map((c) => c.frameIndices));
    });

    it("ffmpeg decodes the same RGB bytes as the reference's PyAV (BT.601 matrix, bilinear)", async () => {
      const wanted = new Set(reference.clips[0]!.frameIndices);
      const frames = referenceFrames();
      const got: Uint8Array[] = [];
      let i = 0;
      for await (const frame of readRawFrames({
        input: testVideo(reference.video), width: reference.decodedWidth, height: reference.decodedHeight,
        filters: `fps=30,scale=${reference.decodedWidth}:${reference.decodedHeight}:flags=bilinear:in_color_matrix=${DECODE_COLOUR_MATRIX},format=rgb24`,
      })) {
        if (wanted.has(i)) got.push(frame);
        if (++i > Math.max(...wanted)) break;
      }
      let differing = 0;
      got.forEach((frame, t) => frame.forEach((v, k) => (differing += v === frames[t]![k] ? 0 : 1)));
      console.log(`[parity] decoding: ${differing} of ${got.length * frames[0]!.length} bytes differ between ffmpeg and PyAV`);
      expect(got).toHaveLength(frames.length);
      expect(differing).toBe(0);
    });
  });
});
