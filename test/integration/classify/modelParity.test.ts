import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { openBundle } from '../../../src-main/classify/bundle.js';
import { Stage2Classifier } from '../../../src-main/classify/classifier.js';
import { openSession } from '../../../src-main/runtime/openSession.js';
import { families, maxAbsDiff, modelFixtures, referenceBatch } from './fixtures.js';

describe('onnxruntime-node output equals PyTorch 1.13 on the committed tiny models (1e-4)', () => {
  const classifier = new Stage2Classifier({ providers: ['cpu'], intraOpThreads: 2 });
  afterAll(() => classifier.dispose());

  for (const name of families) {
    it(`${name}: a bare session and the classifier's worker both match torch`, async () => {
      const bundle = await openBundle(join(modelFixtures, name));
      const { input, shape, expected } = referenceBatch(name);
      expect(shape[0]).toBe(2);
      const opened = await openSession(bundle.modelPath, { providers: ['cpu'], intraOpThreads: 2 });
      const bare = (await opened.session.run({ video: new ort.Tensor('float32', input, shape) })).logit!.data as Float32Array;
      await opened.session.release();
      const viaWorker = await classifier.runBatch(bundle, input, shape[0]!);
      const diff = maxAbsDiff(bare, expected);
      console.log(`[parity] ${name} (${bundle.manifest.architecture.family}): max |onnxruntime - torch| = ${diff.toExponential(2)} on logits ${[...expected].map((v) => v.toFixed(4)).join(', ')}`);
      expect(diff).toBeLessThanOrEqual(1e-4);
      expect(maxAbsDiff(viaWorker.output, bare)).toBe(0);
      expect(viaWorker.provider).toBe('cpu');
      // the two reference clips give clearly different outputs (a near-constant model would pass trivially)
      expect(Math.abs(expected[0]! - expected[1]!)).toBeGreaterThan(1e-2);
      await bundle.dispose();
    });
  }
});
