import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import JobRow from '../../../../src-renderer/lib/components/JobRow.svelte';
import type { Job } from '../../../../src-main/contract/entities.js';
import { formatElapsed } from '../../../../src-renderer/lib/format.js';

/** A job row says what a clinician knows the job by, never "Done … Done", and a done bar is full. */
const base: Job = {
  id: 12,
  kind: 'stage1',
  status: 'done',
  videoId: 3,
  progress: 0.2,
  message: 'Done',
  error: null,
  attempts: 1,
  runId: null,
  createdAt: '2026-12-02T09:00:00.000Z',
  startedAt: '2026-12-02T09:00:05.000Z',
  finishedAt: '2026-12-02T09:03:10.000Z',
  etaSec: null,
  subject: { fileName: 'corridor walk.mp4', patientCode: 'WS-0001' },
};

function row(job: Job, detailed = false) {
  const table = document.createElement('table');
  const body = document.createElement('tbody');
  table.append(body);
  document.body.append(table);
  return render(JobRow, { target: body, props: { job, onCancel: () => {}, detailed } });
}

afterEach(() => {
  cleanup();
  document.body.innerHTML = '';
});

describe('a job row', () => {
  it('is named by file and patient, with the video id in a tooltip', () => {
    row(base);
    const name = screen.getByTitle('Video 3');
    expect(name.textContent?.replace(/\s+/g, ' ').trim()).toBe('· corridor walk.mp4 · patient WS-0001');
    expect(screen.queryByText(/video 3/)).toBeNull();
  });

  it('says "done" once and fills the bar of a finished job, whatever the last progress said', () => {
    row(base);
    expect(screen.getAllByText(/^done$/i)).toHaveLength(1);
    expect(screen.getByText('100%')).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  });

  it('keeps a message that says more, and an error', () => {
    row({ ...base, status: 'running', progress: 0.4, message: 'Detecting people: 120 of 300 frames', finishedAt: null });
    expect(screen.getByText('Detecting people: 120 of 300 frames')).toBeTruthy();
    cleanup();
    row({ ...base, status: 'failed', error: { code: 'NO_PERSON_FOUND', message: 'No person was found in the video.' } });
    expect(screen.getByText('No person was found in the video.')).toBeTruthy();
  });

  it('falls back to the video id without a subject, and shows start and duration on the Jobs screen', () => {
    const { subject: _s, ...noSubject } = base;
    row(noSubject, true);
    expect(screen.getByText(/· video 3/)).toBeTruthy();
    expect(screen.getByText('3 min 05 s')).toBeTruthy();
  });
});

describe('formatElapsed', () => {
  it('reads as a person would say it', () => {
    expect([0.42, 9.96, 12.4, 185, 3725, -1].map(formatElapsed)).toEqual(['0.4 s', '10 s', '12 s', '3 min 05 s', '1 h 02 min', '—']);
  });
});
