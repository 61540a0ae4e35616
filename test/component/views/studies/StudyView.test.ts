import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import StudyView from '../../../../src-renderer/views/studies/StudyView.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Patient, StudyCaseRow, StudyResults, StudySummary } from '../../../../src-main/contract/entities.js';

type Rater = NonNullable<StudyResults['comparison']>['raters'][number];

function fakeClient(handlers: Record<string, (request: any) => unknown>): WalkScopeClient {
  return {
    call: vi.fn(async (method: string, request: unknown) => {
      const handler = handlers[method];
      if (!handler) throw new Error(`no fake for ${method}`);
      return handler(request);
    }),
    on: () => () => {},
  } as unknown as WalkScopeClient;
}

afterEach(() => cleanup());

const study: StudySummary = {
  id: 3, name: 'MRMC pilot', description: '', kind: 'reader', seed: 11, modelId: 'cnn-7', folds: null, createdAt: '2026-12-01T09:00:00Z',
  protocol: { material: 'clip', clipSeconds: 1, view: 'original-marked', modalities: ['unaided', 'aided'], washoutDays: 28, blinded: true },
  caseCount: 20, positiveCount: 8, patientCount: 12, positivePatientCount: 5, trainingCaseCount: 2, readerCount: 2,
};

const patient = (code: string, diagnosis: Patient['diagnosis'], videoCount = 2): Patient => ({
  id: 0, code, name: null, sex: 'unknown', birthYear: null, diagnosis, notes: '', createdAt: 't', updatedAt: 't', videoCount,
});
const patients = [patient('WS-0001', 'ASD'), patient('WS-0002', 'LCS'), patient('WS-0003', 'unknown'), patient('WS-0004', 'ASD'), patient('WS-0005', 'HipOA', 0), patient('WS-0010', 'DHS')];

const opensAt = new Date(2026, 11, 30, 14, 5).toISOString();
const progress = [
  {
    readerCode: 'dr-a', readerName: 'A', done: 22, total: 44, lastReadingAt: new Date(2026, 11, 2, 9, 30).toISOString(), timeSpentMs: 1000,
    sessions: [
      { session: 1, modality: 'unaided', done: 22, total: 22, seed: 4242, opensAt: null },
      { session: 2, modality: 'aided', done: 0, total: 22, seed: 977, opensAt },
    ],
  },
  { readerCode: 'dr-b', readerName: 'B', done: 0, total: 44, lastReadingAt: null, timeSpentMs: 0, sessions: [{ session: 1, modality: 'unaided', done: 0, total: 22, seed: null, opensAt: null }, { session: 2, modality: 'aided', done: 0, total: 22, seed: 5, opensAt: null }] },
];

const reading = (readerCode: string, modality: 'unaided' | 'aided', call: 'ASD' | 'non-ASD', confidence: number) => ({
  readerCode, session: modality === 'unaided' ? 1 : 2, modality, call, confidence, timeSpentMs: 4200, createdAt: '2026-12-02T09:30:00Z',
});
const caseRows: StudyCaseRow[] = [
  { caseCode: 'C001', videoId: 11, patientCode: 'WS-0001', truth: 1, fold: null, clipStartSec: 1.5, clipEndSec: 2.5, training: false, readings: [reading('dr-a', 'unaided', 'ASD', 80), reading('dr-a', 'aided', 'ASD', 95), reading('dr-b', 'unaided', 'non-ASD', 40)], modelScore: 0.734, modelId: 'cnn-7' },
  { caseCode: 'C002', videoId: 12, patientCode: 'WS-0002', truth: 0, fold: null, clipStartSec: null, clipEndSec: null, training: true, readings: [], modelScore: null, modelId: null },
];

