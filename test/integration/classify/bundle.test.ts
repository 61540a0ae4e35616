import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../../../src-main/classify/bundle.js';
import { modelFixtures } from './fixtures.js';

const tiny = join(modelFixtures, 'slow_r50-tiny');

function zipFolder(folder: string, zip: string, inner = 'bundle/'): void {
  execFileSync('python3', ['-c', 'import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED)\nfor n in ("model.onnx","manifest.json"): z.write(sys.argv[2]+"/"+n, sys.argv[3]+n)\nz.close()', zip, folder, inner]);
}

describe('model bundles are checked before use', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'walkscope-bundles-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const variant = (name: string, change: (dir: string) => void) => {
    const dir = join(work, name);
    cpSync(tiny, dir, { recursive: true });
    change(dir);
    return dir;
  };
  const editManifest = (dir: string, edit: (m: Record<string, any>) => void) => {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    edit(m);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
  };
  const rehash = (dir: string) => editManifest(dir, (m) => (m.modelSha256 = createHash('sha256').update(readFileSync(join(dir, 'model.onnx'))).digest('hex')));

  it('opens the committed tiny bundle as a folder, with its checks listed', async () => {
    const bundle = await openBundle(tiny);
    expect(bundle.manifest).toMatchObject({ id: 'slow_r50-tiny-test', validated: false, input: { frames: 8, size: 64, layout: 'NCTHW' }, output: { kind: 'logit', positiveClass: 'ASD_not' } });
    expect(bundle.sha256).toBe(createHash('sha256').update(readFileSync(join(tiny, 'model.onnx'))).digest('hex'));
    expect(bundle.checks.map((c) => c.name)).toEqual(['manifest-schema', 'sha256', 'onnx-loads', 'input-shape', 'output-shape']);
    expect(bundle.checks.find((c) => c.name === 'input-shape')!.detail).toBe('video [batch, 3, 8, 64, 64] float32');
    await bundle.dispose();
  });

  it('keeps the checkpoint and validation statement an exported bundle records (optional fields)', async () => {
    const sha = 'ab'.repeat(32);
    const dir = variant('from-checkpoint', (d) => editManifest(d, (m) => {
      m.provenance.checkpoint = { file: 'epoch=3-step=120.ckpt', sha256: sha };
      m.provenance.validation = 'Stated by the exporter: external test set of 40 patients';
    }));
    const bundle = await openBundle(dir);
    expect(bundle.manifest.provenance.checkpoint).toEqual({ file: 'epoch=3-step=120.ckpt', sha256: sha });
    expect(bundle.manifest.provenance.validation).toBe('Stated by the exporter: external test set of 40 patients');
    await bundle.dispose();
  });

  it('opens the same bundle from a zip (files at the root or in one folder)', async () => {
    const folder = await openBundle(tiny);
    for (const inner of ['', 'slow_r50-tiny/']) {
      const zip = join(work, `bundle${inner ? '-nested' : ''}.zip`);
      zipFolder(tiny, zip, inner);
      const zipped = await openBundle(zip);
      expect(zipped.sha256).toBe(folder.sha256);
      expect(zipped.source).toBe(zip);
      await zipped.dispose();
    }
  });

  const refusals: Array<[string, (dir: string) => void, RegExp]> = [
    ['a model file that does not match the SHA-256', (d) => writeFileSync(join(d, 'model.onnx'), Buffer.concat([readFileSync(join(d, 'model.onnx')), Buffer.from([0])])), /does not match the manifest's SHA-256/],
    ['a manifest whose frames contradict the ONNX input', (d) => editManifest(d, (m) => (m.input.frames = 16)), /manifest says input \[N, 3, 16, 64, 64\] but the model expects \[batch, 3, 8, 64, 64\]/],
    ['a manifest whose size contradicts the ONNX input', (d) => editManifest(d, (m) => (m.input.size = 224)), /manifest says input \[N, 3, 8, 224, 224\]/],
    ['a manifest naming an input the model does not have', (d) => editManifest(d, (m) => (m.input.name = 'frames')), /no input named "frames" \(it has video\)/],
    ['a corrupt ONNX file (hash updated to match)', (d) => {
      truncateSync(join(d, 'model.onnx'), 1000);
      rehash(d);
    }, /not a loadable ONNX model/],
    ['a manifest that is not JSON', (d) => writeFileSync(join(d, 'manifest.json'), '{ nope'), /not valid JSON/],
    ['a manifest without the validated flag', (d) => editManifest(d, (m) => delete m.validated), /validated/],
    ['a positive class that is not one of the classes', (d) => editManifest(d, (m) => (m.output.positiveClass = 'healthy')), /output.positiveClass: "healthy" is not one of classNames/],
    ['a layout other than NCTHW', (d) => editManifest(d, (m) => (m.input.layout = 'NTHWC')), /input.layout/],
    ['a missing model file', (d) => rmSync(join(d, 'model.onnx')), /no model.onnx/],
    ['a checkpoint SHA-256 that is not 64 hex characters', (d) => editManifest(d, (m) => (m.provenance.checkpoint = { file: 'epoch=3.ckpt', sha256: 'abc' })), /provenance.checkpoint.sha256 must be 64 lowercase hex characters/],
  ];
  for (const [what, change, message] of refusals) {
    it(`refuses ${what}`, async () => {
      await expect(openBundle(variant(what.replace(/\W+/g, '-'), change))).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringMatching(message) });
    });
  }

  it('refuses a file that is not a zip, and a truncated zip', async () => {
    const file = join(work, 'not-a-bundle.zip');
    writeFileSync(file, 'hello');
    await expect(openBundle(file)).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringMatching(/neither a bundle folder nor a readable zip/) });
    const zip = join(work, 'truncated.zip');
    zipFolder(tiny, zip);
    truncateSync(zip, 20_000);
    await expect(openBundle(zip)).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });

  it('refuses a zip without a manifest', async () => {
    const dir = variant('no-manifest', (d) => rmSync(join(d, 'manifest.json')));
    writeFileSync(join(dir, 'manifest.json'), '{}');
    const zip = join(work, 'no-manifest.zip');
    execFileSync('python3', ['-c', 'import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],"w")\nz.write(sys.argv[2], "model.onnx")\nz.close()', zip, join(dir, 'model.onnx')]);
    await expect(openBundle(zip)).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringMatching(/no manifest.json/) });
  });

  describe('feature backbones (export_reference.py --features)', () => {
    const features = join(modelFixtures, 'slow_r50-tiny-features');
    const featuresVariant = (name: string, change: (dir: string) => void) => {
      const dir = join(work, name);
      cpSync(features, dir, { recursive: true });
      change(dir);
      return dir;
    };

    it('opens the committed tiny features bundle: output [N, 64], no classes, no threshold', async () => {
      const bundle = await openBundle(features);
      expect(bundle.manifest.output).toMatchObject({ name: 'features', kind: 'features', featureSize: 64 });
      expect(bundle.manifest.threshold).toBeUndefined();
      expect(bundle.manifest.provenance).toMatchObject({ weights: 'random, for tests only' });
      expect(bundle.checks.find((c) => c.name === 'output-shape')!.detail).toBe('features [batch, 64]');
      await bundle.dispose();
    });

    it('refuses a features manifest whose feature size is not the ONNX output, with a sentence', async () => {
      const dir = featuresVariant('features-wrong-size', (d) => editManifest(d, (m) => (m.output.featureSize = 2048)));
      await expect(openBundle(dir)).rejects.toMatchObject({
        code: 'MODEL_INVALID',
        message: "The model bundle was refused: the manifest says 2048 features per clip but the model's output is [batch, 64], expected [N, 2048].",
      });
    });

    it('refuses a classifier manifest on a features graph (its output is not one score per clip)', async () => {
      const dir = featuresVariant('features-as-classifier', (d) => editManifest(d, (m) => {
        m.output = { name: 'features', kind: 'logit', positiveClass: 'ASD_not', classNames: ['ASD', 'ASD_not'] };
        m.threshold = 0.5;
      }));
      await expect(openBundle(dir)).rejects.toMatchObject({ code: 'MODEL_INVALID', message: "The model bundle was refused: the model's output is [batch, 64], expected one score per clip [N, 1]." });
    });
  });

  it('says when the path does not exist', async () => {
    await expect(openBundle(join(work, 'nowhere'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
