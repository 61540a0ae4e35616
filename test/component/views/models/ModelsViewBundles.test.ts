import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import ModelsView from '../../../../src-renderer/views/models/ModelsView.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { ModelBundle } from '../../../../src-main/contract/entities.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';
import { fakeCohort, fakeSummary } from '../../../helpers/screeningFixtures.js';

afterEach(() => {
  cleanup();
  setLanguage('en');
});

/** Upload ids the fake server hands out, one per uploaded file, in order. */
const uploadIdOf = (n: number) => String(n).padStart(32, 'a');

function fakeClient(options: { installed?: ModelBundle[]; importResult?: (request: any) => ModelBundle; sourceFor?: (file: File, n: number) => unknown } = {}) {
  const installed = [...(options.installed ?? [])];
  const requests: { method: string; request: any }[] = [];
  const uploaded: string[] = [];
  const client = {
    call: vi.fn(async (method: string, request: any) => {
      requests.push({ method, request });
      if (method === 'models.list') return [...installed];
      if (method === 'screening.list') return [fakeSummary({ status: 'accepted', active: true })];
      if (method === 'studies.list') return [];
      if (method === 'screening.cohort') return fakeCohort();
      if (method === 'models.import') {
        const model = options.importResult ? options.importResult(request) : bundle();
        installed.push(model);
        return model;
      }
      throw new Error(`unexpected ${method}`);
    }),
    importSourceFor: vi.fn(async (file: File) => {
      uploaded.push(file.name);
      return options.sourceFor ? options.sourceFor(file, uploaded.length) : { kind: 'upload', uploadId: uploadIdOf(uploaded.length), fileName: file.name };
    }),
    on: () => () => {},
  } as unknown as WalkScopeClient;
  return { client, uploaded, imports: () => requests.filter((r) => r.method === 'models.import').map((r) => r.request) };
}

/** The tiny random-weight test bundle as models.list gives it (not a clinical model). */
function bundle(overrides: Partial<ModelBundle> = {}): ModelBundle {
  return {
    id: 'slow_r50-tiny-test',
    name: 'slow_r50 tiny',
    version: '0.0.1',
    architecture: 'slow_r50',
    sha256: '5cbba234291dc49f4afae981b813f5c16daca5694ba223ba52ec998c1253b050',
    validated: false,
    importedAt: '2026-11-27T10:00:00Z',
    kind: 'classifier',
    featureSize: null,
    threshold: 0.5,
    intendedUse: 'Software testing only.',
    input: { frames: 8, clipSeconds: 1, fps: 30, size: 64 },
    provenance: {
      trainingData: 'none: randomly initialised weights, for software testing only',
      date: '2026-12-02',
      authors: ['WalkScope tools/models/export_reference.py'],
      checkpoint: { file: 'made-up.ckpt', sha256: 'c'.repeat(64) },
      validation: 'not validated: made-up test bundle',
      crossValidated: null,
    },
    importedFrom: 'slow_r50-tiny.zip',
    manifest: {},
    ...overrides,
  };
}

/** The details list of a bundle as "term: description" lines. */
async function details(name: string): Promise<string[]> {
  const list = await screen.findByRole('article', { name: `Model ${name}` });
  const dl = list.querySelector('dl')!;
  return [...dl.querySelectorAll('dt')].map((dt) => `${dt.textContent}: ${dt.nextElementSibling!.textContent!.replace(/\s+/g, ' ').trim()}`);
}

/** A browser directory entry holding these files (what webkitGetAsEntry gives for a dropped folder). */
function folderEntry(name: string, files: File[]) {
  const batches = [files.slice(0, 2), files.slice(2), []];
  let read = 0;
  return {
    isDirectory: true,
    isFile: false,
    name,
    createReader: () => ({
      readEntries: (done: (entries: unknown[]) => void) =>
        done((batches[read++] ?? []).map((file) => ({ isFile: true, isDirectory: false, name: file.name, file: (ok: (f: File) => void) => ok(file) }))),
    }),
  };
}

