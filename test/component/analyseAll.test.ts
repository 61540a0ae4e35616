import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { AnalyseAll } from '../../src-renderer/lib/state/analyseAll.svelte.js';
import PatientPage from '../../src-renderer/views/patients/PatientPage.svelte';
import type { WalkScopeClient } from '../../src-renderer/lib/api/client.js';
import type { Job, Video } from '../../src-main/contract/entities.js';

afterEach(cleanup);

const probe = { container: 'mp4', codec: 'h264', pixelFormat: 'yuv420p', width: 640, height: 480, displayWidth: 640, displayHeight: 480, rotation: 0, durationSec: 5, avgFps: 30, realFps: 30, variableFrameRate: false, frameCount: 150, bitRate: null, hasAudio: false, audioCodec: null };
const video = (id: number, kind: Video['kind'], name: string): Video => ({ id, patientCode: 'P001', kind, sourceVideoId: kind === 'original' ? null : 1, sha256: 'x', originalName: name, view: 'sagittal', sizeBytes: 1000, importedAt: '2026-11-27T10:00:00Z', probe, hasThumbnail: false });
const videos = [video(1, 'original', 'walk1.mp4'), video(2, 'original', 'walk2.mp4'), video(3, 'person-centred', 'walk1 person-centred.mp4')];

const job = (id: number, kind: Job['kind'], videoId: number, status: Job['status'], error: Job['error'] = null): Job => ({ id, kind, status, videoId, progress: status === 'done' ? 1 : 0, message: '', error, attempts: 1, createdAt: 't', startedAt: null, finishedAt: null, etaSec: null });

