import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { openBundle } from '../../../src-main/classify/bundle.js';
import type { BundleManifest } from '../../../src-main/classify/bundleManifest.js';
import { openSession } from '../../../src-main/runtime/openSession.js';
import { maxAbsDiff, readFloat32 } from '../classify/fixtures.js';
import { runProcess } from '../../helpers/runProcess.js';

/**
 * tools/models/export_reference.py against genuine pytorchvideo checkpoints: its networks'
 * state_dict equals the layout tools/models/test_checkpoint_layout.py writes out from
 * pytorchvideo's and fvcore's sources, and a fake Walk_Video_PyTorch Lightning checkpoint in
 * that layout goes through `export --checkpoint` to an ONNX bundle whose onnxruntime output
 * matches torch's. Needs Debian's python3-torch; without it every test here is skipped.
 */
const root = resolve(import.meta.dirname, '../../..');
const python = '/usr/bin/python3';
const tool = join(root, 'tools/models/export_reference.py');
const layoutScript = join(root, 'tools/models/test_checkpoint_layout.py');
const haveTorch = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (!haveTorch) console.log(`[export_reference] ${python} cannot import torch (Debian's python3-torch is not installed): the checkpoint layout and round-trip tests are skipped.`);

const run = (script: string, args: string[]) => runProcess(python, [script, ...args]);

function json<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The bundle's reference batch through onnxruntime-node, against torch's reference output. */
async function onnxruntimeVsTorch(dir: string): Promise<{ got: Float32Array; torch: Float32Array; manifest: BundleManifest }> {
  const bundle = await openBundle(dir); // checks the schema, the SHA-256 and the ONNX shapes
  const meta = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as { input: number[] };
  const f = Math.fround;
  const input = Float32Array.from(readFileSync(join(dir, 'reference_input.u8')), (p) => f(f(f(p / 255) - f(0.45)) / f(0.225)));
  const opened = await openSession(bundle.modelPath, { providers: ['cpu'], intraOpThreads: 2 });
  try {
    const got = (await opened.session.run({ video: new ort.Tensor('float32', input, meta.input) })).logit!.data as Float32Array;
    return { got, torch: readFloat32(join(dir, 'reference_output.bin')), manifest: bundle.manifest };
  } finally {
    await opened.session.release();
    await bundle.dispose();
  }
}

