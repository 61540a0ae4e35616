import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readModelMetadata } from '../../../src-main/runtime/modelMetadata.js';
import { openSession } from '../../../src-main/runtime/openSession.js';
import { runFloat32 } from '../../../src-main/runtime/sessionRun.js';
import { maxAbsDiff, modelFixtures, referenceBatch } from '../classify/fixtures.js';

const model = join(modelFixtures, 'slow_r50-tiny', 'model.onnx');

describe('a model file through onnxruntime', () => {
  it("reads a model's inputs and outputs and the onnxruntime version, then lets it go", async () => {
    const metadata = await readModelMetadata(model);
    expect(metadata.inputNames).toEqual(['video']);
    expect(metadata.outputNames).toEqual(['logit']);
    expect(metadata.inputMetadata).toEqual([{ name: 'video', isTensor: true, type: 'float32', shape: [expect.any(String), 3, 8, 64, 64] }]);
    expect(metadata.outputMetadata).toEqual([{ name: 'logit', isTensor: true, type: 'float32', shape: [expect.any(String), 1] }]);
    expect(metadata.runtimeVersion).toBe(ort.env.versions.common);
  });

  it('refuses a file that is not a model with what onnxruntime says', async () => {
    await expect(readModelMetadata(join(modelFixtures, 'slow_r50-tiny', 'manifest.json'))).rejects.toThrow();
  });

  it('runs a float32 batch to the same values as a bare session.run, and gives undefined for an output the model has not', async () => {
    const { input, shape, expected } = referenceBatch('slow_r50-tiny');
    const opened = await openSession(model, { providers: ['cpu'], intraOpThreads: 1 });
    try {
      const bare = (await opened.session.run({ video: new ort.Tensor('float32', input, shape) })).logit!.data as Float32Array;
      const values = await runFloat32(opened.session, 'video', input, shape, 'logit');
      expect(values).toBeInstanceOf(Float32Array);
      expect(maxAbsDiff(values!, bare)).toBe(0);
      expect(maxAbsDiff(values!, expected)).toBeLessThanOrEqual(1e-4);
      expect(await runFloat32(opened.session, 'video', input, shape, 'probability')).toBeUndefined();
    } finally {
      await opened.session.release();
    }
  });
});