const interval = (estimate: number, lower = estimate - 0.1, upper = estimate + 0.1) => ({ estimate, lower, upper });
function rater(name: string, cases: number, auroc: Rater['auroc'], roc: Rater['roc'] = { fpr: [0, 0.5, 1], tpr: [0, 1, 1] }): Rater {
  return {
    rater: name, isModel: name.startsWith('model'), cases, positives: 2, negatives: 2, callsFrom: 'call column', confusion: { tp: 1, fn: 1, fp: 0, tn: 2 },
    accuracy: interval(0.75), sensitivity: interval(0.5), specificity: interval(1), precision: interval(1), f1: interval(0.667),
    balancedAccuracy: interval(0.75), auroc, averagePrecision: null, youden: null, roc, notes: [],
  };
}
const comparison = (cases: number, positives: number, raters: Rater[]): NonNullable<StudyResults['comparison']> => ({
  cases, positives, raters, pairs: [], fleiss: null, fleissUnavailable: 'needs at least two readers', readerAveragedAuroc: null, notes: [], bootstrap: { replicates: 1000, seed: 1 },
});
const results: StudyResults = {
  study,
  design: { readers: ['dr-a', 'dr-b'], cases: 20, patients: 12, trainingCases: 2, truthSource: 'diagnosis', modalities: ['unaided', 'aided'], washoutDays: 28, material: 'clip', orders: [], readingSeconds: [] },
  mrmc: { readerModalities: null, versusModel: null, model: null, units: 12, notes: ['Aided against unaided: not computed, dr-b read no patient aided'] },
  comparison: comparison(12, 5, [rater('dr-a', 12, { estimate: 0.8, lower: 0.61, upper: 0.93, variance: 0.01 }), rater('dr-b', 12, { estimate: 0.75, lower: null, upper: null, variance: null })]),
  caseLevel: comparison(20, 8, [rater('dr-a', 20, { estimate: 0.777, lower: 0.6, upper: 0.9, variance: 0.01 }), rater('dr-b', 20, null, null)]),
  folds: [], foldSummary: null, notes: [],
};

function studyClient(extra: Record<string, (request: any) => unknown> = {}) {
  return fakeClient({
    'studies.get': () => ({ study, cases: [{ caseCode: 'C001', patientCode: 'WS-0001', truth: 1, fold: null, clipStartSec: 1.5, clipEndSec: 2.5, training: false }], progress }),
    'readers.list': () => [],
    'studies.results': () => results,
    'studies.caseTable': () => caseRows,
    'patients.list': () => patients,
    ...extra,
  });
}

describe('a study screen', () => {
  it('counts per patient and per case, and tables each reading per reader and modality with the model score', async () => {
    render(StudyView, { client: studyClient(), studyId: 3 });
    const table = await screen.findByRole('table', { name: 'Case table' });
    const cases = screen.getByRole('heading', { name: 'Cases' }).closest('section')!;
    expect(cases.textContent).toContain('12 patients (5 ASD) · 20 cases (8 ASD) · 2 training cases');
    await waitFor(() => expect(table.querySelectorAll('tbody tr')).toHaveLength(2));
    const head = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(head).toEqual(['Case', 'Patient', 'Truth', 'Training', 'Window', 'dr-a · unaided', 'dr-a · aided', 'dr-b · unaided', 'dr-b · aided', 'Model P(ASD)']);
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent));
    expect(rows).toEqual([
      ['C001', 'WS-0001', 'ASD', '', '1.50–2.50 s', 'ASD 80', 'ASD 95', 'non-ASD 40', '—', '0.73'],
      ['C002', 'WS-0002', 'non-ASD', 'training', 'whole video', '—', '—', '—', '—', '—'],
    ]);
    // a wrong call is marked, a right one not
    const first = table.querySelector('tbody tr')!.children;
    expect(first[7]!.classList.contains('wrong')).toBe(true);
    expect(first[5]!.classList.contains('wrong')).toBe(false);
    // the table scrolls inside its panel rather than widening the page
    expect(table.parentElement!.classList.contains('scroll')).toBe(true);
  });

  it('shows each reader\'s sessions: done of total, the seed, and when a waiting session opens', async () => {
    render(StudyView, { client: studyClient(), studyId: 3 });
    const a = await screen.findByRole('list', { name: 'Sessions of dr-a' });
    expect([...a.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Session 1 · unaided: 22/22 · seed 4242',
      'Session 2 · aided: 0/22 · seed 977 · opens on 30 Dec 2026 14:05',
    ]);
    expect(a.parentElement!.textContent).toContain('Last reading 2 Dec 2026 09:30');
    const b = screen.getByRole('list', { name: 'Sessions of dr-b' });
    expect(b.querySelector('li')!.textContent).toBe('Session 1 · unaided: 0/22 · seed not recorded');
  });

  it('labels the per-patient analysis primary and the per-case one secondary, each with its N; an AUROC without an interval keeps its estimate', async () => {
    render(StudyView, { client: studyClient(), studyId: 3 });
    expect(await screen.findByRole('heading', { name: 'Primary analysis: per patient (N = 12 patients, 5 ASD)' })).toBeTruthy();
    const primary = screen.getByRole('table', { name: 'Readers and model' });
    const cells = (t: HTMLElement) => [...t.querySelectorAll('tbody tr')].map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent, tr.children[6]!.textContent]);
    expect(primary.querySelector('thead th:nth-child(2)')!.textContent).toBe('Patients');
    expect(cells(primary)).toEqual([['dr-a', '12', '0.800 (0.610–0.930)'], ['dr-b', '12', '0.750 (CI undefined)']]);
    const secondary = screen.getByRole('region', { name: 'Secondary analysis, per case' });
    expect(within(secondary).getByRole('heading').textContent).toBe('Secondary analysis: per case (N = 20 cases, 8 ASD)');
    expect(cells(within(secondary).getByRole('table'))).toEqual([['dr-a', '20', '0.777 (0.600–0.900)'], ['dr-b', '20', '—']]);
  });
});