describe.skipIf(!haveTorch)('export_reference.py takes genuine pytorchvideo checkpoints', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'walkscope-export-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A fake Walk_Video_PyTorch Lightning checkpoint in pytorchvideo's layout (random weights). */
  const fakeCheckpoint = async (name: string, args: string[]) => {
    const file = join(work, name);
    const made = await run(layoutScript, ['checkpoint', ...args, '--out', file]);
    expect(made.status, made.stderr).toBe(0);
    return file;
  };

  it("every architecture's state_dict has pytorchvideo's keys and shapes exactly (no missing, no unexpected)", async () => {
    const r = await run(layoutScript, ['layout']);
    const report = json<{ ok: boolean; results: Array<{ config: string; expectedKeys: number; exporterKeys: number; missing: string[]; unexpected: string[]; shapeMismatches: string[] }> }>(r.stdout);
    for (const row of report.results) {
      console.log(`[layout] ${row.config}: ${row.expectedKeys} keys expected, ${row.exporterKeys} in the exporter's network`);
      expect({ config: row.config, missing: row.missing, unexpected: row.unexpected, shapes: row.shapeMismatches }).toEqual({ config: row.config, missing: [], unexpected: [], shapes: [] });
      expect(row.exporterKeys).toBe(row.expectedKeys);
    }
    expect(report.results.map((row) => row.config)).toEqual(['slow_r50 depth 50', 'slow_r50 depth 101', 'slow_r50 depth 152', 'resnet depth 50', 'csn depth 101', 'r2plus1d depth 50', 'x3d xs', 'x3d s', 'x3d m']);
    expect(report.ok).toBe(true);
    expect(r.status).toBe(0);
  });

  it('refuses an X3D checkpoint whose squeeze-excitation keys are block.1/block.3, naming 60 missing and 60 unexpected keys', async () => {
    const ckpt = await fakeCheckpoint('x3d-old-se.ckpt', ['--arch', 'x3d', '--se-layout', 'old']);
    const r = await run(tool, ['export', '--arch', 'x3d', '--variant', 's', '--size', '182', '--checkpoint', ckpt, '--out', join(work, 'refused')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the checkpoint does not fit --arch x3d \(variant s, width x1\): 60 missing \['blocks\.1\.res_blocks\.0\.branch2\.norm_b\.1\.block\.0\.weight'.*60 unexpected \['blocks\.1\.res_blocks\.0\.branch2\.norm_b\.1\.block\.1\.weight'/);
  });

  it('X3D-S 13x182 from a checkpoint: loads strictly, is named after the file and its SHA-256, states no training, and onnxruntime matches torch within 7e-5', async () => {
    const ckpt = await fakeCheckpoint('x3d_s-epoch=7.ckpt', ['--arch', 'x3d', '--seed', '1']);
    const out = join(work, 'x3d');
    const r = await run(tool, ['export', '--arch', 'x3d', '--variant', 's', '--size', '182', '--checkpoint', ckpt, '--reference-io', '--reference-batch', '3', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("frames 13: default, x3d_s's hub input_clip_length");
    const onnx = json<{ checked?: boolean; skipped?: string; inputs: string[]; outputs: string[]; initializers: string[] }>((await run(layoutScript, ['check-onnx', '--dir', out])).stdout);
    if (onnx.skipped) console.log(`[export_reference] ${onnx.skipped}: the ONNX checker was not run`);
    else {
      expect(onnx).toMatchObject({ checked: true, inputs: ['video'], outputs: ['logit'] });
      expect(onnx.initializers).toContain('blocks.1.res_blocks.0.branch2.norm_b.1.block.0.weight');
    }

    const { got, torch, manifest } = await onnxruntimeVsTorch(out);
    const diff = maxAbsDiff(got, torch);
    console.log(`[round trip] x3d_s 13x182 from a checkpoint: max |onnxruntime - torch| = ${diff.toExponential(2)} on logits ${[...torch].map((v) => v.toFixed(4)).join(', ')}`);
    expect(diff).toBeLessThanOrEqual(7e-5);
    expect(Math.max(...torch) - Math.min(...torch)).toBeGreaterThan(1e-2); // the clips give different logits

    const hash = sha256(ckpt);
    expect(manifest.id).toBe(`x3d_s-${hash.slice(0, 12)}`);
    expect(manifest.name).toBe(`x3d_s from x3d_s-epoch=7.ckpt (sha256 ${hash.slice(0, 12)})`);
    expect(manifest.provenance).toMatchObject({
      checkpoint: { file: 'x3d_s-epoch=7.ckpt', sha256: hash },
      trainingData: 'not stated: exported from a checkpoint; nothing is known of its training',
      authors: [],
    });
    expect(manifest.provenance.validation).toBeUndefined();
    expect(manifest.validated).toBe(false);
    expect(manifest.intendedUse).toMatch(/^Not stated when exported/);
    expect(manifest.input).toMatchObject({ frames: 13, size: 182 });
    expect(manifest.architecture).toMatchObject({
      family: 'x3d', variant: 's', headPoolKernel: [13, 5, 5], hubCropSize: 160,
      inputChoice: { frames: "13: default, x3d_s's hub input_clip_length", size: expect.stringMatching(/^182: --size \(x3d_s trains on 160x160 crops .* 182 with three/) },
    });
    expect(manifest.architecture).not.toHaveProperty('headPoolShrunk');
  });

  it('slow_r50 8x224 from a checkpoint with stated training and validation: recorded as stated, time-as-batch layout, onnxruntime matches torch within 7e-5', async () => {
    const ckpt = await fakeCheckpoint('slow.ckpt', ['--arch', 'slow_r50', '--seed', '2']);
    const out = join(work, 'slow');
    const r = await run(tool, ['export', '--arch', 'slow_r50', '--checkpoint', ckpt, '--trained-on', 'Fold 1 of the clinic walking videos (stated for this test)',
      '--validated', 'Validation stated for this test only', '--intended-use', 'Software test', '--author', 'Test Author', '--reference-io', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const { got, torch, manifest } = await onnxruntimeVsTorch(out);
    const diff = maxAbsDiff(got, torch);
    console.log(`[round trip] slow_r50 8x224 from a checkpoint: max |onnxruntime - torch| = ${diff.toExponential(2)} on logits ${[...torch].map((v) => v.toFixed(4)).join(', ')}`);
    expect(diff).toBeLessThanOrEqual(7e-5);
    expect(manifest).toMatchObject({
      id: `slow_r50-${sha256(ckpt).slice(0, 12)}`,
      validated: true,
      intendedUse: 'Software test',
      provenance: { trainingData: 'Fold 1 of the clinic walking videos (stated for this test)', validation: 'Validation stated for this test only', authors: ['Test Author'] },
      architecture: { headPoolKernel: [8, 7, 7], exportLayout: expect.stringMatching(/^time-as-batch/), inputChoice: { frames: "8: default, slow_r50's 8x8 recipe (8 frames)" } },
    });
  });

  it('slow_r50 with logits in the thousands passes the relative time-as-batch self-check, and onnxruntime matches torch relatively', async () => {
    const ckpt = await fakeCheckpoint('slow-large.ckpt', ['--arch', 'slow_r50', '--seed', '3', '--logit-scale', '3000']);
    const out = join(work, 'slow-large');
    const r = await run(tool, ['export', '--arch', 'slow_r50', '--frames', '8', '--size', '224', '--checkpoint', ckpt, '--reference-io', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const { got, torch, manifest } = await onnxruntimeVsTorch(out);
    const layout = String(manifest.architecture.exportLayout);
    const [, gap, scale] = /max \|diff\| to the NCTHW forward (\S+) on logits up to (\S+)$/.exec(layout)!;
    console.log(`[self-check] slow_r50 large logits: time-as-batch vs NCTHW max |diff| ${gap} on logits up to ${scale}; logits ${[...torch].map((v) => v.toFixed(2)).join(', ')}`);
    expect(Number(scale)).toBeGreaterThan(500);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - torch[i]!) / Math.max(1, Math.abs(torch[i]!)));
    console.log(`[round trip] slow_r50 large logits: max |onnxruntime - torch| = ${maxAbsDiff(got, torch).toExponential(2)}, relative ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(7e-5);
  });

  /** The bundle's reference batch through onnxruntime-node on the "features" output, against torch's. */
  async function featuresVsTorch(dir: string) {
    const bundle = await openBundle(dir); // the schema, the SHA-256 and the ONNX shapes ([N, featureSize])
    const meta = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as { input: number[]; output: number[] };
    const f = Math.fround;
    const input = Float32Array.from(readFileSync(join(dir, 'reference_input.u8')), (p) => f(f(f(p / 255) - f(0.45)) / f(0.225)));
    const opened = await openSession(bundle.modelPath, { providers: ['cpu'], intraOpThreads: 2 });
    try {
      const out = (await opened.session.run({ video: new ort.Tensor('float32', input, meta.input) })).features!;
      return { dims: [...out.dims], got: out.data as Float32Array, torch: readFloat32(join(dir, 'reference_output.bin')), meta, bundle };
    } finally {
      await opened.session.release();
      await bundle.dispose();
    }
  }

  it('--features, random weights, X3D-XS 4x160 (the smallest architecture): a backbone bundle whose graph gives the 2048 pooled features per clip', async () => {
    const out = join(work, 'x3d-xs-features');
    const r = await run(tool, ['export', '--arch', 'x3d', '--variant', 'xs', '--size', '160', '--features', '--reference-io', '--reference-batch', '3', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(json<{ featureSize: number }>(r.stdout).featureSize).toBe(2048);
    const onnx = json<{ checked?: boolean; skipped?: string; inputs: string[]; outputs: string[]; initializers: string[] }>((await run(layoutScript, ['check-onnx', '--dir', out])).stdout);
    if (onnx.skipped) console.log(`[export_reference] ${onnx.skipped}: the ONNX checker was not run`);
    else {
      expect(onnx).toMatchObject({ checked: true, inputs: ['video'], outputs: ['features'] });
      expect(onnx.initializers.some((name) => name.includes('proj'))).toBe(false); // the final projection is not in the graph
    }
    const { dims, got, torch, meta, bundle } = await featuresVsTorch(out);
    expect(dims).toEqual([3, 2048]);
    expect(meta.output).toEqual([3, 2048]);
    expect(bundle.checks.find((c) => c.name === 'output-shape')!.detail).toBe('features [batch, 2048]');
    const diff = maxAbsDiff(got, torch);
    console.log(`[round trip] x3d_xs 4x160 features: max |onnxruntime - torch| = ${diff.toExponential(2)} over 3 x 2048 features up to ${Math.max(...torch.map(Math.abs)).toFixed(3)}`);
    expect(diff).toBeLessThanOrEqual(1e-4);
    const { manifest } = bundle;
    expect(manifest.id).toBe('x3d_xs-t4-160-random-features');
    expect(manifest.name).toBe('x3d_xs features 4x160 (random weights)');
    expect(manifest.output).toMatchObject({ name: 'features', kind: 'features', featureSize: 2048 });
    expect(manifest).not.toHaveProperty('threshold');
    expect(manifest.output).not.toHaveProperty('classNames');
    expect(manifest.provenance).toMatchObject({ weights: 'random, for tests only', trainingData: 'none: randomly initialised weights, for software testing only' });
    expect(manifest.validated).toBe(false);
    expect(manifest.input).toMatchObject({ frames: 4, size: 160 });
    expect(manifest.architecture).toMatchObject({
      family: 'x3d', variant: 'xs', headActivation: "none: the graph ends at the head's pooled features, before its dropout and final projection",
      featuresCheck: expect.stringMatching(/^the head's projection applied to these features gives the classifier's logit: max \|diff\| /),
    });
  });

  it('--features from a checkpoint with a 400-class Kinetics projection: the projection is dropped and recorded, the rest loads strictly', async () => {
    const lightning = await fakeCheckpoint('x3d_s-for-features.ckpt', ['--arch', 'x3d', '--seed', '4']);
    // the same weights with pytorchvideo's Kinetics-400 projection in place of the one-logit one
    const ckpt = join(work, 'x3d_s-kinetics.ckpt');
    const swap = spawnSync(python, ['-c', [
      'import sys, torch',
      'c = torch.load(sys.argv[1], map_location="cpu")',
      'sd = c["state_dict"]',
      'w = [k for k in sd if k.endswith(".proj.weight")][0]',
      'sd[w] = torch.randn(400, sd[w].shape[1])',
      'sd[w[:-len("weight")] + "bias"] = torch.zeros(400)',
      'torch.save(c, sys.argv[2])',
    ].join('\n'), lightning, ckpt], { encoding: 'utf8' });
    expect(swap.status, swap.stderr).toBe(0);
    const refused = await run(tool, ['export', '--arch', 'x3d', '--variant', 's', '--size', '160', '--checkpoint', ckpt, '--out', join(work, 'never-classifier')]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("0 missing [], 0 unexpected [], 2 of another shape (checkpoint vs model) ['blocks.5.proj.weight [400, 2048] vs [1, 2048]', 'blocks.5.proj.bias [400] vs [1]']");
    const out = join(work, 'x3d-s-features');
    const r = await run(tool, ['export', '--arch', 'x3d', '--variant', 's', '--size', '160', '--features', '--checkpoint', ckpt, '--reference-io', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const { dims, got, torch, bundle } = await featuresVsTorch(out);
    expect(dims).toEqual([2, 2048]);
    expect(maxAbsDiff(got, torch)).toBeLessThanOrEqual(1e-4);
    const hash = sha256(ckpt);
    expect(bundle.manifest).toMatchObject({
      id: `x3d_s-features-${hash.slice(0, 12)}`,
      name: `x3d_s features from x3d_s-kinetics.ckpt (sha256 ${hash.slice(0, 12)})`,
      output: { kind: 'features', featureSize: 2048 },
      validated: false,
      provenance: { checkpoint: { file: 'x3d_s-kinetics.ckpt', sha256: hash }, weights: 'from the checkpoint x3d_s-kinetics.ckpt' },
      architecture: { projectionDropped: { checkpointWeightShape: [400, 2048], note: "the checkpoint's final projection is not in the graph" } },
    });
  });

  it('--features refuses a threshold or a positive class: a backbone gives no verdict', async () => {
    const r = await run(tool, ['export', '--arch', 'x3d', '--variant', 'xs', '--size', '160', '--features', '--threshold', '0.4', '--out', join(work, 'never-features')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--threshold and --positive-class describe a classifier; a --features bundle gives no verdict');
  });

  it('asks for what a default would guess: x3d --size, csn and r2plus1d --frames, and a head pool larger than the feature map', async () => {
    const refused = (args: string[]) => run(tool, ['export', ...args, '--out', join(work, 'never')]);
    const x3d = await refused(['--arch', 'x3d', '--variant', 'xs']);
    expect(x3d.status).toBe(1);
    expect(x3d.stderr).toContain('--arch x3d --variant xs needs --size: x3d_xs trains on 160x160 crops (the head pool is built for 160) and tests at 160 with one spatial crop or 182 with three');
    expect((await refused(['--arch', 'csn'])).stderr).toContain("--arch csn needs --frames: csn_r101's recipe is 32x2 (32 frames)");
    expect((await refused(['--arch', 'r2plus1d'])).stderr).toContain("--arch r2plus1d needs --frames: r2plus1d_r50's recipe is 16x4 (16 frames)");
    const small = await refused(['--arch', 'slow_r50', '--frames', '8', '--size', '112']);
    expect(small.status).toBe(1);
    expect(small.stderr).toContain("--arch slow_r50 at 8x112: the head's AvgPool3d kernel 8x7x7 (T x H x W, the recipe's) is larger than the 8x4x4 feature map this input gives; pytorchvideo would fail on it");
    const unstated = await refused(['--arch', 'x3d', '--size', '182', '--trained-on', 'something']);
    expect(unstated.status).toBe(2);
    expect(unstated.stderr).toContain('--trained-on, --validated and --intended-use describe a checkpoint; without --checkpoint the weights are random');
  });
});
