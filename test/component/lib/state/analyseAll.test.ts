import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { AnalyseAll } from '../../../../src-renderer/lib/state/analyseAll.svelte.js';
import PatientPage from '../../../../src-renderer/views/patients/PatientPage.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { AnalysisPlan, AnalysisRun, Job, Video } from '../../../../src-main/contract/entities.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';

afterEach(() => {
  cleanup();
  setLanguage('en');
});

const probe = { container: 'mp4', codec: 'h264', pixelFormat: 'yuv420p', width: 640, height: 480, displayWidth: 640, displayHeight: 480, rotation: 0, durationSec: 5, avgFps: 30, realFps: 30, variableFrameRate: false, frameCount: 150, bitRate: null, hasAudio: false, audioCodec: null };
const video = (id: number, kind: Video['kind'], name: string): Video => ({ id, patientCode: 'P001', kind, sourceVideoId: kind === 'original' ? null : 1, sha256: 'x', originalName: name, view: 'sagittal', sizeBytes: 1000, importedAt: '2026-11-27T10:00:00Z', recordedOn: null, recordedOnSource: null, probe, hasThumbnail: false });
const videos = [video(1, 'original', 'walk1.mp4'), video(2, 'original', 'walk2.mp4'), video(3, 'person-centred', 'walk1 person-centred.mp4')];

const job = (id: number, kind: Job['kind'], videoId: number, status: Job['status'], runId: number | null): Job => ({ id, kind, status, videoId, progress: status === 'done' ? 1 : 0, message: '', messagePhrase: null, error: null, attempts: 1, runId, createdAt: 't', startedAt: null, finishedAt: null, etaSec: null });
type Step = AnalysisRun['steps'][number];
const step = (kind: Step['kind'], status: Step['status'], jobId: number | null, message = ''): Step => ({ kind, status, jobId, progress: 0, message });

/**
 * A fake back end: `analyses.run` answers with the plans the test sets; `analyses.runs` with the
 * runs as the test changes them. The decisions themselves are the back end's (tested in
 * test/unit/domain/analysis and test/integration/services/analysisPipeline.test.ts).
 */
