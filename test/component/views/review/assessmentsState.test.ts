import { describe, expect, it, vi } from 'vitest';
import { AssessmentsState, NEW_READER, callWords, sentence } from '../../../../src-renderer/views/review/assessmentsState.svelte.js';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Assessment, Call, Reader } from '../../../../src-main/contract/entities.js';

const reader = (code: string, displayName: string): Reader => ({ id: code.length, code, displayName, role: 'clinician', createdAt: '2026-11-01T08:00:00.000Z' });
const assessment = (id: number, readerCode: string, call: Call, supersedesId: number | null = null): Assessment => ({
  id, videoId: 3, readerCode, readerName: readerCode.toUpperCase(), call, confidence: 60, comment: '', supersedesId, supersededById: null, createdAt: '2026-11-20T10:00:00.000Z',
});

/** A state over a fake back end answering `handlers` (assessments and readers lists empty unless given). */
async function opened(handlers: Record<string, (request: any) => unknown> = {}, modelVerdict: Call | null = 'ASD') {
  const calls: { method: string; request: any }[] = [];
  const all: Record<string, (request: any) => unknown> = { 'assessments.list': () => [], 'readers.list': () => [reader('dr-a', 'Dr Abe')], ...handlers };
  const client = {
    call: vi.fn(async (method: string, request: unknown) => {
      calls.push({ method, request });
      return all[method]!(request);
    }),
  } as unknown as WalkScopeClient;
  const state = new AssessmentsState(() => client, () => modelVerdict);
  state.open(3);
  await vi.waitFor(() => expect(state.loaded).toBe(true));
  return { state, calls };
}