describe('the case picker', () => {
  it('lists patients with their diagnosis and counts, disables unknown diagnoses with the reason, filters, selects all shown and sends the training flag', async () => {
    const added: any[] = [];
    const client = studyClient({
      'studies.addCases': (request) => {
        added.push(request);
        return [{ caseCode: 'C010', patientCode: 'WS-0002', truth: 0, fold: null, clipStartSec: 0, clipEndSec: 1, training: true }];
      },
    });
    render(StudyView, { client, studyId: 3 });
    const picker = await screen.findByRole('region', { name: 'Add cases' });
    await within(picker).findByText('WS-0010');
    expect(within(picker).getByLabelText('Patients shown').textContent).toContain('6 patients shown: 2 ASD · 3 other conditions · 1 unknown (cannot be added)');
    const box = (code: string) => within(picker).getByRole('checkbox', { name: `Add ${code}` }) as HTMLInputElement;
    expect(box('WS-0003').disabled).toBe(true);
    expect(box('WS-0003').closest('tr')!.textContent).toContain('diagnosis unknown: no ground truth');
    expect(box('WS-0001').disabled).toBe(true); // already in the study
    expect(box('WS-0001').closest('tr')!.textContent).toContain('already in the study (1 case)');
    expect(box('WS-0005').closest('tr')!.textContent).toContain('no video');
    expect(box('WS-0002').closest('tr')!.textContent).toContain('LCS');

    await fireEvent.input(within(picker).getByLabelText('Filter patients'), { target: { value: 'ws-000' } });
    expect(within(picker).queryByText('WS-0010')).toBeNull();
    await fireEvent.click(within(picker).getByRole('button', { name: 'Select all 2 shown' }));
    expect([box('WS-0002').checked, box('WS-0004').checked, box('WS-0003').checked]).toEqual([true, true, false]);
    await fireEvent.click(box('WS-0004'));
    await fireEvent.click(within(picker).getByRole('checkbox', { name: /Add as training cases/ }));
    await fireEvent.click(within(picker).getByRole('button', { name: 'Add the videos of 1 patient (0 ASD, 1 other)' }));
    await waitFor(() => expect(added).toHaveLength(1));
    expect(added[0]).toEqual({ id: 3, patientCodes: ['WS-0002'], training: true });
    expect((await within(picker).findByRole('status')).textContent).toBe('Added 1 case from 1 patient as training cases (not analysed).');
  });

  it('shows the back end\'s refusal next to the picker', async () => {
    const client = studyClient({
      'studies.addCases': () => {
        throw new Error('The study cannot be used as it is: WS-0004 has no stage 1 result, and clips need one.');
      },
    });
    render(StudyView, { client, studyId: 3 });
    const picker = await screen.findByRole('region', { name: 'Add cases' });
    await fireEvent.click(await within(picker).findByRole('checkbox', { name: 'Add WS-0004' }));
    await fireEvent.click(within(picker).getByRole('button', { name: 'Add the videos of 1 patient (1 ASD, 0 other)' }));
    expect((await within(picker).findByRole('alert')).textContent).toContain('The cases were not added: The study cannot be used as it is: WS-0004 has no stage 1 result, and clips need one.');
    // the selection stays, to fix and try again
    expect((within(picker).getByRole('checkbox', { name: 'Add WS-0004' }) as HTMLInputElement).checked).toBe(true);
  });
});
