import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import AssessmentsPanel from '../../../../src-renderer/views/review/AssessmentsPanel.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Assessment, Reader } from '../../../../src-main/contract/entities.js';

afterEach(cleanup);

const reader = (code: string, displayName: string): Reader => ({ id: code.length, code, displayName, role: 'clinician', createdAt: '2026-11-01T08:00:00.000Z' });

function assessment(id: number, readerCode: string, readerName: string, call: Assessment['call'], confidence: number, comment: string, supersedesId: number | null, supersededById: number | null): Assessment {
  return { id, videoId: 3, readerCode, readerName, call, confidence, comment, supersedesId, supersededById, createdAt: new Date(2026, 10, 20 + id, 10, id).toISOString() };
}

/** A fake back end that keeps assessments like the real store: an amendment supersedes. */
function fakeBackEnd(initial: Assessment[], readers: Reader[], failAdd?: string) {
  const rows = [...initial];
  const people = [...readers];
  const calls: { method: string; request: any }[] = [];
  const handlers: Record<string, (request: any) => unknown> = {
    'assessments.list': () => rows.map((r) => ({ ...r, supersededById: rows.find((n) => n.supersedesId === r.id)?.id ?? null })).sort((x, y) => y.id - x.id),
    'readers.list': () => [...people],
    'readers.create': (request) => {
      const created = reader(request.code, request.displayName);
      people.push(created);
      return created;
    },
    'assessments.add': (request) => {
      if (failAdd) throw new Error(failAdd);
      const who = people.find((p) => p.code === request.readerCode)!;
      const created = assessment(rows.length + 10, who.code, who.displayName, request.call, request.confidence, request.comment ?? '', request.amends ?? null, null);
      rows.push(created);
      return created;
    },
  };
  const client = {
    call: vi.fn(async (method: string, request: unknown) => {
      calls.push({ method, request });
      return handlers[method]!(request);
    }),
    on: () => () => {},
  } as unknown as WalkScopeClient;
  return { client, calls, requests: (method: string) => calls.filter((c) => c.method === method).map((c) => c.request) };
}

const readers = [reader('dr-a', 'Dr Abe'), reader('dr-b', 'Dr Baba'), reader('dr-c', 'Dr Chiba')];
// Dr Abe: 1 (ASD) amended by 4 (non-ASD) amended by 6 (ASD); Dr Chiba: 5 (ASD).
const existing = [
  assessment(1, 'dr-a', 'Dr Abe', 'ASD', 40, 'first look', null, null),
  assessment(4, 'dr-a', 'Dr Abe', 'non-ASD', 55, 'after the side view', 1, null),
  assessment(5, 'dr-c', 'Dr Chiba', 'ASD', 70, 'stooped', null, null),
  assessment(6, 'dr-a', 'Dr Abe', 'ASD', 85, 'trunk flexion grows', 4, null),
];

const item = (name: string) => screen.getByRole('listitem', { name: `Assessment by ${name}` });
const flat = (el: Element) => el.textContent!.replace(/\s+/g, ' ').trim();

