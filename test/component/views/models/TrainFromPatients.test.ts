import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import TrainFromPatients from '../../../../src-renderer/views/models/TrainFromPatients.svelte';
import { modelOfJob, parseCodes } from '../../../../src-renderer/views/models/trainForm.svelte.js';
import type { Job } from '../../../../src-main/contract/entities.js';
import { fakeCohort, fakeSummary, fakeTrainJob } from '../../../helpers/screeningFixtures.js';
import { recordingClient, type FakeHandlers } from '../../../helpers/recordingClient.js';

afterEach(cleanup);

function fakeClient(handlers: FakeHandlers = {}) {
  const defaults: FakeHandlers = {
    'models.list': () => [{ id: 'tiny', name: 'Made-up bundle', version: '0.0.1' }],
    'studies.list': () => [
      { id: 3, name: 'Made-up CV study', kind: 'cross-validation', folds: 5 },
      { id: 4, name: 'Made-up reader study', kind: 'reader', folds: null },
    ],
    'screening.cohort': () => fakeCohort(),
    'screening.list': () => [],
    'screening.train': () => fakeTrainJob(),
    'jobs.cancel': (r) => fakeTrainJob({ id: r.id, status: 'cancelled', progress: 0.3, message: 'Cancelled' }),
  };  return recordingClient(handlers, defaults);
}

const trainButton = () => screen.getByRole('button', { name: 'Train' }) as HTMLButtonElement;

