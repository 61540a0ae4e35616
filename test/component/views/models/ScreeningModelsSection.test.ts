import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import ModelsView from '../../../../src-renderer/views/models/ModelsView.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { ScreeningModelSummary } from '../../../../src-main/contract/screening.js';
import { fakeSummary } from '../../../helpers/screeningFixtures.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const uploadId = 'b'.repeat(32);

function fakeClient(initial: ScreeningModelSummary[], handlers: Record<string, (request: any) => unknown> = {}) {
  let models = [...initial];
  const requests: { method: string; request: any }[] = [];
  const client = {
    call: vi.fn(async (method: string, request: any) => {
      requests.push({ method, request });
      if (handlers[method]) return handlers[method]!(request);
      switch (method) {
        case 'models.list':
          return [];
        case 'screening.list':
          return [...models];
        case 'screening.accept':
          models = models.map((m) => (m.id === request.id ? { ...m, status: 'accepted', active: true } : { ...m, active: false }));
          return models.find((m) => m.id === request.id);
        case 'screening.retire':
          models = models.map((m) => (m.id === request.id ? { ...m, status: 'retired', active: false } : m));
          return models.find((m) => m.id === request.id);
        case 'screening.export':
          return { fileName: 'model.json', mimeType: 'application/json', contentBase64: btoa('{}') };
        case 'screening.import': {
          const imported = fakeSummary({ id: 'lr-aaaaaaaaaaaa', name: 'Imported made-up model' });
          models = [...models, imported];
          return imported;
        }
        default:
          throw new Error(`unexpected ${method}`);
      }
    }),
    importSourceFor: vi.fn(async (file: File) => ({ kind: 'upload', uploadId, fileName: file.name })),
    on: () => () => {},
  } as unknown as WalkScopeClient;
  return { client, requests };
}

const row = (name: string) => screen.findByRole('row', { name: `Screening model ${name}` });

describe('the screening models on the Models screen', () => {
  it('lists each model with status, patients, intervals, fusion and its labels', async () => {
    const { client } = fakeClient([fakeSummary({ status: 'accepted', active: true }), fakeSummary({ id: 'lr-bbbbbbbbbbbb', name: 'Weak made-up model', beatsChance: false })]);
    render(ModelsView, { client });
    const section = await screen.findByRole('region', { name: 'Screening models (posture measures)' });
    const active = await row('Made-up posture model');
    const cells = within(active).getAllByRole('cell').map((c) => c.textContent!.replace(/\s+/g, ' ').trim());
    expect(cells[1]).toBe('accepted (active)');
    expect(cells[2]).toBe('40');
    expect(cells[3]).toBe('0.725 (0.580–0.860)');
    expect(cells[4]).toBe('0.781 (0.630–0.930)');
    expect(cells[5]).toBe('no');
    expect(within(active).getByText('research only')).toBeTruthy();
    expect(within(active).queryByText('not shown to beat chance')).toBeNull();
    expect(within(active).queryByRole('button', { name: 'Accept Made-up posture model' })).toBeNull();
    const weak = await row('Weak made-up model');
    expect(within(weak).getByText('not shown to beat chance')).toBeTruthy();
    expect(within(weak).getByRole('link', { name: 'Open the report of Weak made-up model' }).getAttribute('href')).toBe('#/models/screening/lr-bbbbbbbbbbbb');
    expect(within(section).getByRole('table', { name: 'Screening models' })).toBeTruthy();
  });

  it('accepts a model after a confirm that says verdicts will use it, and retires one', async () => {
    const { client, requests } = fakeClient([fakeSummary()]);
    const ask = vi.spyOn(window, 'confirm').mockReturnValue(true);
    render(ModelsView, { client });
    await fireEvent.click(within(await row('Made-up posture model')).getByRole('button', { name: 'Accept Made-up posture model' }));
    await waitFor(() => expect(within(screen.getByRole('row', { name: 'Screening model Made-up posture model' })).getAllByRole('cell')[1]!.textContent).toBe('accepted (active)'));
    expect(ask.mock.calls[0]![0]).toContain('It becomes the model patient verdicts use');
    expect(screen.getByRole('status').textContent).toBe('Made-up posture model is accepted: patient verdicts now use it.');
    await fireEvent.click(screen.getByRole('button', { name: 'Retire Made-up posture model' }));
    await waitFor(() => expect(within(screen.getByRole('row', { name: 'Screening model Made-up posture model' })).getAllByRole('cell')[1]!.textContent).toBe('retired'));
    expect(requests.filter((r) => r.method === 'screening.accept' || r.method === 'screening.retire').map((r) => r.method)).toEqual(['screening.accept', 'screening.retire']);
  });

  it('does nothing when the accept confirm is declined', async () => {
    const { client, requests } = fakeClient([fakeSummary()]);
    vi.spyOn(window, 'confirm').mockReturnValue(false);
    render(ModelsView, { client });
    await fireEvent.click(within(await row('Made-up posture model')).getByRole('button', { name: 'Accept Made-up posture model' }));
    expect(requests.some((r) => r.method === 'screening.accept')).toBe(false);
  });

  it('exports a model as the JSON file the back end made', async () => {
    const { client, requests } = fakeClient([fakeSummary()]);
    const created = vi.fn(() => 'blob:model');
    (URL as any).createObjectURL = created;
    (URL as any).revokeObjectURL = () => {};
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    render(ModelsView, { client });
    await fireEvent.click(within(await row('Made-up posture model')).getByRole('button', { name: 'Export Made-up posture model as JSON' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(requests.find((r) => r.method === 'screening.export')?.request).toEqual({ id: 'lr-0123456789ab' });
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('model.json');
  });

  it('imports a dropped model file and refuses a file that is not JSON', async () => {
    const { client, requests } = fakeClient([]);
    render(ModelsView, { client });
    await screen.findByText('No screening model yet.');
    const zone = screen.getByRole('region', { name: 'Import screening models: drop .json files here' });
    await fireEvent.drop(zone, { dataTransfer: { files: [new File(['x'], 'model.txt'), new File(['{}'], 'site-b.json')] } });
    await row('Imported made-up model');
    expect(screen.getByRole('alert').textContent).toContain('model.txt is not a .json file');
    expect(requests.filter((r) => r.method === 'screening.import').map((r) => r.request)).toEqual([{ source: { kind: 'upload', uploadId, fileName: 'site-b.json' } }]);
    expect(screen.getByRole('status').textContent).toContain('Imported Imported made-up model from site-b.json');
  });
});
