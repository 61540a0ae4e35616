import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { openBundle } from '../../../src-main/classify/bundle.js';
import { classifierManifest } from '../../../src-main/classify/bundleManifest.js';
import { appendHeadToOnnx, writeHeadBundle, type HeadBundleDetails, type LinearHead } from '../../../src-main/classify/headBundle.js';
import { probabilityOfAsd, sigmoid } from '../../../src-main/domain/scoreAggregation.js';
import { mulberry32 } from '../../../src-main/domain/studies/seededOrder.js';
import { encodeOnnxModel } from '../../../src-main/runtime/onnxProto.js';
import { modelFixtures, referenceBatch } from './fixtures.js';

const backboneDir = join(modelFixtures, 'slow_r50-tiny-features');
const featureSize = 64;

/**
 * A head of random coefficients, seeded (mulberry32, seed 20261203) so every run writes the same
 * bundle: not a trained head, only numbers to check the graph computes what the head says.
 */
function seededHead(size: number, seed = 20261203): LinearHead {
  const random = mulberry32(seed);
  const uniform = (low: number, high: number) => low + (high - low) * random();
  return {
    mean: Array.from({ length: size }, () => uniform(-1, 1)),
    scale: Array.from({ length: size }, () => uniform(0.2, 2)),
    coefficients: Array.from({ length: size }, () => uniform(-1, 1)),
    intercept: uniform(-0.5, 0.5),
  };
}

/** The head's logit of one feature vector, in float64, straight from its definition (no folding). */
function headLogit(head: LinearHead, x: ArrayLike<number>): number {
  let logit = head.intercept;
  for (let j = 0; j < head.coefficients.length; j++) logit += (head.coefficients[j]! * (x[j]! - head.mean[j]!)) / head.scale[j]!;
  return logit;
}

const details: HeadBundleDetails = {
  id: 'slow_r50-tiny-head-test',
  name: 'slow_r50 tiny + logistic-regression head (random weights)',
  version: '0.0.1',
  provenance: {
    trainingData: 'none: a seeded random head on a random-weight backbone, for software testing only',
    crossValidatedMetrics: { auc: null },
    date: '2026-12-04',
    authors: ['test/integration/classify/headBundle.test.ts'],
  },
  intendedUse: 'Software testing only.',
};

async function runOutputs(modelPath: string, input: Float32Array, shape: number[], names: string[]): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], logSeverityLevel: 3 });
  try {
    const results = await session.run({ video: new ort.Tensor('float32', input, shape) }, names);
    return names.map((n) => Float32Array.from(results[n]!.data as Float32Array));
  } finally {
    await session.release();
  }
}

describe('a head appended to an ONNX graph by protobuf merge', () => {
  it('adds MatMul + Add and a second output to a small model; the first output is untouched', async () => {
    // x [N, 3] -> Identity -> y; the head reads y
    const model = encodeOnnxModel({
      graphName: 'tiny',
      producer: 'headBundle.test',
      opset: 13,
      nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
      initializers: [],
      inputs: [{ name: 'x', type: 'float', dims: ['batch', 3] }],
      outputs: [{ name: 'y', type: 'float', dims: ['batch', 3] }],
    });
    const head: LinearHead = { mean: [1, 0, -1], scale: [2, 1, 0.5], coefficients: [2, -1, 0.5], intercept: 0.25 };
    const session = await ort.InferenceSession.create(appendHeadToOnnx(model, 'y', head));
    try {
      expect(session.outputNames).toEqual(['y', 'logit']);
      const x = Float32Array.of(1, 2, 3, -1, 0, 0.5);
      const out = await session.run({ x: new ort.Tensor('float32', x, [2, 3]) });
      expect(out.logit!.dims).toEqual([2, 1]);
      expect([...(out.y!.data as Float32Array)]).toEqual([...x]);
      const logits = out.logit!.data as Float32Array;
      // 0.25 + 2 (1-1)/2 - (2-0)/1 + 0.5 (3+1)/0.5 = 2.25; 0.25 + 2 (-2)/2 - 0 + 0.5 (1.5)/0.5 = -0.25
      expect(logits[0]).toBeCloseTo(2.25, 6);
      expect(logits[1]).toBeCloseTo(-0.25, 6);
    } finally {
      await session.release();
    }
  });
});