function setUp(plans: AnalysisPlan[], options: { refuse?: string; models?: number } = {}) {
  const listeners = new Set<(job: Job) => void>();
  const runs = new Map(plans.flatMap((p) => (p.run ? [[p.run.id, p.run] as const] : [])));
  const requests: { method: string; request: any }[] = [];
  const client = {
    call: vi.fn(async (method: string, request: any) => {
      requests.push({ method, request });
      if (method === 'analyses.run') {
        if (options.refuse) throw new Error(options.refuse);
        return plans;
      }
      if (method === 'analyses.runs') return request.ids.map((id: number) => runs.get(id));
      if (method === 'models.list') return Array.from({ length: options.models ?? 1 }, (_, i) => ({ id: `m${i}` }));
      throw new Error(`unexpected ${method}`);
    }),
    on: () => () => {},
  } as unknown as WalkScopeClient;
  const analyse = new AnalyseAll(() => client, (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  /** The back end moved a run on: its job's update arrives. */
  const advance = async (run: AnalysisRun, changed: Job) => {
    runs.set(run.id, run);
    listeners.forEach((l) => l(changed));
    await vi.waitFor(() => expect(requests.filter((r) => r.method === 'analyses.runs').length).toBeGreaterThan(0));
  };
  const sent = (method: string) => requests.filter((r) => r.method === method).map((r) => r.request);
  const rows = () => analyse.rows.map((r) => [r.videoId, r.step, r.message]);
  return { analyse, advance, sent, rows, listeners };
}

const run = (id: number, videoId: number, steps: Step[], finished = false): AnalysisRun => ({ id, videoId, createdAt: 't', steps, finished });

describe('analyse all (the patient page’s view of runs the back end queues)', () => {
  it('asks the back end once for what every original video needs, then follows each run as its jobs change', async () => {
    const plans: AnalysisPlan[] = [
      { videoId: 1, needs: ['stage1', 'stage2'], run: run(11, 1, [step('stage1', 'queued', 101), step('stage2', 'waiting', null)]) },
      { videoId: 2, needs: ['stage1', 'stage2'], run: run(12, 2, [step('stage1', 'queued', 102), step('stage2', 'waiting', null)]) },
    ];
    const { analyse, advance, sent, rows } = setUp(plans);
    await analyse.start(videos);
    expect(sent('analyses.run')).toEqual([{ videoIds: [1, 2], scope: 'needed' }]);
    expect(analyse.running).toBe(true);
    expect(rows()).toEqual([
      [1, 'working', 'Person-centred clip: queued. Classification: waits for the person-centred clip.'],
      [2, 'working', 'Person-centred clip: queued. Classification: waits for the person-centred clip.'],
    ]);
    await advance(run(11, 1, [step('stage1', 'done', 101), step('stage2', 'queued', 201)]), job(101, 'stage1', 1, 'done', 11));
    await vi.waitFor(() => expect(rows()[0]).toEqual([1, 'working', 'Person-centred clip: done. Classification: queued.']));
    await advance(run(12, 2, [step('stage1', 'failed', 102, 'No person was found in walk2.mp4. Check that the patient is visible and well lit.'), step('stage2', 'skipped', null, 'Not run: stage 1 did not finish.')], true), job(102, 'stage1', 2, 'failed', 12));
    await advance(run(11, 1, [step('stage1', 'done', 101), step('stage2', 'done', 201)], true), job(201, 'stage2', 1, 'done', 11));
    await vi.waitFor(() =>
      expect(rows()).toEqual([
        [1, 'done', 'Person-centred clip: done. Classification: done.'],
        [2, 'failed', 'Person-centred clip: failed: No person was found in walk2.mp4. Check that the patient is visible and well lit. Classification: not run: stage 1 did not finish.'],
      ]),
    );
    expect(analyse.running).toBe(false);
    expect(analyse.summary).toBe('1 of 2 videos analysed, 1 failed');
  });

  it('says when stage 2 did not run (no model), when a stage 2 was cancelled, and when the request was refused', async () => {
    const noModel = 'No classification model is installed. Import a model bundle (Models, Import, or `walkscope models import <bundle>`) to classify videos.';
    const stage1Only = setUp([{ videoId: 1, needs: ['stage1', 'stage2'], run: run(11, 1, [step('stage1', 'done', 101), step('stage2', 'skipped', null, noModel)], true) }], { models: 0 });
    await stage1Only.analyse.start(videos.slice(0, 1));
    expect(stage1Only.rows()).toEqual([[1, 'done', `Person-centred clip: done. Classification: not run: ${noModel}`]]);
    expect(stage1Only.analyse.hasModel).toBe(false);
    expect(stage1Only.analyse.summary).toBe('1 of 1 video analysed');

    const cancelled = setUp([{ videoId: 1, needs: ['stage2'], run: run(11, 1, [step('stage2', 'cancelled', 201, 'The job was cancelled.')], true) }]);
    await cancelled.analyse.start(videos.slice(0, 1));
    expect(cancelled.rows()).toEqual([[1, 'failed', 'Classification: cancelled.']]);

    const refused = setUp([], { refuse: 'No video with id 2 exists.' });
    await refused.analyse.start(videos);
    expect(refused.analyse.error).toBe('The analysis could not be queued: No video with id 2 exists.');
    expect(refused.analyse.rows).toEqual([]);
    expect(refused.analyse.running).toBe(false);
  });

  it('shows what was up to date, what needed stage 2 only, and asks for everything again on Re-run all', async () => {
    const plans: AnalysisPlan[] = [
      { videoId: 1, needs: [], run: null },
      { videoId: 2, needs: ['stage2'], run: run(12, 2, [step('stage2', 'queued', 202)]) },
    ];
    const { analyse, sent, rows } = setUp(plans);
    await analyse.start(videos);
    expect(rows()).toEqual([
      [1, 'up to date', 'Already analysed: not run again (Re-run all runs it anyway).'],
      [2, 'working', 'Classification: queued.'],
    ]);
    expect(analyse.summary).toBe('1 of 2 videos analysed, working…');
    const again = setUp(plans);
    await again.analyse.start(videos, { rerun: true });
    expect(again.sent('analyses.run')).toEqual([{ videoIds: [1, 2], scope: 'all' }]);
    expect(sent('analyses.run')).toEqual([{ videoIds: [1, 2], scope: 'needed' }]);
  });

  it('ignores jobs of other runs, says so when there is nothing to analyse, and stops listening when disposed', async () => {
    const { analyse, sent, listeners } = setUp([{ videoId: 1, needs: ['stage1', 'stage2'], run: run(11, 1, [step('stage1', 'queued', 101), step('stage2', 'waiting', null)]) }]);
    await analyse.start(videos.slice(0, 1));
    const before = sent('analyses.runs').length;
    listeners.forEach((l) => l(job(999, 'stage1', 9, 'done', 77)));
    listeners.forEach((l) => l(job(998, 'media.analyse', 1, 'done', null)));
    await new Promise((r) => setTimeout(r, 10));
    expect(sent('analyses.runs').length).toBe(before);
    analyse.reset();
    await analyse.start([videos[2]!]);
    expect(analyse.error).toBe('This patient has no original videos to analyse. Import a walking video first.');
    expect(analyse.rows).toEqual([]);
    analyse.dispose();
    expect(listeners.size).toBe(0);
  });
});

describe('analyse all, in Japanese', () => {
  it('counts the videos analysed and says what went wrong in Japanese', async () => {
    setLanguage('ja');
    const plans: AnalysisPlan[] = [
      { videoId: 1, needs: [], run: null },
      { videoId: 2, needs: ['stage2'], run: run(12, 2, [step('stage2', 'queued', 202)]) },
    ];
    const { analyse, rows } = setUp(plans);
    await analyse.start(videos);
    expect(rows()).toEqual([
      [1, 'up to date', '解析済みのため再実行していません（全件の再解析を選ぶと再実行します）。'],
      [2, 'working', '分類：待機中。'],
    ]);
    expect(analyse.summary).toBe('2 本中 1 本を解析済み、処理中…');

    const failed = setUp([
      { videoId: 1, needs: ['stage2'], run: run(11, 1, [step('stage2', 'done', 201)], true) },
      { videoId: 2, needs: ['stage2'], run: run(12, 2, [step('stage2', 'cancelled', 202)], true) },
    ]);
    await failed.analyse.start(videos);
    expect(failed.analyse.summary).toBe('2 本中 1 本を解析済み、1 本失敗');

    const refused = setUp([], { refuse: 'ID 2 の動画はありません。' });
    await refused.analyse.start(videos);
    expect(refused.analyse.error).toBe('解析を開始できませんでした：ID 2 の動画はありません。');
    const none = setUp([]);
    await none.analyse.start([videos[2]!]);
    expect(none.analyse.error).toBe('この患者には解析できる元動画がありません。先に歩行動画を取り込んでください。');
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
          case 'screening.explain':
            return { explanation: null, reason: 'No screening model has been accepted yet.', missing: 'model' };
          case 'analyses.run':
            return request.videoIds.map((id: number) => ({ videoId: id, needs: ['stage1', 'stage2'], run: run(10 + id, id, [step('stage1', 'queued', 100 + id), step('stage2', 'waiting', null)]) }));
          case 'analyses.runs':
            return request.ids.map((id: number) => run(id, id - 10, [step('stage1', 'queued', 90 + id), step('stage2', 'waiting', null)]));
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
    await waitFor(() => expect(requests.filter((r) => r.method === 'analyses.run').map((r) => r.request)).toEqual([{ videoIds: [1, 2], scope: 'needed' }]));
    await screen.findByText('0 of 2 videos analysed, working…', { exact: false });
    expect((screen.getByRole('button', { name: 'Analysing…' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Re-run all' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
