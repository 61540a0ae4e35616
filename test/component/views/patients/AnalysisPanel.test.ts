import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import AnalysisPanel from '../../../../src-renderer/views/patients/AnalysisPanel.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Job, Stage1Summary, Video } from '../../../../src-main/contract/entities.js';

afterEach(() => cleanup());

const video = { id: 7, originalName: 'walk.mp4', kind: 'original' } as unknown as Video;

function client(stage1: unknown = null): WalkScopeClient {
  return {
    call: vi.fn(async (method: string) => (method === 'analyses.stage1' ? stage1 : null)),
    on: () => () => {},
  } as unknown as WalkScopeClient;
}

function job(fields: Partial<Job>): Job {
  return { id: 1, kind: 'stage1', status: 'failed', videoId: 7, progress: 0.3, message: '', messagePhrase: null, error: null, attempts: 1, runId: null, createdAt: '2026-11-28T07:00:00.000Z', startedAt: null, finishedAt: null, etaSec: null, ...fields };
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

function fakeClient(handlers: Record<string, (request: any) => unknown>): WalkScopeClient {
  return { call: vi.fn(async (method: string, request: unknown) => handlers[method]!(request)), on: () => () => {} } as unknown as WalkScopeClient;
}

const summary: Stage1Summary = {
  analysisId: 1,
  videoId: 7,
  createdAt: '2026-11-28T07:00:00Z',
  mode: 'pad',
  size: 512,
  selection: 'walker',
  patientTrackId: 2,
  reason: 'track 2 walks',
  outputVideoIds: [8],
  coverage: { frames: 230, detected: 162, interpolated: 0, missing: 68 },
  segments: [{ startFrame: 40, endFrame: 201, startSec: 1.33, endSec: 6.73 }],
  detector: 'centernet',
  backend: 'wasm x2 threads',
  trackCount: 5,
  seconds: 40,
};

describe('the analysis panel of a video', () => {
  it('says in plain words on how much of the timeline the patient was found (the detector and backend in the tooltip), and runs stage 1 with the detector chosen', async () => {
    const runs: unknown[] = [];
    const client = fakeClient({
      'analyses.stage1': () => summary,
      'analyses.stage2': () => null,
      'analyses.run': (request) => {
        runs.push(request);
        return [];
      },
    });
    const { container } = render(AnalysisPanel, { client, video: { id: 7, originalName: 'walk.mp4' } as Video, refresh: 0, onError: () => {} });
    await waitFor(() => expect(container.querySelector('[data-fact="stage1"]')?.textContent?.trim()).toBe('Patient found on 162 of 230 frames of the 30 fps timeline (70%) · 1 segment of 1 s'));
    expect(container.textContent).not.toContain('wasm');
    expect(container.querySelector('[data-fact="stage1"]')?.getAttribute('title')).toBe('Detector centernet on wasm x2 threads; patient track 2; detection stride 1; 162 frames detected, 0 filled in');
    const detector = screen.getByLabelText('Person detector for walk.mp4') as HTMLSelectElement;
    expect(detector.value).toBe('movenet-multipose');
    await fireEvent.change(detector, { target: { value: 'centernet' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Person-centred clip' }));
    await waitFor(() => expect(runs).toEqual([{ videoIds: [7], scope: 'all', stage1: { mode: 'pad', size: 512, detector: 'centernet' } }]));
  });
});
