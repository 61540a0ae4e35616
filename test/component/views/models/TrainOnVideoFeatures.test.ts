import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import TrainFromPatients from '../../../../src-renderer/views/models/TrainFromPatients.svelte';
import ScreeningModelsSection from '../../../../src-renderer/views/models/ScreeningModelsSection.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Job, ModelBundle } from '../../../../src-main/contract/entities.js';
import type { FeatureExtraction, ScreeningModelSummary } from '../../../../src-main/contract/screening.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';
import { fakeCohort, fakeSummary, fakeTrainJob } from '../../../helpers/screeningFixtures.js';
import { recordingClient, type FakeHandlers } from '../../../helpers/recordingClient.js';

/**
 * Training a head on a feature backbone's video features from the Models screen, and how a head
 * shows in the list. Every bundle, count and patient here is made up for the test.
 */

afterEach(() => {
  cleanup();
  setLanguage('en');
  vi.restoreAllMocks();
});

const backboneSha = 'f'.repeat(64);

function backbone(overrides: Partial<ModelBundle> = {}): ModelBundle {
  return {
    id: 'slow_r50-tiny-features',
    name: 'slow_r50 tiny features',
    version: '0.0.1',
    architecture: 'slow_r50',
    sha256: backboneSha,
    validated: false,
    importedAt: '2026-11-27T10:00:00Z',
    kind: 'features',
    featureSize: 2048,
    threshold: null,
    intendedUse: 'Software testing only.',
    input: { frames: 8, clipSeconds: 1, fps: 30, size: 64 },
    provenance: null,
    importedFrom: null,
    manifest: {},
    ...overrides,
  };
}

const source = { bundleId: 'slow_r50-tiny-features', bundleName: 'slow_r50 tiny features', bundleSha256: backboneSha, featureSize: 2048 };

function extraction(fields: Partial<FeatureExtraction> = {}): FeatureExtraction {
  return { bundle: source, videos: 15, extracted: 8, pending: 0, notAnalysed: 3, clips: 96, queuedJobIds: [], ...fields };
}

function head(overrides: Partial<ScreeningModelSummary> = {}): ScreeningModelSummary {
  return { ...fakeSummary({ id: 'lr-00000000head', name: 'Made-up head' }), features: [], videoFeatures: source, headBundleId: null, ...overrides };
}

const featuresJob = (id: number, status: Job['status']): Job => ({ ...fakeTrainJob({ id, status }), kind: 'features', videoId: id });

const refusal = '4 analysed videos of 3 patients have no features from slow_r50 tiny features yet: extract the video features first, then train.';

function fakeClient(handlers: FakeHandlers = {}) {
  const defaults: FakeHandlers = {
    'models.list': () => [backbone(), { ...backbone({ id: 'tiny', name: 'Made-up bundle', kind: 'classifier', featureSize: null, threshold: 0.5 }) }],
    'studies.list': () => [],
    'screening.list': () => [],
    'screening.cohort': (r) => (r.videoFeaturesFrom ? fakeCohort({ features: [], videoFeatures: source, refusal, counts: { asd: 12, notAsd: 14, segments: 96, byDiagnosis: { ASD: 12, DHS: 14 } } }) : fakeCohort()),
    'features.status': () => extraction(),
    'features.extract': () => extraction({ pending: 4, queuedJobIds: [501, 502, 503, 504] }),
    'screening.train': () => fakeTrainJob(),
  };  return recordingClient(handlers, defaults);
}

const trainButton = (name = 'Train') => screen.getByRole('button', { name }) as HTMLButtonElement;
const describedBy = (el: HTMLElement) => document.getElementById(el.getAttribute('aria-describedby')!)!.textContent;