describe('the assessments panel model', () => {
  it('turns contract messages into sentences and calls into words', () => {
    expect(sentence('the confidence is above 100')).toBe('The confidence is above 100.');
    expect(sentence('Already a sentence!')).toBe('Already a sentence!');
    expect([callWords('ASD'), callWords('non-ASD')]).toEqual(['ASD', 'Not ASD']);
  });

  it('builds the exact request: comment trimmed (left out when blank), amends when amending', async () => {
    const { state } = await opened({ 'assessments.list': () => [assessment(5, 'dr-a', 'non-ASD')] });
    state.readerCode = 'dr-a';
    state.call = 'ASD';
    state.confidence = 0;
    state.comment = '   ';
    expect(state.buildRequest()).toEqual({ videoId: 3, readerCode: 'dr-a', call: 'ASD', confidence: 0 });
    state.comment = '  slow turn ';
    state.confidence = 100;
    expect(state.buildRequest()).toEqual({ videoId: 3, readerCode: 'dr-a', call: 'ASD', confidence: 100, comment: 'slow turn' });
    state.startAmend(state.chains[0]!.current);
    expect([state.readerCode, state.call, state.confidence, state.comment]).toEqual(['dr-a', 'non-ASD', 60, '']);
    expect(state.buildRequest()).toEqual({ videoId: 3, readerCode: 'dr-a', call: 'non-ASD', confidence: 60, amends: 5 });
  });

  it('lists every problem with the form in words, the contract’s own as sentences', async () => {
    const { state } = await opened();
    expect(state.buildRequest()).toEqual(['Choose the reader who makes this assessment (or add a new reader first).', 'Choose a call: ASD or Not ASD.']);
    state.readerCode = NEW_READER;
    state.call = 'non-ASD';
    state.confidence = undefined;
    expect(state.buildRequest()).toEqual(['Choose the reader who makes this assessment (or add a new reader first).', 'Enter a confidence from 0 to 100.']);
    state.readerCode = 'dr-a';
    for (const [confidence, problem] of [
      [null, 'Enter a confidence from 0 to 100.'],
      [Number.NaN, 'Enter a confidence from 0 to 100.'],
      [-1, 'The confidence must be a whole number from 0 to 100 (not -1).'],
      [99.5, 'The confidence must be a whole number from 0 to 100 (not 99.5).'],
    ] as const) {
      state.confidence = confidence;
      expect(state.buildRequest()).toEqual([problem]);
    }
    state.confidence = 40;
    state.comment = 'x'.repeat(5001);
    expect(state.buildRequest()).toEqual(['The comment is longer than 5,000 characters.']);
  });

  it('saves: problems block the request; a saved assessment resets the form and reloads', async () => {
    const created = { ...assessment(7, 'dr-a', 'ASD'), readerName: 'Dr Abe' };
    const { state, calls } = await opened({ 'assessments.add': () => created });
    await state.save();
    expect(state.problems).toHaveLength(2);
    expect(calls.filter((c) => c.method === 'assessments.add')).toEqual([]);
    state.readerCode = 'dr-a';
    state.call = 'ASD';
    state.comment = 'trunk flexion';
    await state.save();
    expect(state.problems).toEqual([]);
    expect(state.saved).toBe('Assessment saved for Dr Abe.');
    expect([state.call, state.confidence, state.comment, state.saving]).toEqual([null, 50, '', false]);
    expect(state.readerCode).toBe('dr-a'); // the reader stays chosen for the next video
    expect(calls.filter((c) => c.method === 'assessments.list')).toHaveLength(2);
  });

  it('says an amendment was saved, and a failure of the server in its words', async () => {
    let fail = false;
    const { state } = await opened({
      'assessments.list': () => [assessment(5, 'dr-a', 'non-ASD')],
      'assessments.add': () => (fail ? Promise.reject(new Error('Assessment 5 has already been amended.')) : { ...assessment(6, 'dr-a', 'ASD', 5), readerName: 'Dr Abe' }),
    });
    state.startAmend(state.chains[0]!.current);
    await state.save();
    expect(state.saved).toBe('Amendment saved for Dr Abe; the earlier version stays in the history.');
    expect(state.amending).toBeNull();
    fail = true;
    state.call = 'ASD';
    await state.save();
    expect(state.serverError).toBe('Assessment 5 has already been amended.');
    expect(state.saved).toBeNull();
    expect(state.saving).toBe(false);
  });

  it('knows when the chosen reader already has a current assessment (not while amending it)', async () => {
    const { state } = await opened({ 'assessments.list': () => [assessment(4, 'dr-a', 'ASD'), assessment(6, 'dr-a', 'non-ASD', 4)] });
    expect(state.readerHasCurrent).toBeUndefined();
    state.readerCode = 'dr-a';
    expect(state.readerHasCurrent?.id).toBe(6);
    state.startAmend(state.chains[0]!.current);
    expect(state.readerHasCurrent).toBeUndefined();
  });

  it('counts agreement with the model’s verdict over the current assessments only', async () => {
    const list = () => [assessment(4, 'dr-a', 'non-ASD'), assessment(6, 'dr-a', 'ASD', 4), assessment(5, 'dr-c', 'non-ASD')];
    expect((await opened({ 'assessments.list': list }, 'ASD')).state.agreement).toEqual({ agree: 1, total: 2, modelVerdict: 'ASD' });
    expect((await opened({ 'assessments.list': list }, null)).state.agreement).toBeNull();
  });

  it('opening another video drops what was typed and the last message', async () => {
    const { state, calls } = await opened({ 'assessments.list': () => [assessment(5, 'dr-a', 'non-ASD')] });
    state.startAmend(state.chains[0]!.current);
    state.comment = 'half typed';
    state.saved = 'Assessment saved for Dr Abe.';
    state.problems = ['Choose a call: ASD or Not ASD.'];
    state.open(8);
    expect([state.amending, state.call, state.confidence, state.comment, state.saved, state.problems]).toEqual([null, null, 50, '', null, []]);
    await vi.waitFor(() => expect(calls.filter((c) => c.method === 'assessments.list').map((c) => c.request)).toEqual([{ videoId: 3 }, { videoId: 8 }]));
  });

  it('with no readers yet offers a new reader first, then checks and creates one and chooses them', async () => {
    const people: Reader[] = [];
    const { state, calls } = await opened({
      'readers.list': () => [...people],
      'readers.create': (r) => {
        const created = reader(r.code, r.displayName);
        people.push(created);
        return created;
      },
    });
    expect(state.readerCode).toBe(NEW_READER);
    state.newCode = 'd'.repeat(41);
    state.newName = 'x'.repeat(201);
    await state.addReader();
    expect(state.readerProblems).toEqual(['The reader code is longer than 40 characters.', 'The name is longer than 200 characters.']);
    expect(calls.filter((c) => c.method === 'readers.create')).toEqual([]);
    state.newCode = ' dr-sato ';
    state.newName = ' Dr Sato ';
    await state.addReader();
    expect(state.readerProblems).toEqual([]);
    expect(calls.filter((c) => c.method === 'readers.create').map((c) => c.request)).toEqual([{ code: 'dr-sato', displayName: 'Dr Sato' }]);
    expect([state.readerCode, state.newCode, state.newName]).toEqual(['dr-sato', '', '']);
    expect(state.readers.map((r) => r.code)).toEqual(['dr-sato']);
  });
});