const zone = () => screen.getByRole('region', { name: 'Import model bundles: drop .zip files or bundle folders here' });
/** A drop of folders: the browser lists each folder among the files too, and as a directory entry among the items. */
const dropFolders = (entries: ReturnType<typeof folderEntry>[], files: File[] = []) =>
  fireEvent.drop(zone(), {
    dataTransfer: {
      files: [...entries.map((e) => new File([], e.name)), ...files],
      items: [...entries.map((e) => ({ kind: 'file', webkitGetAsEntry: () => e })), ...files.map((f) => ({ kind: 'file', webkitGetAsEntry: () => ({ isFile: true, isDirectory: false, name: f.name }) }))],
    },
  });

const bundleFiles = () => [new File(['{}'], 'manifest.json'), new File(['onnx'], 'model.onnx'), new File(['notes'], 'README.md'), new File(['big'], 'checkpoint.ckpt')];

describe('the bundles of the models page', () => {
  it('shows each bundle’s clip, input size, decision threshold and provenance', async () => {
    const { client } = fakeClient({ installed: [bundle()] });
    render(ModelsView, { client });
    const lines = await details('slow_r50 tiny');
    expect(lines).toEqual([
      'Id, version: slow_r50-tiny-test, 0.0.1',
      'Architecture: slow_r50',
      'Clip: 8 frames from 1 s of video at 30 fps',
      'Input size: 64 × 64 pixels',
      'Decision threshold: ASD when P(ASD) ≥ 0.5',
      'Intended use: Software testing only.',
      'Training data: none: randomly initialised weights, for software testing only',
      'Date, authors: 2026-12-02, WalkScope tools/models/export_reference.py',
      `Checkpoint: made-up.ckpt (SHA-256 ${'c'.repeat(64)})`,
      'Validation: not validated: made-up test bundle',
      'SHA-256: 5cbba234291dc49f4afae981b813f5c16daca5694ba223ba52ec998c1253b050 (checked on import and before every run)',
      'Imported from: slow_r50-tiny.zip',
      expect.stringMatching(/^Imported: .*2026/),
    ]);
  });

  it('shows a feature backbone as such, with its features per clip and no decision threshold', async () => {
    const backbone = bundle({ id: 'slow_r50-t8-224-random-features', name: 'slow_r50 features 8x224 (random weights)', kind: 'features', featureSize: 2048, threshold: null, input: { frames: 8, clipSeconds: 1, fps: 30, size: 224 } });
    const { client } = fakeClient({ installed: [backbone, bundle()] });
    render(ModelsView, { client });
    const lines = await details('slow_r50 features 8x224 (random weights)');
    expect(lines.slice(0, 5)).toEqual([
      'Id, version: slow_r50-t8-224-random-features, 0.0.1',
      'Architecture: slow_r50',
      'Clip: 8 frames from 1 s of video at 30 fps',
      'Input size: 224 × 224 pixels',
      'Output: Feature backbone (2048 features per clip) It gives no verdict on its own: a head trained on its features makes a classifier.',
    ]);
    expect(lines.filter((l) => l.startsWith('Decision threshold'))).toEqual([]);
    // the classifier next to it keeps its threshold row
    expect((await details('slow_r50 tiny')).filter((l) => l.startsWith('Decision threshold') || l.startsWith('Output'))).toEqual(['Decision threshold: ASD when P(ASD) ≥ 0.5']);
  });

  it('says a feature backbone in Japanese', async () => {
    setLanguage('ja');
    const { client } = fakeClient({ installed: [bundle({ name: 'backbone', kind: 'features', featureSize: 2048, threshold: null })] });
    render(ModelsView, { client });
    const list = await screen.findByRole('article', { name: 'モデル backbone' });
    const terms = [...list.querySelectorAll('dt')].map((dt) => dt.textContent);
    expect(terms).toContain('出力');
    expect(terms).not.toContain('判定閾値');
    expect(list.textContent).toContain('特徴抽出バックボーン（クリップあたり 2048 個の特徴量）');
  });

  it('says what the manifest does not state, and when the import name was not kept', async () => {
    const { client } = fakeClient({ installed: [bundle({ input: { frames: 16, clipSeconds: 2, fps: null, size: 112 }, provenance: { trainingData: 'site A', date: '2026-01-05', authors: [], checkpoint: null, validation: null, crossValidated: null }, importedFrom: null })] });
    render(ModelsView, { client });
    const lines = await details('slow_r50 tiny');
    expect(lines).toContain('Clip: 16 frames from 2 s of video at 30 fps (not stated; the default)');
    expect(lines).toContain('Input size: 112 × 112 pixels');
    expect(lines).toContain('Date, authors: 2026-01-05, no authors named');
    expect(lines).toContain('Imported from: not recorded (installed before WalkScope kept it)');
    expect(lines.some((l) => l.startsWith('Checkpoint') || l.startsWith('Validation'))).toBe(false);
  });
});

