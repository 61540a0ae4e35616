import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';

/**
 * A model bundle imported as a folder of uploaded files (a dropped folder, or a picked
 * manifest.json with the files beside it) on the real back end. The bundle is the tiny
 * random-weight test fixture, not a clinical model.
 */
const fixture = resolve(import.meta.dirname, '../../fixtures/models/slow_r50-tiny');

describe('importing a model bundle folder', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ app, dispose } = await openTempApp());
  });
  afterAll(async () => dispose());

  const upload = async (bytes: Buffer) => (await app.uploads.receive(Readable.from([bytes]))).uploadId;
  const files = async (names: string[]) => Promise.all(names.map(async (fileName) => ({ uploadId: await upload(readFileSync(resolve(fixture, fileName))), fileName })));

  it('installs the bundle from its files, and keeps none of the uploads', async () => {
    const bundle = ok<{ id: string; name: string }>(await app.call('models.import', { source: { kind: 'uploadFolder', folderName: 'slow_r50-tiny', files: await files(['manifest.json', 'model.onnx']) } }));
    expect(bundle.id).toBe(JSON.parse(readFileSync(resolve(fixture, 'manifest.json'), 'utf8')).id);
    expect(ok<Array<{ id: string }>>(await app.call('models.list', {})).map((m) => m.id)).toContain(bundle.id);
    expect(await app.uploads.count()).toBe(0);
  });

  it('lists the bundle with its clip, its provenance and the folder name it was imported from', async () => {
    const [listed] = ok<Array<Record<string, unknown>>>(await app.call('models.list', {}));
    expect(listed).toMatchObject({
      id: 'slow_r50-tiny-test',
      threshold: 0.5,
      input: { frames: 8, clipSeconds: 1, fps: 30, size: 64 },
      provenance: { trainingData: 'none: randomly initialised weights, for software testing only', date: '2026-12-02', authors: ['WalkScope tools/models/export_reference.py'], checkpoint: null, validation: null, crossValidated: null },
      importedFrom: 'slow_r50-tiny',
      sha256: '5cbba234291dc49f4afae981b813f5c16daca5694ba223ba52ec998c1253b050',
    });
  });

  it('names the folder the user gave when a file is missing, never an upload id or a temporary path', async () => {
    const given = await files(['manifest.json']);
    const result = await app.call('models.import', { source: { kind: 'uploadFolder', folderName: 'my-model', files: given } });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.error.message;
    expect(message).toContain('my-model');
    expect(message).not.toContain(given[0]!.uploadId);
    expect(message).not.toMatch(/vault|tmp|bundle-folder/);
    expect(await app.uploads.count()).toBe(0);
  });

  it('names the zip the user gave when it is not a bundle', async () => {
    const uploadId = await upload(Buffer.from('this is not a zip file\n'.repeat(20)));
    const result = await app.call('models.import', { source: { kind: 'upload', uploadId, fileName: 'model-v2.zip' } });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.error.message;
    expect(message).toContain('model-v2.zip');
    expect(message).not.toContain(uploadId);
    expect(await app.uploads.count()).toBe(0);
  });

  it('says which file is no longer there, by its name', async () => {
    const result = await app.call('models.import', { source: { kind: 'uploadFolder', folderName: 'gone', files: [{ uploadId: 'a'.repeat(32), fileName: 'manifest.json' }] } });
    expect(result).toMatchObject({ ok: false, error: { code: 'UPLOAD_NOT_FOUND' } });
    expect(result.ok ? '' : result.error.message).toBe('The uploaded file gone/manifest.json is no longer available. Drop the file again.');
  });

  it('refuses a file named twice or a name with a folder in it', async () => {
    const twice = await app.call('models.import', { source: { kind: 'uploadFolder', folderName: 'dup', files: [...(await files(['manifest.json'])), ...(await files(['manifest.json']))] } });
    expect(twice).toMatchObject({ ok: false, error: { code: 'MODEL_INVALID', message: 'The model bundle was refused: dup holds manifest.json twice.' } });
    expect(await app.uploads.count()).toBe(0);
    const sneaky = await app.call('models.import', { source: { kind: 'uploadFolder', folderName: 'x', files: [{ uploadId: 'b'.repeat(32), fileName: '../manifest.json' }] } });
    expect(sneaky).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(sneaky.ok ? '' : sneaky.error.message).toContain('a file name without folders');
  });
});

describe('naming an error by the user\'s file', () => {
  it('puts the given name where the internal path or upload id was, or adds it', async () => {
    const { AppError } = await import('../../../src-main/contract/errors.js');
    const { namedAs } = await import('../../../src-main/services/modelImportSource.js');
    const said = (e: unknown) => (e as Error).message;
    expect(said(namedAs(new AppError('MODEL_INVALID', '/data/uploads/abc123 is neither a bundle folder nor a readable zip file'), '/data/uploads/abc123', 'm.zip'))).toBe('The model bundle was refused: m.zip is neither a bundle folder nor a readable zip file.');
    expect(said(namedAs(new AppError('MODEL_INVALID', 'abc123 is not a zip'), '/data/uploads/abc123', 'm.zip'))).toBe('The model bundle was refused: m.zip is not a zip.');
    expect(said(namedAs(new AppError('MODEL_INVALID', 'the bundle has no model.onnx'), '/v/tmp/x-bundle-folder', 'my-model'))).toBe('The model bundle was refused: the bundle has no model.onnx (my-model).');
    const plain = new Error('not ours');
    expect(namedAs(plain, '/x', 'y')).toBe(plain);
  });

  it('keeps the name the user gave the bundle by: the zip, the folder, or a path\'s last part', async () => {
    const { sourceName } = await import('../../../src-main/services/modelImportSource.js');
    expect(sourceName({ kind: 'upload', uploadId: 'a'.repeat(32), fileName: 'model-v2.zip' })).toBe('model-v2.zip');
    expect(sourceName({ kind: 'uploadFolder', folderName: 'my-model', files: [{ uploadId: 'a'.repeat(32), fileName: 'manifest.json' }] })).toBe('my-model');
    expect(sourceName({ kind: 'path', path: '/models/slow_r50-tiny/' })).toBe('slow_r50-tiny');
    expect(sourceName({ kind: 'path', path: 'C:\\models\\x3d.zip' })).toBe('x3d.zip');
  });
});