describe('the assessments panel', () => {
  it('lists each doctor’s current assessment with older versions as history, and agreement with the model', async () => {
    const { client } = fakeBackEnd(existing, readers);
    render(AssessmentsPanel, { client, videoId: 3, modelVerdict: 'non-ASD', modelResearchOnly: false });
    await screen.findByRole('listitem', { name: 'Assessment by Dr Abe' });
    expect(screen.getAllByRole('listitem').filter((li) => li.getAttribute('aria-label')?.startsWith('Assessment by')).map((li) => li.getAttribute('aria-label'))).toEqual([
      'Assessment by Dr Abe',
      'Assessment by Dr Chiba',
    ]);
    const abe = item('Dr Abe');
    expect(flat(abe)).toContain('Dr Abe (dr-a) ASD confidence 85/100 disagrees with the model 26 Nov 2026 10:06 (amended)');
    expect(flat(abe)).toContain('trunk flexion grows');
    const details = abe.querySelector('details')!;
    expect(details.open).toBe(false);
    expect(flat(details.querySelector('summary')!)).toBe('History: 2 earlier versions');
    expect([...details.querySelectorAll('ol.history > li')].map(flat)).toEqual([
      '24 Nov 2026 10:04 Not ASD, confidence 55/100: “after the side view” (replaced by version 6)',
      '21 Nov 2026 10:01 ASD, confidence 40/100: “first look” (replaced by version 4)',
    ]);
    expect(item('Dr Chiba').querySelector('details')).toBeNull();
    expect(flat(screen.getByText(/doctors agree with the model/).parentElement!)).toBe('0 of 2 doctors agree with the model (model: Not ASD)');
  });

  it('counts agreement and says next to it when the model is research only', async () => {
    const { client } = fakeBackEnd(existing, readers);
    const { container } = render(AssessmentsPanel, { client, videoId: 3, modelVerdict: 'ASD', modelResearchOnly: true });
    await screen.findByRole('listitem', { name: 'Assessment by Dr Abe' });
    expect(flat(container.querySelector('[data-part="agreement"]')!)).toBe(
      '2 of 2 doctors agree with the model (model: ASD) — the model is research only, not validated: this agreement is not for clinical decisions',
    );
    expect(within(item('Dr Chiba')).getByText('agrees with the model')).toBeTruthy();
  });

  it('adds an assessment with the exact request, then refreshes the list', async () => {
    const backEnd = fakeBackEnd(existing, readers);
    render(AssessmentsPanel, { client: backEnd.client, videoId: 3, modelVerdict: 'ASD', modelResearchOnly: false });
    await screen.findByRole('listitem', { name: 'Assessment by Dr Abe' });
    await fireEvent.change(screen.getByLabelText('Reader'), { target: { value: 'dr-b' } });
    await fireEvent.click(screen.getByLabelText('Not ASD'));
    await fireEvent.input(screen.getByLabelText('Confidence, 0 to 100'), { target: { value: '80' } });
    expect((screen.getByLabelText('Confidence, slider') as HTMLInputElement).value).toBe('80');
    await fireEvent.input(screen.getByLabelText('Comment (optional)'), { target: { value: '  normal cadence  ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save assessment' }));
    await screen.findByRole('listitem', { name: 'Assessment by Dr Baba' });
    expect(backEnd.requests('assessments.add')).toEqual([{ videoId: 3, readerCode: 'dr-b', call: 'non-ASD', confidence: 80, comment: 'normal cadence' }]);
    expect(backEnd.requests('assessments.list')).toEqual([{ videoId: 3 }, { videoId: 3 }]);
    expect(screen.getByRole('status').textContent).toBe('Assessment saved for Dr Baba.');
    expect(flat(screen.getByText(/doctors agree with the model/).parentElement!)).toBe('2 of 3 doctors agree with the model (model: ASD)');
  });

  it('amends an assessment pre-filled, sending amends, and the old version joins the history', async () => {
    const backEnd = fakeBackEnd(existing, readers);
    render(AssessmentsPanel, { client: backEnd.client, videoId: 3, modelVerdict: 'ASD', modelResearchOnly: false });
    await screen.findByRole('listitem', { name: 'Assessment by Dr Chiba' });
    await fireEvent.click(screen.getByRole('button', { name: 'Amend the assessment by Dr Chiba' }));
    expect(screen.getByRole('heading', { name: 'Amend the assessment by Dr Chiba' })).toBeTruthy();
    expect((screen.getByLabelText('Reader') as HTMLSelectElement).value).toBe('dr-c');
    expect((screen.getByLabelText('Reader') as HTMLSelectElement).disabled).toBe(true);
    expect((screen.getByLabelText('ASD', { exact: true }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Confidence, 0 to 100') as HTMLInputElement).value).toBe('70');
    expect((screen.getByLabelText('Comment (optional)') as HTMLTextAreaElement).value).toBe('stooped');
    await fireEvent.input(screen.getByLabelText('Confidence, slider'), { target: { value: '90' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save amendment' }));
    await waitFor(() => expect(item('Dr Chiba').querySelector('details')).not.toBeNull());
    expect(backEnd.requests('assessments.add')).toEqual([{ videoId: 3, readerCode: 'dr-c', call: 'ASD', confidence: 90, comment: 'stooped', amends: 5 }]);
    expect(flat(item('Dr Chiba'))).toContain('confidence 90/100');
    expect(flat(item('Dr Chiba').querySelector('summary')!)).toBe('History: 1 earlier version');
    expect(screen.getByRole('heading', { name: 'Add your assessment' })).toBeTruthy();
  });

  it('reloads for another video and drops an amendment in progress', async () => {
    const backEnd = fakeBackEnd(existing, readers);
    const { rerender } = render(AssessmentsPanel, { client: backEnd.client, videoId: 3, modelVerdict: 'ASD', modelResearchOnly: false });
    await screen.findByRole('listitem', { name: 'Assessment by Dr Chiba' });
    await fireEvent.click(screen.getByRole('button', { name: 'Amend the assessment by Dr Chiba' }));
    await rerender({ videoId: 8 });
    await waitFor(() => expect(backEnd.requests('assessments.list')).toEqual([{ videoId: 3 }, { videoId: 8 }]));
    expect(screen.getByRole('heading', { name: 'Add your assessment' })).toBeTruthy();
    expect((screen.getByLabelText('Comment (optional)') as HTMLTextAreaElement).value).toBe('');
  });

  it('blocks invalid input with messages in words and sends nothing', async () => {
    const backEnd = fakeBackEnd(existing, readers);
    render(AssessmentsPanel, { client: backEnd.client, videoId: 3, modelVerdict: null, modelResearchOnly: false });
    await screen.findByRole('listitem', { name: 'Assessment by Dr Abe' });
    expect(screen.getByText('The model has not classified this video, so there is no agreement to show.')).toBeTruthy();
    const save = screen.getByRole('button', { name: 'Save assessment' });
    expect((screen.getByLabelText('Reader') as HTMLSelectElement).value).toBe(''); // nobody is preselected
    await fireEvent.click(save);
    expect([...screen.getByRole('alert', { name: 'Problems with the assessment' }).querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Choose the reader who makes this assessment (or add a new reader first).',
      'Choose a call: ASD or Not ASD.',
    ]);
    await fireEvent.change(screen.getByLabelText('Reader'), { target: { value: 'dr-b' } });
    await fireEvent.click(screen.getByLabelText('ASD', { exact: true }));
    await fireEvent.input(screen.getByLabelText('Confidence, 0 to 100'), { target: { value: '150' } });
    await fireEvent.click(save);
    expect(screen.getByRole('alert', { name: 'Problems with the assessment' }).textContent).toBe('The confidence must be a whole number from 0 to 100 (not 150).');
    await fireEvent.input(screen.getByLabelText('Confidence, 0 to 100'), { target: { value: '12.5' } });
    await fireEvent.click(save);
    expect(screen.getByRole('alert', { name: 'Problems with the assessment' }).textContent).toBe('The confidence must be a whole number from 0 to 100 (not 12.5).');
    await fireEvent.input(screen.getByLabelText('Confidence, 0 to 100'), { target: { value: '' } });
    await fireEvent.click(save);
    expect(screen.getByRole('alert', { name: 'Problems with the assessment' }).textContent).toBe('Enter a confidence from 0 to 100.');
    expect(backEnd.requests('assessments.add')).toEqual([]);
  });

  it('shows a server error in words', async () => {
    const backEnd = fakeBackEnd(existing, readers, 'Assessment 4 has already been amended; amend the newest version instead.');
    render(AssessmentsPanel, { client: backEnd.client, videoId: 3, modelVerdict: 'ASD', modelResearchOnly: false });
    await screen.findByRole('listitem', { name: 'Assessment by Dr Abe' });
    await fireEvent.change(screen.getByLabelText('Reader'), { target: { value: 'dr-a' } });
    expect(screen.getByText('Dr Abe already has an assessment of this video: saving makes the new one current and keeps the old one in the history.')).toBeTruthy();
    await fireEvent.click(screen.getByLabelText('ASD', { exact: true }));
    await fireEvent.click(screen.getByRole('button', { name: 'Save assessment' }));
    const note = await screen.findByText('Assessment 4 has already been amended; amend the newest version instead.');
    expect(note.closest('.error-note')).not.toBeNull();
  });

  it('creates a reader inline, checking the code, and selects the new reader', async () => {
    const backEnd = fakeBackEnd([], []);
    render(AssessmentsPanel, { client: backEnd.client, videoId: 3, modelVerdict: 'ASD', modelResearchOnly: false });
    await screen.findByText('No doctor has assessed this video yet. Add the first assessment below.');
    expect(screen.getByText('No readers yet: add yourself first.')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('New reader code'), { target: { value: 'dr sato' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add reader' }));
    expect([...within(screen.getByRole('group', { name: 'New reader' })).getByRole('alert').querySelectorAll('li')].map(flat)).toEqual([
      'The reader code may hold only letters, digits, dot, dash and underscore.',
      'Enter the reader’s name as it should appear.',
    ]);
    expect(backEnd.requests('readers.create')).toEqual([]);
    await fireEvent.input(screen.getByLabelText('New reader code'), { target: { value: 'dr-sato' } });
    await fireEvent.input(screen.getByLabelText('New reader name'), { target: { value: ' Dr Sato ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add reader' }));
    await waitFor(() => expect((screen.getByLabelText('Reader') as HTMLSelectElement).value).toBe('dr-sato'));
    expect(backEnd.requests('readers.create')).toEqual([{ code: 'dr-sato', displayName: 'Dr Sato' }]);
    expect(screen.queryByRole('group', { name: 'New reader' })).toBeNull();
    await fireEvent.click(screen.getByLabelText('ASD', { exact: true }));
    await fireEvent.click(screen.getByRole('button', { name: 'Save assessment' }));
    await screen.findByRole('listitem', { name: 'Assessment by Dr Sato' });
    expect(backEnd.requests('assessments.add')).toEqual([{ videoId: 3, readerCode: 'dr-sato', call: 'ASD', confidence: 50 }]);
    expect(flat(screen.getByText(/doctor agrees with the model/).parentElement!)).toBe('1 of 1 doctor agrees with the model (model: ASD)');
  });
});