describe('what to train on', () => {
  it('offers posture measures (chosen) and the video features of each installed feature backbone, not of a classifier', async () => {
    const { client } = fakeClient();
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    const choice = await screen.findByRole('group', { name: 'Train on' });
    await within(choice).findByRole('radio', { name: /Video features from slow_r50 tiny features/ });
    const radios = within(choice).getAllByRole('radio') as HTMLInputElement[];
    expect(radios.map((r) => r.parentElement!.textContent!.replace(/\s+/g, ' ').trim())).toEqual([
      'Posture measures (the measures of each 1 s side-on segment)',
      'Video features from slow_r50 tiny features (2048 features per clip, from a feature backbone)',
    ]);
    expect(radios[0]!.checked).toBe(true);
    // the bundle's id and weights are in the tooltip, not in the sentence
    expect(radios[1]!.parentElement!.getAttribute('title')).toBe('Bundle slow_r50-tiny-features, version 0.0.1, SHA-256 ffffffffffff');
    expect(screen.getByRole('group', { name: /Measures/ })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Source' })).toBeTruthy();
  });

  it('says in a sentence how to get a feature backbone when none is installed', async () => {
    const { client } = fakeClient({ 'models.list': () => [backbone({ id: 'tiny', name: 'Made-up bundle', kind: 'classifier', featureSize: null, threshold: 0.5 })] });
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    const choice = await screen.findByRole('group', { name: 'Train on' });
    await within(choice).findByText(/No feature backbone is installed/);
    expect(within(choice).getByText(/tools\/models\/export_reference\.py --features/)).toBeTruthy();
    expect(within(choice).getAllByRole('radio')).toHaveLength(1);
  });
});

describe('training a head on video features', () => {
  it('hides the measures and fusion, shows where the extraction stands and keeps Train disabled with the refusal beside it', async () => {
    const { client, of } = fakeClient();
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    await fireEvent.click(await screen.findByRole('radio', { name: /Video features from/ }));
    const status = await screen.findByRole('status');
    expect(status.textContent).toBe('8 of 12 analysed videos have features (96 clips); 3 not analysed yet; 4 to extract.');
    expect(of('features.status').at(-1)).toEqual({ bundleId: 'slow_r50-tiny-features' });
    expect(screen.queryByRole('group', { name: /Measures/ })).toBeNull();
    expect(screen.queryByRole('combobox', { name: 'Source' })).toBeNull();
    expect((await screen.findByRole('alert')).textContent).toBe(refusal);
    expect(of('screening.cohort').at(-1)).toEqual({ videoFeaturesFrom: 'slow_r50-tiny-features' });
    // the cohort counts clips, not sagittal segments
    expect(screen.getByText(/26 patients, 96 clips; training needs at least 10 patients in each class\./)).toBeTruthy();
    expect(trainButton().disabled).toBe(true);
    expect(describedBy(trainButton())).toBe(refusal);
    await fireEvent.submit(trainButton().closest('form')!);
    expect(of('screening.train')).toEqual([]);
  });

  it('reads the extraction for the patients typed', async () => {
    const { client, of } = fakeClient();
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    await fireEvent.click(await screen.findByRole('radio', { name: /Video features from/ }));
    await fireEvent.input(screen.getByRole('textbox', { name: /Patients/ }), { target: { value: 'FAKE-001 FAKE-002' } });
    await waitFor(() => expect(of('features.status').at(-1)).toEqual({ bundleId: 'slow_r50-tiny-features', patientCodes: ['FAKE-001', 'FAKE-002'] }));
    await waitFor(() => expect(of('screening.cohort').at(-1)).toEqual({ patientCodes: ['FAKE-001', 'FAKE-002'], videoFeaturesFrom: 'slow_r50-tiny-features' }));
  });

  it('extracts the missing features as jobs, follows them, and reads the status and the cohort again when they end', async () => {
    let finished = false;
    const { client, of, emit } = fakeClient({
      'features.status': () => (finished ? extraction({ extracted: 12, clips: 144 }) : extraction()),
      'screening.cohort': (r) => fakeCohort({ features: [], videoFeatures: source, refusal: finished ? null : refusal, counts: { asd: 12, notAsd: 14, segments: finished ? 144 : 96, byDiagnosis: { ASD: 12, DHS: 14 } } }),
    });
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    await fireEvent.click(await screen.findByRole('radio', { name: /Video features from/ }));
    await screen.findByRole('alert');
    await screen.findByText(/4 to extract/);
    await fireEvent.click(screen.getByRole('button', { name: 'Extract video features' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('8 of 12 analysed videos have features (96 clips); 3 not analysed yet; 4 being extracted.'));
    expect(of('features.extract')).toEqual([{ bundleId: 'slow_r50-tiny-features' }]);
    expect(screen.getByText('The extraction runs as jobs (one per video); the jobs panel shows each one.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Extract video features' }) as HTMLButtonElement).disabled).toBe(true);
    const cohortsBefore = of('screening.cohort').length;
    await emit(featuresJob(501, 'running'));
    await emit(fakeTrainJob({ id: 900, status: 'done' })); // another kind of job: not followed here
    finished = true;
    for (const id of [501, 502, 503, 504]) await emit(featuresJob(id, 'done'));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('12 of 12 analysed videos have features (144 clips); 3 not analysed yet.'));
    await waitFor(() => expect(of('screening.cohort').length).toBe(cohortsBefore + 1));
    await waitFor(() => expect(trainButton().disabled).toBe(false));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('Every analysed video has features from slow_r50 tiny features.')).toBeTruthy();
    await fireEvent.click(trainButton());
    await waitFor(() => expect(of('screening.train')).toHaveLength(1));
    expect(of('screening.train')[0]).toEqual({ cohort: { videoFeaturesFrom: 'slow_r50-tiny-features' }, protocol: expect.any(Object) });
  });

  it('says so when an extraction fails', async () => {
    const { client, emit } = fakeClient();
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    await fireEvent.click(await screen.findByRole('radio', { name: /Video features from/ }));
    await screen.findByText(/4 to extract/);
    await fireEvent.click(screen.getByRole('button', { name: 'Extract video features' }));
    await screen.findByText(/4 being extracted/);
    await emit(featuresJob(502, 'failed'));
    expect((await screen.findByText(/extraction failed or was cancelled/)).textContent).toBe('1 extraction failed or was cancelled; the jobs panel says why.');
  });

  it('says to analyse first when no video of the patients is analysed, with Extract disabled', async () => {
    const { client } = fakeClient({ 'features.status': () => extraction({ videos: 40, extracted: 0, notAnalysed: 40, clips: 0 }) });
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    await fireEvent.click(await screen.findByRole('radio', { name: /Video features from/ }));
    expect((await screen.findByRole('status')).textContent).toBe('None of the 40 videos of these patients is analysed yet: features are drawn from the analysed clip, so run the analysis first.');
    const extract = screen.getByRole('button', { name: 'Extract video features' }) as HTMLButtonElement;
    expect(extract.disabled).toBe(true);
    expect(describedBy(extract)).toBe('Nothing to extract until a video is analysed.');
  });

  it('goes back to posture measures with the measures and fusion shown again', async () => {
    const { client, of } = fakeClient();
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    await fireEvent.click(await screen.findByRole('radio', { name: /Video features from/ }));
    await screen.findByRole('status');
    await fireEvent.click(screen.getByRole('radio', { name: /Posture measures/ }));
    await screen.findByRole('group', { name: /Measures/ });
    expect(screen.getByRole('combobox', { name: 'Source' })).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
    await waitFor(() => expect(of('screening.cohort').at(-1)).toEqual({ features: ['trunkLean', 'headForward', 'shoulderHipOffset', 'maxHipFlexion', 'hipRange'] }));
  });

  it('speaks Japanese: the choice, the extraction status, the button and the refusal with Train disabled', async () => {
    setLanguage('ja');
    const { client } = fakeClient();
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    const choice = await screen.findByRole('group', { name: '学習に使うデータ' });
    expect(within(choice).getByRole('radio', { name: /姿勢計測値/ })).toBeTruthy();
    await fireEvent.click(await within(choice).findByRole('radio', { name: /slow_r50 tiny features の動画特徴量/ }));
    expect((await screen.findByRole('status')).textContent).toBe('解析済みの動画 12 本のうち 8 本に特徴量があります (クリップ 96 件)。3 本は未解析です。4 本は未抽出です。');
    expect(screen.getByRole('button', { name: '動画特徴量を抽出' })).toBeTruthy();
    expect(screen.queryByRole('group', { name: /計測値/ })).toBeNull();
    expect(screen.queryByRole('combobox', { name: '融合元' })).toBeNull();
    await screen.findByRole('alert');
    expect(trainButton('学習').disabled).toBe(true);
    expect(describedBy(trainButton('学習'))).toBe(refusal);
    expect(screen.getByText(/患者 26 人、クリップ 96 件。/)).toBeTruthy();
    const words = [document.body.textContent ?? '', ...[...document.querySelectorAll('[title], [placeholder], [aria-label]')].map((el) => `${el.getAttribute('title')} ${el.getAttribute('placeholder')} ${el.getAttribute('aria-label')}`)].join('\n');
    expect(words).not.toMatch(/\bmodels\.[a-zA-Z]/);
    expect(words).not.toMatch(/Video features|Extract video|Train on/);
  });

  it('says it in Japanese when no feature backbone is installed', async () => {
    setLanguage('ja');
    const { client } = fakeClient({ 'models.list': () => [] });
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    expect((await screen.findByText(/特徴抽出バックボーンが導入されていない/)).textContent).toContain('tools/models/export_reference.py --features');
  });
});

