import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AnalysisPlan, AnalysisRun, Job, Stage1Summary, Stage2Result, Video } from '../../../src-main/contract/entities.js';
import type { VideoMeasurements } from '../../../src-main/contract/measurements.js';
import { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';
import { measurementVersion } from '../../../src-main/domain/posture/measureVideo.js';

const tinyModel = resolve(import.meta.dirname, '../../fixtures/models/slow_r50-tiny');

/** Waits for the first job update that matches. */
function nextUpdate(app: WalkScopeApp, match: (job: Job) => boolean): Promise<Job> {
  return new Promise((resolve) => {
    const off = app.events.on('job.updated', (job) => {
      if (match(job)) {
        off();
        resolve(job);
      }
    });
  });
}

/**
 * Analysis runs without running any job: the decisions (what each video needs, what is queued
 * first, what follows a commit) against a real store. Stage results are written the way the
 * commits write them; the real chains are below.
 */
describe.runIf(requireTestdata())('analysis runs: what is queued (no workers; the tiny random-weight model, not a clinical one)', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let ids: number[];

  /** A stage 1 result as the stage 1 commit stores it (clip video `clipId`, the patient's track 1 on frames 0-9), superseding older results. */
  const stage1Done = (videoId: number, clipId: number) => {
    const frames = Array.from({ length: 10 }, (_, i) => i);
    const analysis = app.store.analyses.insert('test', {
      videoId,
      stage: 1,
      jobId: null,
      params: {},
      result: { mode: 'pad', size: 64, selection: 'walker', patientTrackId: 1, patientTrackIds: [1], reason: 'track 1 walks', coverage: { frames: 10, detected: 10, interpolated: 0, betweenDetections: 0, missing: 0 }, segments: [{ startFrame: 0, endFrame: 9, startSec: 0, endSec: 1 / 3, detected: 10, interpolated: 0, outputStartFrame: 0 }], detector: 'movenet-multipose', backend: 'test', stride: 1, fps: 30, sourceWidth: 64, sourceHeight: 64, trackCount: 1, assessments: [], crops: { frames: [], canvas: [], visible: [] }, outputFrames: 10, timings: { detectMs: 1, trackMs: 1, writeMs: 1, totalMs: 3 }, outputVideoIds: [clipId] },
      classifiedVideoId: clipId,
      tracks: { fps: 30, width: 64, height: 64, frameCount: 10, stride: 1, patientTrackId: 1, tracks: [{ id: 1, frames, boxes: frames.flatMap(() => [20, 10, 40, 60]) }], patientKeypoints: { frames: [], points: [] } },
    });
    app.store.analyses.supersedeBefore('test', analysis);
    return analysis;
  };
  /** Measurements on a stage 1 result, as the measure commit stores them (no segment: the shape is what counts here). */
  const measuredDone = (videoId: number, stage1AnalysisId: number) =>
    app.store.measurements.insert('test', {
      videoId,
      stage1AnalysisId,
      jobId: null,
      result: {
        provenance: { model: 'movenet-thunder', modelSha256: 'x', backend: 'test', filter: 'test', minScore: 0.3, swapsRepaired: 0, version: measurementVersion },
        verticalReferenceDeg: 0,
        segments: [],
        gait: { cadence: null, stepTimeAsymmetry: null, footContacts: [], notes: [] },
        summary: { measures: {}, sagittalSegments: 0, segments: 0, notes: [] },
        seconds: 1,
      },
      frames: { pose: { fps: 30, width: 64, height: 64, names: [], frames: [], points: [] }, series: { frames: [], values: {} } },
    });
  const stage2Done = (videoId: number, classifiedVideoId: number, stage1AnalysisId: number | null, model: { id: string; sha256: string }) =>
    app.store.analyses.insert('test', {
      videoId,
      stage: 2,
      jobId: null,
      params: {},
      result: { clips: [], videoScore: 0.7, verdict: 'ASD', researchOnly: true, aggregation: 'mean', threshold: 0.5, provider: 'cpu', providersSkipped: [], bundle: { ...model, name: 'tiny', version: '1', validated: false }, preprocessing: { frames: 8, clipSeconds: 1, size: 64, mean: [0.45, 0.45, 0.45], std: [0.225, 0.225, 0.225], fps: 30, sampler: 'uniform', resize: 'exact', decodeFilters: '', decodedWidth: 64, decodedHeight: 64, durationSec: 1 }, timings: { decodeAndPreprocessMs: 1, inferenceMs: 1, totalMs: 2 }, appVersion: 'test' },
      modelId: model.id,
      classifiedVideoId,
      stage1AnalysisId,
    });
  const queued = () => app.store.jobs.list(['queued']).map((j) => [j.kind, j.videoId]).sort();
  const clear = () => app.store.db.prepare(`UPDATE jobs SET status = 'cancelled' WHERE status = 'queued'`).run();

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ runJobs: false }));
    ok(await app.call('patients.create', { code: 'AP1', diagnosis: 'ASD' }));
    // six originals: the same clip re-encoded, one per state to test (ids in import order)
    ids = [];
    for (const name of [clips.intelWorker15fps, clips.intelEmptyRoom, clips.intelBackview10fps, clips.sports2dH264, clips.sports2dVp9]) {
      ids.push(ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'AP1', source: { kind: 'path', path: testVideo(name) } })).video.id);
    }
    clear();
  });
  afterAll(async () => dispose());

  it('without a model: stage 1 for what has none, and stage 2 planned as skipped, with the reason', async () => {
    const plans = ok<AnalysisPlan[]>(await app.call('analyses.run', { videoIds: [ids[0]!] }));
    expect(plans).toHaveLength(1);
    expect(plans[0]!.needs).toEqual(['stage1', 'measure', 'stage2']);
    expect(plans[0]!.run!.steps.map((s) => [s.kind, s.status])).toEqual([
      ['stage1', 'queued'],
      ['measure', 'waiting'],
      ['stage2', 'skipped'],
    ]);
    expect(plans[0]!.run!.steps[2]!.message).toContain('No classification model is installed');
    expect(queued()).toEqual([['stage1', ids[0]]]);
    clear();
  });

  it('runs only what each video still needs, and every step again when asked (the cases "Analyse all" had in the renderer)', async () => {
    const model = ok<{ id: string; sha256: string }>(await app.call('models.import', { source: { kind: 'path', path: tinyModel } }));
    const [a, b, c, d, e] = ids as [number, number, number, number, number];
    // a: up to date; b: stage 1 and measures only so far; c: nothing yet; d: stage 1 ran again after its stage 2 (and was measured);
    // e: the model file was replaced since, and its measures are of an older stage 1
    const a1 = stage1Done(a, a);
    measuredDone(a, a1.id);
    stage2Done(a, a, a1.id, model);
    measuredDone(b, stage1Done(b, b).id);
    const d1 = stage1Done(d, d);
    stage2Done(d, d, d1.id, model);
    measuredDone(d, stage1Done(d, d).id);
    const e1 = stage1Done(e, e);
    measuredDone(e, e1.id);
    stage2Done(e, e, e1.id, { id: model.id, sha256: 'an older file' });
    stage1Done(e, e);
    stage2Done(e, e, app.store.analyses.current(e, 1)!.id, { id: model.id, sha256: 'an older file' });
    const plans = ok<AnalysisPlan[]>(await app.call('analyses.run', { videoIds: ids }));
    expect(plans.map((p) => [p.videoId, p.needs, p.run?.steps.map((s) => `${s.kind} ${s.status}`) ?? null])).toEqual([
      [a, [], null],
      [b, ['stage2'], ['stage2 queued']],
      [c, ['stage1', 'measure', 'stage2'], ['stage1 queued', 'measure waiting', 'stage2 waiting']],
      [d, ['stage2'], ['stage2 queued']],
      [e, ['measure', 'stage2'], ['measure queued', 'stage2 queued']],
    ]);
    expect(queued()).toEqual([
      ['stage1', c],
      ['stage2', b],
      ['stage2', d],
      ['measure', e],
      ['stage2', e],
    ].sort());
    // the measures run on the current stage 1's patient track: a square around her box on each frame of the segment
    const measureJob = app.store.jobs.list(['queued']).find((j) => j.kind === 'measure')!;
    expect(measureJob.params).toMatchObject({ videoId: e, stage1AnalysisId: app.store.analyses.current(e, 1)!.id, segments: [{ startFrame: 0, endFrame: 9 }], verticalReferenceDeg: 0 });
    expect((measureJob.params as { squares: { frames: number[] } }).squares.frames).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    clear();
    const again = ok<AnalysisPlan[]>(await app.call('analyses.run', { videoIds: ids, scope: 'all' }));
    expect(again.every((p) => p.needs.join() === 'stage1,measure,stage2')).toBe(true);
    expect(queued().filter(([kind]) => kind === 'stage1').map(([, id]) => id)).toEqual([...ids].sort());
    clear();
  });

  it('queues the measures and stage 2 on the new stage 1 in the transaction that commits it; classify always uses the current clip', async () => {
    const [, , c] = ids as [number, number, number];
    const [plan] = ok<AnalysisPlan[]>(await app.call('analyses.run', { videoIds: [c], scope: 'all' }));
    const stage1Job = app.store.jobs.get(plan!.run!.steps[0]!.jobId!);
    // what the runner does when stage 1's worker is done: the commit's writes, the job marked done, the pipeline's turn
    app.store.db.transaction(() => {
      stage1Done(c, ids[4]!);
      app.store.jobs.finish(stage1Job.id, 'done', { result: null });
      app.services.pipeline.afterCommit(app.store.jobs.get(stage1Job.id));
    })();
    const [run] = ok<AnalysisRun[]>(await app.call('analyses.runs', { ids: [plan!.run!.id] }));
    expect(run!.steps.map((s) => `${s.kind} ${s.status}`)).toEqual(['stage1 done', 'measure queued', 'stage2 queued']);
    expect(app.store.jobs.get(run!.steps[1]!.jobId!).params).toMatchObject({ stage1AnalysisId: app.store.analyses.current(c, 1)!.id });
    const stage2Job = app.store.jobs.get(run!.steps[2]!.jobId!);
    expect(stage2Job.runId).toBe(run!.id);
    expect(stage2Job.params).toMatchObject({ videoId: c, classifiedVideoId: ids[4], stage1AnalysisId: app.store.analyses.current(c, 1)!.id });
    clear();
  });

  it('a stage 2 of an older clip is superseded by the stage 1 after it and is never shown as current', async () => {
    const [, b] = ids as [number, number];
    const model = app.store.modelBundles.list()[0]!;
    const old = stage2Done(b, b, app.store.analyses.current(b, 1)!.id, model);
    expect(ok<Stage2Result>(await app.call('analyses.stage2', { videoId: b })).analysisId).toBe(old.id);
    const newer = stage1Done(b, ids[3]!);
    expect(app.store.analyses.get(old.id)!.supersededBy).toBe(newer.id);
    expect(ok<Stage2Result | null>(await app.call('analyses.stage2', { videoId: b }))).toBeNull();
    expect(ok<Stage1Summary>(await app.call('analyses.stage1', { videoId: b })).outputVideoIds).toEqual([ids[3]]);
    // the supersession is in the audit log
    expect(app.store.audit.list({ entity: 'analysis', entityId: String(newer.id) }).map((e) => e.action)).toContain('analysis.supersede');
  });

  it('refuses stage 1 on a person-centred clip and classify without any model, in words', async () => {
    expect(await app.call('analyses.run', { videoIds: [999] })).toMatchObject({ ok: false, error: { code: 'VIDEO_NOT_FOUND' } });
    expect(await app.call('analyses.run', { videoIds: [] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('at least one video') } });
  });
});