describe('a head bundle on the tiny features backbone', () => {
  let work: string;
  let outDir: string;
  const head = seededHead(featureSize);

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'walkscope-head-bundle-'));
    outDir = join(work, 'with-head');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes a bundle openBundle accepts: output logit [N, 1] of class ASD, threshold 0.5, the head recorded', async () => {
    const written = await writeHeadBundle(backboneDir, head, details, outDir);
    expect(readdirSync(outDir).sort()).toEqual(['manifest.json', 'model.onnx']);
    const bundle = await openBundle(outDir);
    try {
      expect(bundle.manifest).toEqual(written);
      expect(bundle.sha256).toBe(createHash('sha256').update(readFileSync(join(outDir, 'model.onnx'))).digest('hex'));
      expect(bundle.checks.find((c) => c.name === 'output-shape')!.detail).toBe('logit [batch, 1]');
      const backbone = JSON.parse(readFileSync(join(backboneDir, 'manifest.json'), 'utf8')) as Record<string, any>;
      expect(bundle.manifest).toMatchObject({
        id: details.id,
        name: details.name,
        version: details.version,
        input: backbone.input,
        output: { name: 'logit', kind: 'logit', positiveClass: 'ASD', classNames: ['ASD', 'not ASD'] },
        threshold: 0.5,
        provenance: details.provenance,
        intendedUse: details.intendedUse,
        validated: false,
        architecture: {
          ...backbone.architecture,
          head: { kind: 'logistic-regression', features: featureSize, backboneId: backbone.id, backboneSha256: backbone.modelSha256 },
        },
      });
      // the backbone's bytes come first, unchanged: the head is only appended
      const original = readFileSync(join(backboneDir, 'model.onnx'));
      expect(Buffer.from(readFileSync(join(outDir, 'model.onnx')).subarray(0, original.length)).equals(original)).toBe(true);
      // a classifier to the app (not a feature backbone), whose raw output reads as P(ASD) = sigmoid(logit)
      expect(() => classifierManifest(bundle.manifest)).not.toThrow();
      const output = bundle.manifest.output as { kind: 'logit'; positiveClass: string; classNames: string[] };
      expect(probabilityOfAsd(1.5, output)).toBe(sigmoid(1.5));
    } finally {
      await bundle.dispose();
    }
  });

  it("gives on the reference batch the backbone's features unchanged, and logits equal to the head's in float64", async () => {
    const { input, shape } = referenceBatch('slow_r50-tiny-features');
    const [backboneFeatures] = await runOutputs(join(backboneDir, 'model.onnx'), input, shape, ['features']);
    const [features, logits] = await runOutputs(join(outDir, 'model.onnx'), input, shape, ['features', 'logit']);
    expect(features).toEqual(backboneFeatures);
    const clips = shape[0]!;
    expect(logits!.length).toBe(clips);
    let worst = 0;
    for (let n = 0; n < clips; n++) {
      const want = headLogit(head, backboneFeatures!.subarray(n * featureSize, (n + 1) * featureSize));
      const relative = Math.abs(logits![n]! - want) / Math.max(1, Math.abs(want));
      worst = Math.max(worst, relative);
    }
    console.log(`head bundle: ${clips} clips, logits ${[...logits!].map((l) => l.toFixed(4)).join(', ')}; max |diff| / max(1, |logit|) ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-5);
  });

  it('refuses a head whose length is not the feature size, naming both lengths', async () => {
    const short = seededHead(featureSize - 1);
    await expect(writeHeadBundle(backboneDir, short, details, join(work, 'short'))).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: expect.stringContaining(`the head has ${featureSize - 1} coefficients but slow_r50 features 8x64 width x0.03125 (random weights) gives ${featureSize} features per clip`),
    });
  });

  it('refuses a backbone that is a classifier', async () => {
    await expect(writeHeadBundle(join(modelFixtures, 'slow_r50-tiny'), head, details, join(work, 'on-classifier'))).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: expect.stringContaining('gives a logit, not features'),
    });
  });
});
