import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import ReadingView from '../../../../src-renderer/views/studies/ReadingView.svelte';
import JobRow from '../../../../src-renderer/lib/components/JobRow.svelte';
import { ApiError, type WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { BlindedCase, PatientMark, ReadingAid, ReadingState } from '../../../../src-main/contract/entities.js';

function fakeClient(handlers: Record<string, (request: any) => unknown>): WalkScopeClient {
  return {
    call: vi.fn(async (method: string, request: unknown) => handlers[method]!(request)),
    studyCaseUrl: (id: number, code: string) => `blob:case/${id}/${code}`,
    videoUrl: (id: number) => `blob:video/${id}`,
    on: () => () => {},
  } as unknown as WalkScopeClient;
}

const blinded = (over: Partial<BlindedCase> = {}): BlindedCase => ({
  studyId: 4, caseCode: 'C002', session: 1, sessions: 1, modality: 'unaided', training: false, position: 1, total: 2,
  source: 'person-centred', startSec: 1.5, endSec: 2.5, mark: null, aid: null, ...over,
});
const caseState = (over: Partial<BlindedCase> = {}): ReadingState => ({ state: 'case', case: blinded(over) });

describe('reading mode', () => {
  afterEach(() => cleanup());

  it('records entering once, shows only the case code and its clip, requires a call, and sends call, confidence and time', async () => {
    const states = [caseState(), caseState({ caseCode: 'C001', position: 2, startSec: 0, endSec: 1 }), { state: 'done' } as ReadingState];
    const submitted: any[] = [];
    const sessions: any[] = [];
    const client = fakeClient({
      'studies.readingSession': (request) => (sessions.push(request), { recordedAt: '2026-12-01T10:00:00Z' }),
      'studies.nextCase': () => states[0],
      'studies.submitReading': (request) => {
        submitted.push(request);
        return states[submitted.length];
      },
    });
    const { container } = render(ReadingView, { client, studyId: 4, readerCode: 'dr-a', onLeave: () => {} });
    await screen.findByText('Session 1 of 1 · unaided');
    expect(sessions).toEqual([{ id: 4, readerCode: 'dr-a', action: 'enter' }]);
    // enter is recorded before the first case is asked for
    const order = (client.call as any).mock.calls.map((c: any[]) => c[0]);
    expect(order.slice(0, 2)).toEqual(['studies.readingSession', 'studies.nextCase']);
    expect(container.textContent).toContain('C002');
    const video = container.querySelector('video')!;
    expect(video.getAttribute('src')).toBe('blob:case/4/C002#t=1.5,2.5');
    expect(video.hasAttribute('controls')).toBe(false); // the protocol's clip only
    expect(container.querySelector('svg.mark')).toBeNull(); // the person-centred clip has no mark
    const save = screen.getByRole('button', { name: 'Save and next case' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await fireEvent.click(screen.getByLabelText('ASD', { exact: true }));
    await fireEvent.input(screen.getByLabelText('Confidence in the call, 0 to 100'), { target: { value: '80' } });
    await fireEvent.click(save);
    await waitFor(() => expect(submitted).toHaveLength(1));
    expect(submitted[0]).toMatchObject({ id: 4, readerCode: 'dr-a', caseCode: 'C002', call: 'ASD', confidence: 80 });
    expect(submitted[0].timeSpentMs).toBeGreaterThanOrEqual(0);
    await screen.findByText((_, el) => el?.tagName === 'P' && el.textContent?.trim() === 'Case 2 of 2 in this session (C001)');
    await fireEvent.click(screen.getByLabelText('Not ASD'));
    await fireEvent.click(screen.getByRole('button', { name: 'Save and next case' }));
    await screen.findByText('You have read every case of this study.');
    expect(sessions).toHaveLength(1); // entering is recorded once, not per case
  });

  it('records leaving through the one Leave reading button, then leaves', async () => {
    const sessions: any[] = [];
    const onLeave = vi.fn();
    const client = fakeClient({
      'studies.readingSession': (request) => (sessions.push(request), { recordedAt: '2026-12-01T10:00:00Z' }),
      'studies.nextCase': () => caseState(),
    });
    render(ReadingView, { client, studyId: 4, readerCode: 'dr-a', onLeave });
    await screen.findByText('Session 1 of 1 · unaided');
    await fireEvent.click(screen.getByRole('button', { name: 'Leave reading' }));
    await waitFor(() => expect(onLeave).toHaveBeenCalledTimes(1));
    expect(sessions.map((s) => s.action)).toEqual(['enter', 'leave']);
    expect(sessions[1]).toEqual({ id: 4, readerCode: 'dr-a', action: 'leave' });
  });

  it('says when leaving could not be recorded, and then lets the reader leave without it', async () => {
    const onLeave = vi.fn();
    const client = fakeClient({
      'studies.readingSession': (request) => {
        if (request.action === 'leave') throw new Error('The connection to WalkScope was lost.');
        return { recordedAt: 't' };
      },
      'studies.nextCase': () => caseState(),
    });
    render(ReadingView, { client, studyId: 4, readerCode: 'dr-a', onLeave });
    await screen.findByText('Session 1 of 1 · unaided');
    await fireEvent.click(screen.getByRole('button', { name: 'Leave reading' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Your leaving could not be recorded: The connection to WalkScope was lost.');
    expect(onLeave).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: 'Leave without recording' }));
    expect(onLeave).toHaveBeenCalledTimes(1);
  });

  it('shows when the next session opens, in local time, with the reason from the back end', async () => {
    const opensAt = new Date(2026, 11, 30, 14, 5).toISOString();
    const client = fakeClient({
      'studies.readingSession': () => ({ recordedAt: 't' }),
      'studies.nextCase': () => ({ state: 'waiting', session: 2, modality: 'aided', opensAt, reason: 'a 28-day washout after your last reading of session 1' }),
    });
    const { container } = render(ReadingView, { client, studyId: 4, readerCode: 'dr-a', onLeave: () => {} });
    const status = await screen.findByRole('status');
    expect(status.textContent).toContain('Session 2 (aided) opens on 30 Dec 2026 14:05 — a 28-day washout after your last reading of session 1.');
    expect(container.querySelector('video')).toBeNull();
    expect(container.querySelector('form')).toBeNull();
  });

  it('shows an error from the back end (a closed session) with the error note', async () => {
    const client = fakeClient({
      'studies.readingSession': () => ({ recordedAt: 't' }),
      'studies.nextCase': () => {
        throw new Error('This reading session is not open yet: session 2 opens on 2026-12-30.');
      },
    });
    render(ReadingView, { client, studyId: 4, readerCode: 'dr-a', onLeave: () => {} });
    expect((await screen.findByRole('alert')).textContent).toContain('This reading session is not open yet: session 2 opens on 2026-12-30.');
  });

  it('when a submission finds the session closed, says so and shows where the reader stands now', async () => {
    const opensAt = new Date(2027, 0, 3, 9, 0).toISOString();
    let asked = 0;
    const client = fakeClient({
      'studies.readingSession': () => ({ recordedAt: 't' }),
      'studies.nextCase': () => (asked++ === 0 ? caseState() : { state: 'waiting', session: 2, modality: 'aided', opensAt, reason: 'a 28-day washout after your last reading of session 1' }),
      'studies.submitReading': () => {
        throw new ApiError({ code: 'STUDY_SESSION_CLOSED', message: 'This reading session is not open yet: session 2 opens on 3 Jan 2027.' });
      },
    });
    render(ReadingView, { client, studyId: 4, readerCode: 'dr-a', onLeave: () => {} });
    await screen.findByText('Session 1 of 1 · unaided');
    await fireEvent.click(screen.getByLabelText('ASD', { exact: true }));
    await fireEvent.click(screen.getByRole('button', { name: 'Save and next case' }));
    expect((await screen.findByRole('alert')).textContent).toContain('This reading session is not open yet');
    expect((await screen.findByRole('status')).textContent).toContain('Session 2 (aided) opens on 3 Jan 2027 09:00');
  });

  it('marks a training case as not analysed, and a normal case not', async () => {
    const states = [caseState({ training: true, position: 1, total: 3 }), caseState({ caseCode: 'C005', position: 2, total: 3 })];
    let n = 0;
    const client = fakeClient({
      'studies.readingSession': () => ({ recordedAt: 't' }),
      'studies.nextCase': () => states[0],
      'studies.submitReading': () => states[++n],
    });
    const { container } = render(ReadingView, { client, studyId: 4, readerCode: 'dr-a', onLeave: () => {} });
    expect((await screen.findByText('Training case · not analysed')).getAttribute('title')).toBe('Read to learn the task; left out of the analysis');
    await fireEvent.click(screen.getByLabelText('Not ASD'));
    await fireEvent.click(screen.getByRole('button', { name: 'Save and next case' }));
    await screen.findByText('C005', { exact: false });
    expect(container.textContent).not.toContain('Training case');
  });

  const aid: ReadingAid = {
    screening: { modelName: 'posture LR 2026-11', probabilityAsd: 0.734, threshold: 0.5 },
    video: { modelId: 'cnn-7', probabilityAsd: 0.62 },
    measures: [
      { name: 'trunkFlexion', label: 'Trunk flexion', unit: '°', value: 12.34 },
      { name: 'sva', label: 'Sagittal vertical axis', unit: 'mm', value: 104.2 },
    ],
    notes: ['The screening model was trained on 120 patients.'],
  };

  it('shows the aid panel in an aided session: both models, the measures and the notes, as decision support', async () => {
    const client = fakeClient({
      'studies.readingSession': () => ({ recordedAt: 't' }),
      'studies.nextCase': () => caseState({ session: 2, sessions: 2, modality: 'aided', aid }),
    });
    render(ReadingView, { client, studyId: 4, readerCode: 'dr-a', onLeave: () => {} });
    await screen.findByText('Session 2 of 2 · aided by the model');
    const panel = screen.getByRole('complementary', { name: 'Decision support' });
    const text = panel.textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('For research use.');
    expect(text).toContain('not a diagnosis');
    expect(text).toContain('P(ASD) 73% · threshold 50% · at or above the threshold: the model leans to ASD (posture LR 2026-11)');
    expect(text).toContain('Video model P(ASD) 62% (cnn-7)');
    const rows = [...screen.getByRole('table', { name: 'Posture measures' }).querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent));
    expect(rows).toEqual([['Trunk flexion', '12.3', '°'], ['Sagittal vertical axis', '104', 'mm']]);
    expect(text).toContain('The screening model was trained on 120 patients.');
  });

  it('shows no aid in an unaided session', async () => {
    const client = fakeClient({
      'studies.readingSession': () => ({ recordedAt: 't' }),
      'studies.nextCase': () => caseState({ session: 1, sessions: 2 }),
    });
    const { container } = render(ReadingView, { client, studyId: 4, readerCode: 'dr-a', onLeave: () => {} });
    await screen.findByText('Session 1 of 2 · unaided');
    expect(screen.queryByRole('complementary', { name: 'Decision support' })).toBeNull();
    expect(container.textContent).not.toContain('P(ASD)');
  });

  it('draws the patient\'s box over the original video, letterboxed, on the frame nearest the current time', async () => {
    // the video element is 640 x 480 on screen; a 1920 x 1080 original fills it at 1/3, 60 px bars above and below
    const width = vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(640);
    const height = vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(480);
    try {
      const mark: PatientMark = { fps: 30, width: 1920, height: 1080, frames: [45, 46, 60], boxes: [300, 150, 600, 900, 330, 150, 630, 900, 900, 300, 1200, 1050] };
      const client = fakeClient({
        'studies.readingSession': () => ({ recordedAt: 't' }),
        'studies.nextCase': () => caseState({ source: 'original', startSec: 1.5, endSec: 2.5, mark }),
      });
      const { container } = render(ReadingView, { client, studyId: 4, readerCode: 'dr-a', onLeave: () => {} });
      await screen.findByText(/yellow box/);
      const video = container.querySelector('video')!;
      const rect = () => container.querySelector('svg.mark rect');
      // at the start of the window (1.5 s = frame 45)
      await waitFor(() => expect(rect()).not.toBeNull());
      expect([rect()!.getAttribute('x'), rect()!.getAttribute('y'), rect()!.getAttribute('width'), rect()!.getAttribute('height')]).toEqual(['100.0', '110.0', '100.0', '250.0']);
      // 1.9 s = frame 57: the nearest listed frame is 60
      video.currentTime = 1.9;
      await fireEvent(video, new Event('timeupdate'));
      await waitFor(() => expect(container.querySelector('svg.mark')!.getAttribute('data-frame')).toBe('60'));
      expect([rect()!.getAttribute('x'), rect()!.getAttribute('y'), rect()!.getAttribute('width'), rect()!.getAttribute('height')]).toEqual(['300.0', '160.0', '100.0', '250.0']);
    } finally {
      width.mockRestore();
      height.mockRestore();
    }
  });
});

describe('a job row', () => {
  it('shows progress and time left, and cancels', async () => {
    const onCancel = vi.fn();
    const table = document.createElement('table');
    const body = document.createElement('tbody');
    table.append(body);
    document.body.append(table);
    render(JobRow, {
      target: body,
      props: {
        job: { id: 7, kind: 'stage1', status: 'running', videoId: 3, progress: 0.42, message: 'Finding people: frame 97 of 230', error: null, attempts: 1, createdAt: 't', startedAt: 't', finishedAt: null, etaSec: 75 },
        onCancel,
      },
    });
    expect(screen.getByRole('progressbar', { name: 'Progress of job 7' }).getAttribute('aria-valuenow')).toBe('42');
    expect(screen.getByText('2 min left')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel job 7' }));
    expect(onCancel).toHaveBeenCalledWith(7);
  });
});