describe('importing a bundle folder', () => {
  it('uploads the dropped folder’s manifest.json and model.onnx, nothing else, and imports them as one folder', async () => {
    const { client, uploaded, imports } = fakeClient({ importResult: () => bundle({ importedFrom: 'slow_r50-tiny' }) });
    render(ModelsView, { client });
    await screen.findByText('No classification model is installed.');
    await dropFolders([folderEntry('slow_r50-tiny', bundleFiles())]);
    await screen.findByRole('article', { name: 'Model slow_r50 tiny' });
    expect(uploaded).toEqual(['manifest.json', 'model.onnx']);
    expect(imports()).toEqual([
      {
        source: {
          kind: 'uploadFolder',
          folderName: 'slow_r50-tiny',
          files: [
            { uploadId: uploadIdOf(1), fileName: 'manifest.json' },
            { uploadId: uploadIdOf(2), fileName: 'model.onnx' },
          ],
        },
      },
    ]);
    expect(screen.getByRole('status').textContent).toBe('Installed slow_r50 tiny 0.0.1 from slow_r50-tiny.');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('imports a folder and a zip dropped together, one at a time', async () => {
    const { client, imports } = fakeClient({ importResult: (r) => bundle({ id: `made-up-${r.source.kind}`, name: `Made-up ${r.source.kind}` }) });
    render(ModelsView, { client });
    await screen.findByText('No classification model is installed.');
    await dropFolders([folderEntry('bundle-a', bundleFiles().slice(0, 2))], [new File(['PK'], 'bundle-b.zip')]);
    await waitFor(() => expect(imports()).toHaveLength(2));
    await screen.findByRole('article', { name: 'Model Made-up upload' });
    await screen.findByRole('article', { name: 'Model Made-up uploadFolder' });
    expect(imports().map((r) => r.source.kind).sort()).toEqual(['upload', 'uploadFolder']);
    expect(imports().find((r) => r.source.kind === 'uploadFolder').source.folderName).toBe('bundle-a');
    expect(imports().find((r) => r.source.kind === 'upload').source.fileName).toBe('bundle-b.zip');
  });

  it('names the folder, never an upload id, when the import is refused', async () => {
    const { client } = fakeClient({
      importResult: () => {
        throw new Error('The model bundle was refused: the bundle has no model.onnx (my-model).');
      },
    });
    render(ModelsView, { client });
    await screen.findByText('No classification model is installed.');
    await dropFolders([folderEntry('my-model', [new File(['{}'], 'manifest.json')])]);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('my-model: The model bundle was refused: the bundle has no model.onnx (my-model).');
    expect(alert.textContent).not.toContain(uploadIdOf(1));
  });

  it('refuses a folder with no bundle file in it, by its name, and uploads nothing', async () => {
    const { client, uploaded, imports } = fakeClient();
    render(ModelsView, { client });
    await screen.findByText('No classification model is installed.');
    await dropFolders([folderEntry('holiday-photos', [new File(['x'], 'beach.jpg')])]);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('holiday-photos holds neither manifest.json nor model.onnx: a bundle folder holds both.');
    expect(uploaded).toEqual([]);
    expect(imports()).toEqual([]);
  });

  it('imports the folder chosen with the folder picker: the one holding manifest.json', async () => {
    const { client, uploaded, imports } = fakeClient();
    render(ModelsView, { client });
    await screen.findByText('No classification model is installed.');
    const picker = screen.getByLabelText('Choose a model bundle folder (the one holding manifest.json)') as HTMLInputElement;
    expect(picker.hasAttribute('webkitdirectory')).toBe(true);
    const inFolder = (path: string, body = 'x') => {
      const file = new File([body], path.split('/').at(-1)!);
      Object.defineProperty(file, 'webkitRelativePath', { value: path });
      return file;
    };
    Object.defineProperty(picker, 'files', { value: [inFolder('exports/README.md'), inFolder('exports/x3d-site-a/manifest.json'), inFolder('exports/x3d-site-a/model.onnx'), inFolder('exports/old/model.onnx')], configurable: true });
    await fireEvent.change(picker);
    await waitFor(() => expect(imports()).toHaveLength(1));
    expect(uploaded).toEqual(['manifest.json', 'model.onnx']);
    expect(imports()[0]).toEqual({ source: { kind: 'uploadFolder', folderName: 'x3d-site-a', files: [{ uploadId: uploadIdOf(1), fileName: 'manifest.json' }, { uploadId: uploadIdOf(2), fileName: 'model.onnx' }] } });
  });

  it('in the desktop app, where files have paths, imports the folder they are in', async () => {
    const { client, imports } = fakeClient({ sourceFor: (file) => ({ kind: 'path', path: `/home/dr/bundles/slow_r50-tiny/${file.name}` }) });
    render(ModelsView, { client });
    await screen.findByText('No classification model is installed.');
    await dropFolders([folderEntry('slow_r50-tiny', bundleFiles())]);
    await waitFor(() => expect(imports()).toHaveLength(1));
    expect(imports()[0]).toEqual({ source: { kind: 'path', path: '/home/dr/bundles/slow_r50-tiny' } });
  });
});

/** Every text and accessible name on the page, so a raw catalogue key would show up. */
function everyWord(): string {
  const attributes = [...document.body.querySelectorAll('[aria-label], [placeholder], [label], [title]')].flatMap((el) => ['aria-label', 'placeholder', 'label', 'title'].map((a) => el.getAttribute(a) ?? ''));
  return [document.body.textContent ?? '', ...attributes].join('\n');
}

describe('the models page in Japanese', () => {
  it('shows the bundles, the screening models and the training form in Japanese, with no raw key', async () => {
    setLanguage('ja');
    const { client } = fakeClient({ installed: [bundle()] });
    render(ModelsView, { client });
    await screen.findByRole('heading', { name: '分類モデル' });
    const article = await screen.findByRole('article', { name: 'モデル slow_r50 tiny' });
    expect(within(article).getByText('未検証')).toBeTruthy();
    const dl = article.querySelector('dl')!;
    const line = (term: string) => [...dl.querySelectorAll('dt')].find((dt) => dt.textContent === term)?.nextElementSibling?.textContent?.replace(/\s+/g, ' ').trim();
    expect(line('クリップ')).toBe('動画 1 秒から 8 フレーム (30 fps)');
    expect(line('入力サイズ')).toBe('64 × 64 ピクセル');
    expect(line('判定閾値')).toBe('P(ASD) ≥ 0.5 で ASD');
    expect(line('取り込み元')).toBe('slow_r50-tiny.zip');
    expect(screen.getByRole('region', { name: 'モデルバンドルの取り込み：.zip ファイルまたはバンドルフォルダをここにドロップ' })).toBeTruthy();
    const row = await screen.findByRole('row', { name: 'スクリーニングモデル Made-up posture model' });
    expect(within(row).getAllByRole('cell')[1]!.textContent).toBe('採用 (有効)');
    await fireEvent.click(screen.getByRole('button', { name: '患者データから学習…' }));
    const counts = await screen.findByRole('table', { name: 'クラスごとの患者数' });
    expect(within(counts).getByText('DHS 6, LCS 5, その他 3')).toBeTruthy();
    expect(screen.getByText(/対照/)).toBeTruthy();
    expect(screen.getByRole('button', { name: '学習' })).toBeTruthy();
    expect(screen.getByText('患者 26 人、矢状面セグメント 300 件。学習には各クラス 10 人以上の患者が必要です。')).toBeTruthy();
    const words = everyWord();
    expect(words).not.toMatch(/\bmodels\.[a-zA-Z]/);
    expect(words).not.toMatch(/\bmeasures\.[a-zA-Z]/);
    expect(words).not.toContain('Classification models');
    expect(words).not.toContain('Train from patients');
  });
});
