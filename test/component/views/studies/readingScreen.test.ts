import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from '../../../../src-renderer/App.svelte';
import { Router } from '../../../../src-renderer/lib/state/router.svelte.js';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';

function fakeClient(handlers: Record<string, (request: any) => unknown>): WalkScopeClient {
  return {
    call: vi.fn(async (method: string, request: unknown) => {
      const handler = handlers[method];
      if (!handler) throw new Error(`no fake for ${method}`);
      return handler(request);
    }),
    studyCaseUrl: (id: number, code: string) => `blob:case/${id}/${code}`,
    videoUrl: (id: number) => `blob:video/${id}`,
    on: () => () => {},
    transport: { onConnectionChange: () => () => {} },
  } as unknown as WalkScopeClient;
}

const hashChange = (hash: string) => {
  location.hash = hash;
  window.dispatchEvent(new HashChangeEvent('hashchange'));
};

afterEach(() => {
  cleanup();
  history.replaceState(null, '', '#/patients');
});

describe('the router during a reading session', () => {
  it('puts any other route back to the reading route until the session is left', () => {
    history.replaceState(null, '', '#/studies/4/read/dr-a');
    const router = new Router();
    try {
      expect(router.reading).toEqual({ name: 'reading', id: 4, reader: 'dr-a' });
      hashChange('#/patients/WS-0001');
      expect(router.route).toEqual({ name: 'reading', id: 4, reader: 'dr-a' });
      expect(location.hash).toBe('#/studies/4/read/dr-a');
      hashChange('#/studies/4/read/dr-b'); // another reader's session is another route too
      expect(router.route).toEqual({ name: 'reading', id: 4, reader: 'dr-a' });
      expect(router.refused).toBe(2);
      router.go({ name: 'models' });
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      expect(router.route.name).toBe('reading');
      router.leaveReading();
      expect(router.route).toEqual({ name: 'study', id: 4 });
      expect(location.hash).toBe('#/studies/4');
      hashChange('#/patients');
      expect(router.route).toEqual({ name: 'patients' });
    } finally {
      router.dispose();
    }
  });

  it('lets routes change freely when no session is open', () => {
    history.replaceState(null, '', '#/studies/4');
    const router = new Router();
    try {
      hashChange('#/studies/4/read/dr-a');
      expect(router.route).toEqual({ name: 'reading', id: 4, reader: 'dr-a' });
      expect(router.refused).toBe(0);
    } finally {
      router.dispose();
    }
  });
});

describe('the reading screen of the app', () => {
  it('shows no navigation, no job bar and no patient data; records enter and leave; refuses a typed URL', async () => {
    history.replaceState(null, '', '#/studies/4/read/dr-a');
    const sessions: any[] = [];
    const client = fakeClient({
      'jobs.list': () => [{ id: 7, kind: 'stage1', status: 'running', videoId: 3, progress: 0.4, message: 'Finding people in WS-0001', error: null, attempts: 1, createdAt: 't', startedAt: 't', finishedAt: null, etaSec: 10 }],
      'studies.readingSession': (request) => (sessions.push(request), { recordedAt: 't' }),
      'studies.nextCase': () => ({ state: 'case', case: { studyId: 4, caseCode: 'C002', session: 1, sessions: 2, modality: 'unaided', training: false, position: 1, total: 20, source: 'original', startSec: 0, endSec: 1, mark: null, aid: null } }),
      'patients.list': () => [{ id: 1, code: 'WS-0001', name: 'Jane Doe', sex: 'female', birthYear: 1950, diagnosis: 'ASD', notes: '', createdAt: 't', updatedAt: 't', videoCount: 1 }],
      'studies.get': () => { throw new Error('not while reading'); },
      'readers.list': () => [],
    });
    const { container } = render(App, { client });
    await screen.findByText('Session 1 of 2 · unaided');
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(container.querySelector('a')).toBeNull(); // not one link out of the screen
    for (const word of ['Patients', 'Models', 'Studies', 'Jobs', 'Settings', 'WS-0001', 'Finding people']) expect(container.textContent).not.toContain(word);
    expect(sessions).toEqual([{ id: 4, readerCode: 'dr-a', action: 'enter' }]);

    // typing another URL brings the reader back, and the screen says why
    hashChange('#/patients');
    expect((await screen.findByText(/Other screens stay closed while you read/)).textContent).toContain('Leave reading');
    expect(location.hash).toBe('#/studies/4/read/dr-a');
    expect(container.textContent).not.toContain('WS-0001');
    expect((client.call as any).mock.calls.map((c: any[]) => c[0])).not.toContain('patients.list');

    await fireEvent.click(screen.getByRole('button', { name: 'Leave reading' }));
    await waitFor(() => expect(location.hash).toBe('#/studies/4'));
    expect(sessions.map((s) => s.action)).toEqual(['enter', 'leave']);
    // the workstation is back: navigation and the study screen
    await screen.findByRole('navigation', { name: 'Main' });
  });
});
