import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import StudiesView from '../../../../src-renderer/views/studies/StudiesView.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';

function fakeClient(handlers: Record<string, (request: any) => unknown>): WalkScopeClient {
  return { call: vi.fn(async (method: string, request: unknown) => handlers[method]!(request)), on: () => () => {} } as unknown as WalkScopeClient;
}

afterEach(() => {
  cleanup();
  history.replaceState(null, '', '#/studies');
});

const summary = {
  id: 3, name: 'MRMC pilot', description: '', kind: 'reader', seed: 11, modelId: null, folds: null, createdAt: '2026-12-01T09:00:00Z',
  protocol: { material: 'clip', clipSeconds: 1, view: 'original-marked', modalities: ['unaided', 'aided'], washoutDays: 28, blinded: true },
  caseCount: 20, positiveCount: 8, patientCount: 12, positivePatientCount: 5, trainingCaseCount: 2, readerCount: 3,
};

describe('the studies list and the new study form', () => {
  it('is shown in Japanese when the language is Japanese', async () => {
    setLanguage('ja');
    try {
      const client = fakeClient({ 'studies.list': () => [summary] });
      render(StudiesView, { client });
      const row = (await screen.findByRole('link', { name: 'MRMC pilot' })).closest('tr')!;
      expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('読影試験');
      expect(screen.getByRole('button', { name: '読影試験を作成' })).toBeTruthy();
      expect(row.textContent).toContain('ランダムな 1 秒クリップ · 元動画（患者を枠で表示） · 支援なしの後、28 日空けて支援あり');
      expect(row.textContent).toContain('患者 12 名（ASD 5 名） · 症例 20 件（ASD 8 件） · 練習症例 2 件');
    } finally {
      setLanguage('en');
    }
  });

  it('lists a study with its protocol and its size per patient and per case', async () => {
    const client = fakeClient({ 'studies.list': () => [summary] });
    render(StudiesView, { client });
    const row = (await screen.findByRole('link', { name: 'MRMC pilot' })).closest('tr')!;
    expect(row.textContent).toContain('random 1 s clips · original video, patient marked · unaided, then aided after 28 days');
    expect(row.textContent).toContain('12 patients (5 ASD) · 20 cases (8 ASD) · 2 training cases');
  });

  it('sends material, clip length, view, the two sessions and the washout', async () => {
    const created: any[] = [];
    const client = fakeClient({ 'studies.list': () => [], 'studies.create': (request) => (created.push(request), { ...summary, id: 9 }) });
    render(StudiesView, { client });
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Aided study' } });
    const washout = screen.getByLabelText('Washout (days)', { exact: false }) as HTMLInputElement;
    expect(washout.value).toBe('28');
    expect(washout.disabled).toBe(true); // one session: no washout
    await fireEvent.change(screen.getByLabelText('View', { exact: false }), { target: { value: 'person-centred' } });
    await fireEvent.change(screen.getByLabelText('Sessions', { exact: false }), { target: { value: 'unaided-aided' } });
    expect(washout.disabled).toBe(false);
    await fireEvent.input(washout, { target: { value: '14' } });
    await fireEvent.input(screen.getByLabelText('Clip seconds', { exact: false }), { target: { value: '2' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create study' }));
    await waitFor(() => expect(created).toHaveLength(1));
    expect(created[0]).toEqual({ name: 'Aided study', kind: 'reader', protocol: { material: 'clip', clipSeconds: 2, view: 'person-centred', modalities: ['unaided', 'aided'], washoutDays: 14 } });
    expect(location.hash).toBe('#/studies/9');
  });

  it('refuses a negative washout before sending', async () => {
    const client = fakeClient({ 'studies.list': () => [] });
    render(StudiesView, { client });
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'x' } });
    await fireEvent.change(screen.getByLabelText('Sessions', { exact: false }), { target: { value: 'unaided-aided' } });
    await fireEvent.input(screen.getByLabelText('Washout (days)', { exact: false }), { target: { value: '-1' } });
    expect((screen.getByRole('button', { name: 'Create study' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