describe('fusing a posture model with a head', () => {
  it('offers accepted heads as the video branch, not their own bundle, and sends kind head', async () => {
    const accepted = head({ status: 'accepted', headBundleId: 'head-lr-00000000head' });
    const { client, of } = fakeClient({
      'screening.list': () => [accepted, head({ id: 'lr-0000000other', name: 'Made-up head not accepted' })],
      'models.list': () => [backbone(), backbone({ id: 'head-lr-00000000head', name: 'Made-up head (head lr-00000000head on slow_r50 tiny features)', kind: 'classifier', featureSize: null, threshold: 0.5 })],
    });
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    await screen.findByRole('table', { name: 'Patients per class' });
    const picker = screen.getByRole('combobox', { name: 'Source' }) as HTMLSelectElement;
    await waitFor(() => expect([...picker.options].map((o) => o.textContent)).toEqual(['None: the measurement model alone', 'Made-up head (head on slow_r50 tiny features)']));
    await fireEvent.change(picker, { target: { value: 'head:lr-00000000head' } });
    expect(screen.getByText(/out-of-fold probabilities are the video branch/)).toBeTruthy();
    await fireEvent.click(trainButton());
    await waitFor(() => expect(of('screening.train')).toHaveLength(1));
    expect(of('screening.train')[0].fuse).toEqual({ kind: 'head', id: 'lr-00000000head' });
  });
});

