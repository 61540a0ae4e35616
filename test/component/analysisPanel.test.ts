import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import AnalysisPanel from '../../src-renderer/views/patients/AnalysisPanel.svelte';
import type { WalkScopeClient } from '../../src-renderer/lib/api/client.js';
import type { Job, Video } from '../../src-main/contract/entities.js';

const video = { id: 7, originalName: 'walk.mp4', kind: 'original' } as unknown as Video;

function client(stage1: unknown = null): WalkScopeClient {
  return {
    call: vi.fn(async (method: string) => (method === 'analyses.stage1' ? stage1 : null)),
    on: () => () => {},
  } as unknown as WalkScopeClient;
}

function job(fields: Partial<Job>): Job {
  return { id: 1, kind: 'stage1', status: 'failed', videoId: 7, progress: 0.3, message: '', error: null, attempts: 1, createdAt: '2026-11-28T07:00:00.000Z', startedAt: null, finishedAt: null, etaSec: null, ...fields };
}

describe('analysis panel of a video', () => {
  it('says why the last stage 1 run failed instead of "not run"', async () => {
    const failed = job({ error: { code: 'NO_PERSON_FOUND', message: 'No person was found in walk.mp4.' } as Job['error'] });
    const { container } = render(AnalysisPanel, { client: client(), video, refresh: 0, jobs: [failed], onError: () => {} });
    await screen.findByText(/last run failed: No person was found in walk.mp4./);
    expect(container.textContent).toContain('Stage 2');
    expect(container.querySelectorAll('.failed')).toHaveLength(1);
  });

  it('shows progress of a running job and ignores jobs of other videos', async () => {
    const running = job({ status: 'running', progress: 0.42 });
    const other = job({ id: 2, videoId: 8, kind: 'stage2' });
    const { container } = render(AnalysisPanel, { client: client(), video, refresh: 0, jobs: [running, other], onError: () => {} });
    await screen.findByText('running, 42%');
    expect(container.textContent).not.toContain('failed');
    expect(container.textContent).toContain('not run'); // stage 2 of this video
  });
});