/** A fake back end: jobs get ids 101, 102… for stage 1 and 201, 202… for stage 2; updates are pushed by the test. */
function setUp(options: { models?: number; stage1Fails?: number; finishBeforeReply?: boolean; stored?: Record<number, { stage1?: unknown; stage2?: unknown }> } = {}) {
  const listeners = new Set<(job: Job) => void>();
  const emit = (j: Job) => listeners.forEach((l) => l(j));
  const requests: { method: string; request: any }[] = [];
  let stage1 = 100;
  let stage2 = 200;
  const client = {
    call: vi.fn(async (method: string, request: any) => {
      requests.push({ method, request });
      if (method === 'models.list') return Array.from({ length: options.models ?? 1 }, (_, i) => ({ id: `m${i}`, sha256: `hash${i}` }));
      if (method === 'analyses.stage1') return options.stored?.[request.videoId]?.stage1 ?? null;
      if (method === 'analyses.stage2') return options.stored?.[request.videoId]?.stage2 ?? null;
      if (method === 'analyses.runStage1') {
        if (request.videoId === options.stage1Fails) throw new Error('No video with id 2 exists.');
        const queued = job(++stage1, 'stage1', request.videoId, 'queued');
        if (options.finishBeforeReply) emit({ ...queued, status: 'done' });
        return queued;
      }
      if (method === 'analyses.runStage2') return job(++stage2, 'stage2', request.videoId, 'queued');
      throw new Error(`unexpected ${method}`);
    }),
    on: () => () => {},
  } as unknown as WalkScopeClient;
  const run = new AnalyseAll(() => client, (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  const sent = (method: string) => requests.filter((r) => r.method === method).map((r) => r.request);
  const steps = () => run.rows.map((r) => [r.videoId, r.step, r.message]);
  return { run, emit, sent, steps, listeners };
}

describe('analyse all', () => {
  it('queues stage 1 for every original video, then stage 2 for each as its stage 1 is done', async () => {
    const { run, emit, sent, steps } = setUp();
    await run.start(videos);
    expect(sent('analyses.runStage1')).toEqual([{ videoId: 1 }, { videoId: 2 }]);
    expect(run.running).toBe(true);
    expect(steps()).toEqual([
      [1, 'stage 1 queued', 'Stage 1 (person-centred clip) queued.'],
      [2, 'stage 1 queued', 'Stage 1 (person-centred clip) queued.'],
    ]);
    emit(job(101, 'stage1', 1, 'running'));
    expect(sent('analyses.runStage2')).toEqual([]);
    emit(job(101, 'stage1', 1, 'done'));
    await vi.waitFor(() => expect(sent('analyses.runStage2')).toEqual([{ videoId: 1 }]));
    await vi.waitFor(() => expect(run.rows[0]!.stage2JobId).toBe(201));
    emit(job(102, 'stage1', 2, 'failed', { code: 'NO_PERSON_FOUND', message: 'No person was found in walk2.mp4. Check that the patient is visible and well lit.' }));
    emit(job(201, 'stage2', 1, 'done'));
    expect(steps()).toEqual([
      [1, 'done', 'Stage 1 and stage 2 done.'],
      [2, 'failed', 'Stage 1 did not finish: No person was found in walk2.mp4. Check that the patient is visible and well lit.'],
    ]);
    expect(sent('analyses.runStage2')).toEqual([{ videoId: 1 }]);
    expect(run.running).toBe(false);
    expect(run.summary).toBe('1 of 2 videos analysed, 1 failed');
  });

  it('runs stage 1 only, and says so, when no model is installed', async () => {
    const { run, emit, sent, steps } = setUp({ models: 0 });
    await run.start(videos.slice(0, 1));
    emit(job(101, 'stage1', 1, 'done'));
    expect(steps()).toEqual([[1, 'stage 1 only', 'Stage 1 done. No classification model is installed, so stage 2 did not run.']]);
    expect(sent('analyses.runStage2')).toEqual([]);
    expect(run.summary).toBe('1 of 1 video analysed');
  });

  it('handles a job that ends before its id comes back, a cancelled stage 2 and a refused request', async () => {
    const quick = setUp({ finishBeforeReply: true });
    await quick.run.start(videos.slice(0, 1));
    await vi.waitFor(() => expect(quick.sent('analyses.runStage2')).toEqual([{ videoId: 1 }]));
    await vi.waitFor(() => expect(quick.run.rows[0]!.stage2JobId).toBe(201));
    quick.emit(job(201, 'stage2', 1, 'cancelled'));
    expect(quick.steps()).toEqual([[1, 'failed', 'Stage 2 did not finish: it was cancelled']]);

    const refused = setUp({ stage1Fails: 2 });
    await refused.run.start(videos);
    expect(refused.steps()[1]).toEqual([2, 'failed', 'Stage 1 could not be queued: No video with id 2 exists.']);
  });

  it('runs only what each video still needs, and everything again when asked', async () => {
    const stage1 = (outputVideoIds: number[], noPersonFound = false) => ({ outputVideoIds, noPersonFound });
    const stage2 = (classifiedVideoId: number, id: string, sha256: string) => ({ classifiedVideoId, model: { id, sha256 } });
    const stored = {
      1: { stage1: stage1([11]), stage2: stage2(11, 'm0', 'hash0') }, // up to date
      2: { stage1: stage1([12]) }, // stage 1 only so far
      4: { stage1: stage1([14]), stage2: stage2(99, 'm0', 'hash0') }, // stage 1 re-run since: its stage 2 classified an older clip
      5: { stage1: stage1([15]), stage2: stage2(15, 'm0', 'an older file') }, // the model file was replaced since
      6: { stage1: stage1([], true) }, // nobody in it: running again finds nobody again
    };
    const originals = [1, 2, 3, 4, 5, 6].map((id) => video(id, 'original', `walk${id}.mp4`));
    const { run, emit, sent, steps } = setUp({ stored });
    await run.start(originals);
    expect(sent('analyses.runStage1')).toEqual([{ videoId: 3 }]);
    expect(sent('analyses.runStage2')).toEqual([{ videoId: 2 }, { videoId: 4 }, { videoId: 5 }]);
    expect(steps().map(([id, step]) => [id, step])).toEqual([
      [1, 'up to date'],
      [2, 'stage 2 queued'],
      [3, 'stage 1 queued'],
      [4, 'stage 2 queued'],
      [5, 'stage 2 queued'],
      [6, 'up to date'],
    ]);
    expect(steps()[0]![2]).toBe('Already analysed: not run again (Re-run all runs it anyway).');
    emit(job(201, 'stage2', 2, 'done'));
    expect(steps()[1]).toEqual([2, 'done', 'Stage 1 and stage 2 done.']);
    expect(run.summary).toBe('3 of 6 videos analysed, working…');

    const again = setUp({ stored });
    await again.run.start(originals, { rerun: true });
    expect(again.sent('analyses.stage1')).toEqual([]);
    expect(again.sent('analyses.runStage1').map((r) => r.videoId)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a video whose results are all in is up to date at once; without a model, a stage 1 result is enough', async () => {
    const stored = { 1: { stage1: { outputVideoIds: [11], noPersonFound: false } } };
    const noModel = setUp({ models: 0, stored });
    await noModel.run.start(videos.slice(0, 1));
    expect(noModel.steps()).toEqual([[1, 'up to date', 'Already analysed: not run again (Re-run all runs it anyway).']]);
    expect(noModel.run.running).toBe(false);
    expect(noModel.run.summary).toBe('1 of 1 video analysed');
    expect(noModel.sent('analyses.runStage1')).toEqual([]);
  });

  it('says so when there is nothing to analyse, and stops listening when disposed', async () => {
    const { run, listeners } = setUp();
    await run.start([videos[2]!]);
    expect(run.error).toBe('This patient has no original videos to analyse. Import a walking video first.');
    expect(run.rows).toEqual([]);
    run.dispose();
    expect(listeners.size).toBe(0);
  });
});

describe('the patient page', () => {
  it('offers "Analyse all" (and "Re-run all") for the original videos and shows each video’s progress', async () => {
    const listeners = new Set<(job: Job) => void>();
    const requests: { method: string; request: any }[] = [];
    const client = {
      call: vi.fn(async (method: string, request: any) => {
        requests.push({ method, request });
        switch (method) {
          case 'patients.get':
            return { patient: { id: 1, code: 'P001', name: null, sex: 'female', birthYear: 1952, diagnosis: 'ASD', notes: '', createdAt: 't', updatedAt: 't', videoCount: 3 }, videos };
          case 'models.list':
            return [{ id: 'm' }];
          case 'analyses.runStage1':
            return job(100 + request.videoId, 'stage1', request.videoId, 'queued');
          case 'analyses.stage1':
          case 'analyses.stage2':
            return null;
          default:
            throw new Error(`unexpected ${method}`);
        }
      }),
      on: () => () => {},
    } as unknown as WalkScopeClient;
    const jobs = { onUpdate: (l: (job: Job) => void) => (listeners.add(l), () => listeners.delete(l)) };
    render(PatientPage, { client, jobs: jobs as any, code: 'P001' });
    const button = await screen.findByRole('button', { name: 'Analyse all (2 videos)' });
    await fireEvent.click(button);
    await waitFor(() => expect(requests.filter((r) => r.method === 'analyses.runStage1').map((r) => r.request)).toEqual([{ videoId: 1 }, { videoId: 2 }]));
    await screen.findByText('0 of 2 videos analysed, working…', { exact: false });
    expect((screen.getByRole('button', { name: 'Analysing…' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Re-run all' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