/** The real chain: stage 1 and stage 2 jobs in worker threads, on the short Intel walker clip. */
describe.runIf(requireTestdata())('analysis runs end to end (real stage 1, the tiny random-weight model)', () => {
  it('finishes stage 1 and then stage 2 with nobody watching, and a restart mid-chain resumes it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'walkscope-pipeline-'));
    try {
      let app = await WalkScopeApp.open({ dataDir, transport: 'test', log: () => {} });
      ok(await app.call('patients.create', { code: 'RS1', diagnosis: 'ASD' }));
      ok(await app.call('models.import', { source: { kind: 'path', path: tinyModel } }));
      const video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'RS1', source: { kind: 'path', path: testVideo(clips.intelWorker15fps) } })).video;
      await app.runner.idle();
      const stage1Committed = nextUpdate(app, (j) => j.kind === 'stage1' && j.status === 'done');
      const [plan] = ok<AnalysisPlan[]>(await app.call('analyses.run', { videoIds: [video.id] }));
      const committed = await stage1Committed;
      // the process ends right after stage 1 committed: stage 2 was queued in the same transaction
      await app.close();
      const afterCrash = await WalkScopeApp.open({ dataDir, transport: 'test', log: () => {}, runJobs: false });
      const [between] = ok<AnalysisRun[]>(await afterCrash.call('analyses.runs', { ids: [plan!.run!.id] }));
      expect(between!.steps.map((s) => s.kind)).toEqual(['stage1', 'measure', 'stage2']);
      expect(between!.steps[0]).toMatchObject({ status: 'done', jobId: committed.id });
      // whether they had started or not, the measures and stage 2 wait in the queue for the next start
      expect(between!.steps.slice(1).map((s) => s.status)).toEqual(['queued', 'queued']);
      await afterCrash.close();
      app = await WalkScopeApp.open({ dataDir, transport: 'test', log: () => {} });
      await app.runner.idle();
      const [done] = ok<AnalysisRun[]>(await app.call('analyses.runs', { ids: [plan!.run!.id] }));
      expect(done!.steps.map((s) => `${s.kind} ${s.status}`)).toEqual(['stage1 done', 'measure done', 'stage2 done']);
      const measured = ok<VideoMeasurements>(await app.call('measurements.get', { videoId: video.id }));
      expect(done!.finished).toBe(true);
      const stage1 = ok<Stage1Summary>(await app.call('analyses.stage1', { videoId: video.id }));
      const stage2 = ok<Stage2Result>(await app.call('analyses.stage2', { videoId: video.id }));
      expect(stage2.classifiedVideoId).toBe(stage1.outputVideoIds[0]);
      expect(app.store.analyses.get(stage2.analysisId)!.stage1AnalysisId).toBe(stage1.analysisId);
      expect(measured.stage1AnalysisId).toBe(stage1.analysisId);
      // nothing left to do: a second "Analyse all" queues nothing
      expect(ok<AnalysisPlan[]>(await app.call('analyses.run', { videoIds: [video.id] }))).toEqual([{ videoId: video.id, needs: [], run: null }]);
      await app.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/**
 * The defect found in serve mode: stage 1 re-run with the man on the box as the patient, then
 * with the walking woman again (her clip has the same bytes as before, so it is the same video);
 * every later classification still scored the man's clip, and that score reached the study.
 */
describe.runIf(requireTestdata())('a verdict always belongs to the current patient clip (Sports2D, the tiny random-weight model)', () => {
  it('re-running stage 1 supersedes the older results, stage 2 follows on the new clip, and "classify again" uses it', async () => {
    const { app, dispose } = await openTempApp();
    try {
      ok(await app.call('patients.create', { code: 'WP1', diagnosis: 'ASD' }));
      ok(await app.call('models.import', { source: { kind: 'path', path: tinyModel } }));
      const video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'WP1', source: { kind: 'path', path: testVideo(clips.sports2dH264) } })).video;
      ok(await app.call('analyses.run', { videoIds: [video.id], stage1: { size: 128 } }));
      await app.runner.idle();
      const woman = ok<Stage1Summary>(await app.call('analyses.stage1', { videoId: video.id }));
      const womanClip = woman.outputVideoIds[0]!;
      expect(ok<Stage2Result>(await app.call('analyses.stage2', { videoId: video.id })).classifiedVideoId).toBe(womanClip);

      const tracks = ok<{ tracks: Array<{ id: number; frames: number[] }> }>(await app.call('analyses.tracks', { videoId: video.id })).tracks;
      const man = tracks.filter((t) => t.id !== woman.patientTrackId).sort((x, y) => y.frames.length - x.frames.length)[0]!;
      ok(await app.call('analyses.runStage1', { videoId: video.id, patient: man.id, size: 128 }));
      await app.runner.idle();
      const asMan = ok<Stage1Summary>(await app.call('analyses.stage1', { videoId: video.id }));
      expect(asMan.selection).toBe('override');
      const manStage2 = ok<Stage2Result>(await app.call('analyses.stage2', { videoId: video.id }));
      expect(manStage2.classifiedVideoId).toBe(asMan.outputVideoIds[0]);

      ok(await app.call('analyses.runStage1', { videoId: video.id, patient: 'walker', size: 128 }));
      await app.runner.idle();
      const again = ok<Stage1Summary>(await app.call('analyses.stage1', { videoId: video.id }));
      expect(again.patientTrackId).toBe(woman.patientTrackId);
      expect(again.outputVideoIds).toEqual([womanClip]); // the same bytes: the same video as the first time
      const current = ok<Stage2Result>(await app.call('analyses.stage2', { videoId: video.id }));
      expect(current.classifiedVideoId).toBe(womanClip);
      expect(app.store.analyses.get(manStage2.analysisId)!.supersededBy).toBe(again.analysisId);

      // "Classify again" scores the current clip, not the newest clip made from the video
      const job = ok<Job>(await app.call('analyses.runStage2', { videoId: video.id }));
      await app.runner.idle();
      expect(app.store.jobs.get(job.id).status).toBe('done');
      const reclassified = ok<Stage2Result>(await app.call('analyses.stage2', { videoId: video.id }));
      expect(reclassified.classifiedVideoId).toBe(womanClip);
      expect(reclassified.analysisId).toBeGreaterThan(current.analysisId);

      // the study sees the current score only
      const study = ok<{ id: number }>(await app.call('studies.create', { name: 'current clip', kind: 'cross-validation', seed: 1 }));
      ok(await app.call('studies.addCases', { id: study.id, patientCodes: ['WP1'] }));
      const report = ok<{ contentBase64: string }>(await app.call('studies.report', { id: study.id, format: 'csv' }));
      const [header, ...lines] = Buffer.from(report.contentBase64, 'base64').toString('utf8').trim().split('\n');
      const score = header!.split(',').indexOf('score');
      expect(lines.map((line) => Number(line.split(',')[score]))).toEqual([expect.closeTo(reclassified.videoScore, 6)]);
    } finally {
      await dispose();
    }
  });
});