describe('a head in the list of screening models', () => {
  function listClient(models: ScreeningModelSummary[]) {
    let current = [...models];
    const requests: { method: string; request: any }[] = [];
    const client = {
      call: vi.fn(async (method: string, request: any) => {
        requests.push({ method, request });
        if (method === 'screening.list') return [...current];
        if (method === 'screening.accept') {
          current = current.map((m) => (m.id === request.id ? { ...m, status: 'accepted' as const, headBundleId: `head-${m.id}` } : m));
          return current.find((m) => m.id === request.id);
        }
        throw new Error(`unexpected ${method}`);
      }),
      on: () => () => {},
    } as unknown as WalkScopeClient;
    return { client, requests };
  }

  it('says what it is trained on, that accepting writes a stage 2 bundle, and then names that bundle', async () => {
    const { client } = listClient([head(), fakeSummary({ id: 'lr-00000000post' })]);
    const ask = vi.spyOn(window, 'confirm').mockReturnValue(true);
    render(ScreeningModelsSection, { client, onOpenReport: () => {} });
    const row = await screen.findByRole('row', { name: 'Screening model Made-up head' });
    const name = within(row).getAllByRole('cell')[0]!;
    expect(name.textContent).toContain('Head on slow_r50 tiny features (2048 features per clip)');
    expect(name.textContent).toContain('Accepting writes it into a stage 2 bundle.');
    expect(within(name).getByText(/Head on/).getAttribute('title')).toBe('Feature backbone slow_r50-tiny-features, SHA-256 ffffffffffff');
    const accept = within(row).getByRole('button', { name: 'Accept Made-up head' });
    expect(accept.getAttribute('title')).toBe('Accept, and write this head into a stage 2 bundle');
    // a posture model says its measures instead
    expect(within(await screen.findByRole('row', { name: 'Screening model Made-up posture model' })).getByText('Posture measures: Trunk lean, Head-forward posture')).toBeTruthy();
    await fireEvent.click(accept);
    expect(ask.mock.calls[0]![0]).toContain('into one stage 2 bundle');
    expect(ask.mock.calls[0]![0]).not.toContain('It becomes the model patient verdicts use');
    await waitFor(() => expect(within(screen.getByRole('row', { name: 'Screening model Made-up head' })).getByText('Stage 2 bundle: head-lr-00000000head')).toBeTruthy());
    expect(screen.getByText('Made-up head is accepted: its stage 2 bundle is installed and listed under Classification models.')).toBeTruthy();
    expect(screen.queryByText('Accepting writes it into a stage 2 bundle.')).toBeNull();
  });

  it('says it in Japanese', async () => {
    setLanguage('ja');
    const { client } = listClient([head({ status: 'accepted', headBundleId: 'head-lr-00000000head' })]);
    render(ScreeningModelsSection, { client, onOpenReport: () => {} });
    const row = await screen.findByRole('row', { name: 'スクリーニングモデル Made-up head' });
    expect(row.textContent).toContain('slow_r50 tiny features のヘッド (クリップあたり 2048 個の特徴量)');
    expect(row.textContent).toContain('ステージ 2 バンドル：head-lr-00000000head');
  });
});
