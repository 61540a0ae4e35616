import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import ReadingView from '../../../../src-renderer/views/studies/ReadingView.svelte';
import JobRow from '../../../../src-renderer/lib/components/JobRow.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';

function fakeClient(handlers: Record<string, (request: any) => unknown>): WalkScopeClient {
  return {
    call: vi.fn(async (method: string, request: unknown) => handlers[method]!(request)),
    studyCaseUrl: (id: number, code: string) => `blob:case/${id}/${code}`,
    videoUrl: (id: number) => `blob:video/${id}`,
    on: () => () => {},
  } as unknown as WalkScopeClient;
}

describe('reading mode', () => {
  it('shows only the case code and its clip, requires a call, and sends call, confidence and time', async () => {
    const cases = [
      { studyId: 4, caseCode: 'C002', position: 1, total: 2, startSec: 1.5, endSec: 2.5 },
      { studyId: 4, caseCode: 'C001', position: 2, total: 2, startSec: 0, endSec: 1 },
    ];
    const submitted: any[] = [];
    const client = fakeClient({
      'studies.nextCase': () => cases[0],
      'studies.submitReading': (request) => {
        submitted.push(request);
        return cases[submitted.length] ?? null;
      },
    });
    const { container } = render(ReadingView, { client, studyId: 4, readerCode: 'dr-a' });
    await screen.findByText(/Case/);
    expect(container.textContent).toContain('C002');
    const video = container.querySelector('video')!;
    expect(video.getAttribute('src')).toBe('blob:case/4/C002#t=1.5,2.5');
    expect(video.hasAttribute('controls')).toBe(false); // the protocol's clip only
    const save = screen.getByRole('button', { name: 'Save and next case' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await fireEvent.click(screen.getByLabelText('ASD', { exact: true }));
    await fireEvent.input(screen.getByLabelText('Confidence in the call, 0 to 100'), { target: { value: '80' } });
    await fireEvent.click(save);
    await waitFor(() => expect(submitted).toHaveLength(1));
    expect(submitted[0]).toMatchObject({ id: 4, readerCode: 'dr-a', caseCode: 'C002', call: 'ASD', confidence: 80 });
    expect(submitted[0].timeSpentMs).toBeGreaterThanOrEqual(0);
    await screen.findByText((_, el) => el?.textContent === 'Case 2 of 2 (C001)');
    await fireEvent.click(screen.getByLabelText('Not ASD'));
    await fireEvent.click(screen.getByRole('button', { name: 'Save and next case' }));
    await screen.findByText('You have read every case of this study.');
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