describe('training a screening model from the patients', () => {
  it('reads the cohort with the five sagittal measures and shows the counts, the left out and the warnings', async () => {
    const { client, of } = fakeClient();
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    const counts = await screen.findByRole('table', { name: 'Patients per class' });
    expect(of('screening.cohort')).toEqual([{ features: ['trunkLean', 'headForward', 'shoulderHipOffset', 'maxHipFlexion', 'hipRange'] }]);
    const rows = within(counts).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([['ASD', '12', 'ASD 12'], ['Not ASD', '14', 'DHS 6, LCS 5, other 3']]);
    expect(within(screen.getByRole('table', { name: 'Patients left out' })).getByText('no diagnosis label')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Warnings' })).getByText(/Made-up warning/)).toBeTruthy();
    // the five are checked, the others are not
    expect((screen.getByRole('checkbox', { name: /Trunk lean/ }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: /Knee range, left/ }) as HTMLInputElement).checked).toBe(false);
    expect(trainButton().disabled).toBe(false);
  });

  it('reads the cohort again when the measures or the patient list change', async () => {
    const { client, of } = fakeClient();
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    await screen.findByRole('table', { name: 'Patients per class' });
    await fireEvent.click(screen.getByRole('checkbox', { name: /Knee range, left/ }));
    await waitFor(() => expect(of('screening.cohort')).toHaveLength(2));
    expect(of('screening.cohort')[1].features).toEqual(['trunkLean', 'headForward', 'shoulderHipOffset', 'maxHipFlexion', 'hipRange', 'kneeRangeLeft']);
    await fireEvent.input(screen.getByRole('textbox', { name: /Patients/ }), { target: { value: 'FAKE-001, FAKE-002\nFAKE-003' } });
    await waitFor(() => expect(of('screening.cohort')).toHaveLength(3));
    expect(of('screening.cohort')[2].patientCodes).toEqual(['FAKE-001', 'FAKE-002', 'FAKE-003']);
  });

  it('disables training with the refusal sentence shown when the cohort is refused', async () => {
    const refusal = 'Only 4 not-ASD patients have measured sagittal segments; training needs at least 10 in each class.';
    const { client, of } = fakeClient({ 'screening.cohort': () => fakeCohort({ refusal, counts: { asd: 12, notAsd: 4, segments: 120, byDiagnosis: { ASD: 12, DHS: 4 } } }) });
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(refusal);
    expect(trainButton().disabled).toBe(true);
    // the button says why it is disabled
    expect(document.getElementById(trainButton().getAttribute('aria-describedby')!)!.textContent).toBe(refusal);
    await fireEvent.click(trainButton());
    await fireEvent.submit(trainButton().closest('form')!);
    expect(of('screening.train')).toEqual([]);
  });

  it('refuses a protocol outside the contract’s limits in words', async () => {
    const { client } = fakeClient();
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    await screen.findByRole('table', { name: 'Patients per class' });
    await fireEvent.input(screen.getByRole('spinbutton', { name: 'Folds' }), { target: { value: '1' } });
    expect((await screen.findByRole('alert')).textContent).toBe('Folds: at least 2.');
    expect(trainButton().disabled).toBe(true);
  });

  it('trains with the protocol, shows the job’s progress and message, and cancels it', async () => {
    const { client, of, emit } = fakeClient();
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    await screen.findByRole('table', { name: 'Patients per class' });
    await fireEvent.input(screen.getByRole('textbox', { name: 'Name' }), { target: { value: 'Made-up run' } });
    await fireEvent.click(trainButton());
    await screen.findByRole('group', { name: 'Training job 77' });
    expect(of('screening.train')).toEqual([
      {
        cohort: { features: ['trunkLean', 'headForward', 'shoulderHipOffset', 'maxHipFlexion', 'hipRange'] },
        protocol: { folds: 5, repeats: 10, seed: 2023, innerFolds: 3, cGrid: [0.001, 0.01, 0.1, 1, 10, 100], classWeight: 'balanced', bootstrapReplicates: 2000 },
        name: 'Made-up run',
      },
    ]);
    await emit(fakeTrainJob({ status: 'running', progress: 0.3, message: 'Repeat 3 of 10, fold 2 of 5' }));
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Training progress' }).getAttribute('aria-valuenow')).toBe('30'));
    expect(screen.getByText('Repeat 3 of 10, fold 2 of 5')).toBeTruthy();
    expect(trainButton().disabled).toBe(true);
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel training' }));
    await screen.findByText('The training was cancelled; no model was stored.');
    expect(of('jobs.cancel')).toEqual([{ id: 77 }]);
    expect(screen.queryByRole('button', { name: 'Cancel training' })).toBeNull();
    expect(trainButton().disabled).toBe(false);
  });

  it('shows why the training failed', async () => {
    const { client, emit } = fakeClient();
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    await screen.findByRole('table', { name: 'Patients per class' });
    await fireEvent.click(trainButton());
    await screen.findByRole('group', { name: 'Training job 77' });
    await emit(fakeTrainJob({ status: 'failed', progress: 0.5, error: { code: 'COHORT_INVALID', message: 'A screening model cannot be trained on this cohort: a fold holds one class only.' } }));
    expect((await screen.findByRole('alert')).textContent).toContain('A screening model cannot be trained on this cohort: a fold holds one class only.');
  });

  it('opens the new model’s report when the training is done', async () => {
    const existing = fakeSummary({ id: 'lr-000000000001', name: 'Older made-up model' });
    let done = false;
    const fresh = fakeSummary({ id: 'lr-0000000000aa', name: 'Made-up run' });
    const { client, emit } = fakeClient({ 'screening.list': () => (done ? [existing, { ...fresh, origin: 'trained here, job 77' }] : [existing]) });
    const onTrained = vi.fn();
    render(TrainFromPatients, { client, onTrained, debounceMs: 0 });
    await screen.findByRole('table', { name: 'Patients per class' });
    await fireEvent.click(trainButton());
    await screen.findByRole('group', { name: 'Training job 77' });
    done = true;
    await emit(fakeTrainJob({ status: 'done', progress: 1, message: 'Done' }));
    await waitFor(() => expect(onTrained).toHaveBeenCalledWith('lr-0000000000aa'));
  });

  it('fuses with a cross-validation study, or with a bundle only once the user says it never saw these patients', async () => {
    const { client, of } = fakeClient();
    render(TrainFromPatients, { client, onTrained: () => {}, debounceMs: 0 });
    await screen.findByRole('table', { name: 'Patients per class' });
    const source = screen.getByRole('combobox', { name: 'Source' }) as HTMLSelectElement;
    expect([...source.options].map((o) => o.textContent)).toEqual(['None: the measurement model alone', 'Made-up CV study (5 folds)', 'Made-up bundle 0.0.1']);
    await fireEvent.change(source, { target: { value: 'bundle:tiny' } });
    expect(trainButton().disabled).toBe(true);
    await fireEvent.click(screen.getByRole('checkbox', { name: 'This bundle was not trained on any of these patients.' }));
    expect(trainButton().disabled).toBe(false);
    await fireEvent.change(source, { target: { value: 'study:3' } });
    await fireEvent.click(trainButton());
    await waitFor(() => expect(of('screening.train')).toHaveLength(1));
    expect(of('screening.train')[0].fuse).toEqual({ kind: 'study', id: 3 });
  });
});

describe('the train form’s helpers', () => {
  it('reads patient codes split by commas, spaces or lines, once each', () => {
    expect(parseCodes(' P1, P2\nP3  P1;')).toEqual(['P1', 'P2', 'P3']);
    expect(parseCodes('  ')).toEqual([]);
  });

  it('finds the finished job’s model by its origin, else the one that is new', () => {
    const a = fakeSummary({ id: 'lr-00000000000a' });
    const b = { ...fakeSummary({ id: 'lr-00000000000b' }), origin: 'job 770', createdAt: '2026-12-02T00:00:00Z' };
    const c = { ...fakeSummary({ id: 'lr-00000000000c' }), origin: 'job 77' };
    expect(modelOfJob([a, b, c], 77, new Set([a.id]))?.id).toBe(c.id);
    expect(modelOfJob([a, b], 77, new Set([a.id]))?.id).toBe(b.id);
    expect(modelOfJob([a], 77, new Set([a.id]))).toBeNull();
  });
});
