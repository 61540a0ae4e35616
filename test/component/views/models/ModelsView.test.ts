import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import ModelsView from '../../../../src-renderer/views/models/ModelsView.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';

afterEach(cleanup);

const uploadId = 'a'.repeat(32);

function fakeClient(importResult: (request: any) => unknown) {
  const installed: any[] = [];
  const requests: { method: string; request: any }[] = [];
  const client = {
    call: vi.fn(async (method: string, request: any) => {
      requests.push({ method, request });
      if (method === 'models.list') return [...installed];
      if (method === 'screening.list') return [];
      if (method === 'models.import') {
        const model = importResult(request);
        installed.push(model);
        return model;
      }
      throw new Error(`unexpected ${method}`);
    }),
    importSourceFor: vi.fn(async (file: File) => ({ kind: 'upload', uploadId, fileName: file.name })),
    on: () => () => {},
  } as unknown as WalkScopeClient;
  return { client, imports: () => requests.filter((r) => r.method === 'models.import').map((r) => r.request) };
}

const bundle = { id: 'tiny', name: 'slow_r50 tiny', version: '0.0.1', architecture: 'slow_r50', sha256: 'f'.repeat(64), validated: false, importedAt: '2026-11-27T10:00:00Z', threshold: 0.5, intendedUse: 'tests', manifest: {} };
const drop = (files: File[]) => fireEvent.drop(screen.getByRole('region', { name: 'Import model bundles: drop .zip files or bundle folders here' }), { dataTransfer: { files } });

describe('the models page', () => {
  it('imports a bundle zip dropped on it', async () => {
    const { client, imports } = fakeClient(() => bundle);
    render(ModelsView, { client });
    await screen.findByText('No classification model is installed.');
    await drop([new File(['PK'], 'slow_r50-tiny.zip', { type: 'application/zip' })]);
    await screen.findByRole('article', { name: 'Model slow_r50 tiny' });
    expect(imports()).toEqual([{ source: { kind: 'upload', uploadId, fileName: 'slow_r50-tiny.zip' } }]);
    expect(screen.getByRole('status').textContent).toBe('Installed slow_r50 tiny 0.0.1 from slow_r50-tiny.zip.');
  });

  it('refuses a file that is not a zip, in words, and imports the zips dropped with it', async () => {
    const { client, imports } = fakeClient(() => bundle);
    render(ModelsView, { client });
    await screen.findByText('No classification model is installed.');
    await drop([new File(['x'], 'notes.txt'), new File(['PK'], 'b.ZIP')]);
    expect(screen.getByRole('alert').textContent).toContain('notes.txt is neither a .zip file nor a bundle folder: a model bundle is a zip or a folder holding model.onnx and manifest.json.');
    await screen.findByRole('article', { name: 'Model slow_r50 tiny' });
    expect(imports()).toEqual([{ source: { kind: 'upload', uploadId, fileName: 'b.ZIP' } }]);
  });

  it('shows why a dropped bundle was refused', async () => {
    const { client } = fakeClient(() => {
      throw new Error('The model bundle was refused: the SHA-256 of model.onnx does not match the manifest.');
    });
    render(ModelsView, { client });
    await screen.findByText('No classification model is installed.');
    await drop([new File(['PK'], 'broken.zip')]);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('broken.zip: The model bundle was refused: the SHA-256 of model.onnx does not match the manifest.');
  });
});
