import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve, join } from 'node:path';
import { openBundle } from '../../../src-main/classify/modelBundle.js';
import { openSession, ort } from '../../../src-main/classify/executionProviders.js';
import { clipToTensor } from '../../../src-main/domain/videoTensor.js';
import { framesInWindow, temporalSubsampleIndices, uniformClipWindows } from '../../../src-main/domain/clipSampling.js';
import { scanPackets } from '../../../src-main/media/probe.js';
import { maxAbsDiff, readFloat32 } from '../../helpers/tensors.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

const fixtures = resolve(import.meta.dirname, '../../fixtures/models');

describe('onnxruntime-node output equals PyTorch 1.13 (committed tiny fixtures)', () => {
  for (const name of ['slow_r50-tiny', 'x3d-tiny']) {
    it(`${name}: within 1e-4 on the reference batch`, async () => {
      const dir = join(fixtures, name);
      const bundle = await openBundle(dir);
      const shape = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as { input: number[]; output: number[] };
      const opened = await openSession(bundle.modelPath, { providers: ['cpu'], intraOpThreads: 2 });
      const out = await opened.session.run({ video: new ort.Tensor('float32', readFloat32(join(dir, 'reference_input.bin')), shape.input) });
      const expected = readFloat32(join(dir, 'reference_output.bin'));
      const diff = maxAbsDiff(out.logit!.data as Float32Array, expected);
      console.log(`[parity] ${name}: max |onnxruntime - torch| = ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(1e-4);
      await opened.session.release();
      await bundle.dispose();
    });
  }
});

describe('TypeScript preprocessing equals the torchvision reference on a real clip', () => {
  const dir = join(fixtures, 'preprocess-intel-worker');
  const reference = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as {
    width: number; height: number; frameTimes: number[]; duration: number; clipSeconds: number; frames: number; size: number;
    clips: Array<{ start: number; end: number; frameIndices: number[]; shape: number[]; step: number; sum: number }>;
  };

  it('samples the same frame indices from the same frame times (pytorchvideo uniform sampler + subsample)', () => {
    const windows = uniformClipWindows(reference.duration, reference.clipSeconds);
    const first = windows[0]!;
    const inWindow = framesInWindow(reference.frameTimes, first);
    expect(temporalSubsampleIndices(inWindow.length, reference.frames).map((i) => inWindow[i]!)).toEqual(reference.clips[0]!.frameIndices);
  });

  // Measured: 99.5% of values agree within 1e-5; the rest, all on one column of strong edges
  // (x = 184 of 224 from a 480-wide frame), differ by up to 2.7e-5 because torch's kernel
  // places that column's source position slightly differently (see the closing note of issue 4).
  it('Div255, Normalize(0.45, 0.225) and bilinear resize to 224 within 3e-5, 99% within 1e-5 (same decoded frames fed to both)', () => {
    const clip = reference.clips[0]!;
    const bytes = gunzipSync(readFileSync(join(dir, 'clip0_frames.rgb.gz')));
    const frameBytes = reference.width * reference.height * 3;
    const frames = Array.from({ length: reference.frames }, (_, t) => new Uint8Array(bytes.buffer, bytes.byteOffset + t * frameBytes, frameBytes));
    const tensor = clipToTensor(frames, { width: reference.width, height: reference.height, size: reference.size, mean: [0.45, 0.45, 0.45], std: [0.225, 0.225, 0.225] });
    const expected = readFloat32(join(dir, `clip0_expected_every_${clip.step}.bin`));
    const sampled = Float32Array.from({ length: expected.length }, (_, k) => tensor[k * clip.step]!);
    const diff = maxAbsDiff(sampled, expected);
    console.log(`[parity] preprocessing: max |TS - torch| = ${diff.toExponential(2)} over ${expected.length} sampled values`);
    expect(diff).toBeLessThanOrEqual(3e-5);
    let within = 0;
    for (let k = 0; k < expected.length; k++) if (Math.abs(sampled[k]! - expected[k]!) <= 1e-5) within++;
    expect(within / expected.length).toBeGreaterThan(0.99);
    const sum = tensor.reduce((s, v) => s + v, 0);
    expect(Math.abs(sum - clip.sum) / Math.abs(clip.sum)).toBeLessThan(1e-6);
  });

  it.runIf(requireTestdata())('reads the same frame times with ffprobe as the reference did with PyAV', async () => {
    const scan = await scanPackets(testVideo(clips.intelWorker15fps));
    expect(scan.frameCount).toBe(reference.frameTimes.length);
    expect(maxAbsDiff(scan.times, reference.frameTimes)).toBeLessThan(1e-6);
  });
});
