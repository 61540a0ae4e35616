import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { AnalysisPlan, ModelBundle, Video } from '../../../src-main/contract/entities.js';
import { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { openBundle } from '../../../src-main/classify/bundle.js';
import { classifyVideo } from '../../../src-main/classify/classifyVideo.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';

const fixtures = resolve(import.meta.dirname, '../../fixtures/models');
const backbonePath = resolve(fixtures, 'slow_r50-tiny-features');
const classifierPath = resolve(fixtures, 'slow_r50-tiny');
const backboneName = 'slow_r50 features 8x64 width x0.03125 (random weights)';
const refusal = `${backboneName} is a feature backbone: it gives no verdict on its own; train a head on its features first.`;

/**
 * A feature backbone (export_reference.py --features; the tiny random-weight fixture, not a
 * clinical model) is imported like any bundle but never classifies: stage 2 and "Analyse all"
 * skip or refuse it with the sentence saying why, and the job's work refuses it too.
 */
describe.runIf(requireTestdata())('stage 2 with a feature backbone installed (no workers)', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let videoId: number;
  const queued = () => app.store.jobs.list(['queued']).map((j) => [j.kind, j.videoId, (j.params as { modelId?: string }).modelId ?? null]);
  const clear = () => app.store.db.prepare(`UPDATE jobs SET status = 'cancelled' WHERE status = 'queued'`).run();

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ runJobs: false }));
    ok(await app.call('patients.create', { code: 'FB1', diagnosis: 'ASD' }));
    videoId = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'FB1', source: { kind: 'path', path: testVideo(clips.intelWorker15fps) } })).video.id;
    clear();
  });
  afterAll(async () => dispose());

  it('imports the backbone like any bundle; models.list gives its kind and feature size and no threshold', async () => {
    const imported = ok<ModelBundle>(await app.call('models.import', { source: { kind: 'path', path: backbonePath } }));
    expect(imported).toMatchObject({ id: 'slow_r50-tiny-features-test', name: backboneName, kind: 'features', featureSize: 64, threshold: null });
    const listed = ok<ModelBundle[]>(await app.call('models.list', {}));
    expect(listed.map((m) => [m.id, m.kind, m.featureSize, m.threshold])).toEqual([['slow_r50-tiny-features-test', 'features', 64, null]]);
  });

  it('with only the backbone: "Analyse all" plans stage 2 as skipped with the sentence, and classify is refused with it', async () => {
    const [plan] = ok<AnalysisPlan[]>(await app.call('analyses.run', { videoIds: [videoId] }));
    const steps = plan!.run!.steps.map((s) => [s.kind, s.status]);
    const queuedNow = queued();
    clear();
    expect(steps).toEqual([
      ['stage1', 'queued'],
      ['measure', 'waiting'],
      ['stage2', 'skipped'],
    ]);
    expect(plan!.run!.steps[2]!.message).toBe(refusal);
    expect(queuedNow).toEqual([['stage1', videoId, null]]);
    // classify with no model named: there is no classifier to default to
    expect(await app.call('analyses.run', { videoIds: [videoId], scope: 'stage2' })).toMatchObject({ ok: false, error: { code: 'NO_MODEL_INSTALLED' } });
    // classify with the backbone named: refused with its sentence (and its name as the detail, for the Japanese sentence)
    expect(await app.call('analyses.run', { videoIds: [videoId], scope: 'stage2', stage2: { modelId: 'slow_r50-tiny-features-test' } })).toMatchObject({
      ok: false,
      error: { code: 'MODEL_IS_FEATURE_BACKBONE', message: refusal, detail: backboneName },
    });
    expect(queued()).toEqual([]);
  });

  it('with a classifier installed before it, the newer backbone is never the default, and naming it is still refused', async () => {
    // the classifier first, then the backbone again as the newest bundle
    ok(await app.call('models.remove', { id: 'slow_r50-tiny-features-test' }));
    ok(await app.call('models.import', { source: { kind: 'path', path: classifierPath } }));
    ok(await app.call('models.import', { source: { kind: 'path', path: backbonePath } }));
    expect(ok<ModelBundle[]>(await app.call('models.list', {})).map((m) => m.id)).toEqual(['slow_r50-tiny-features-test', 'slow_r50-tiny-test']);
    const [plan] = ok<AnalysisPlan[]>(await app.call('analyses.run', { videoIds: [videoId], scope: 'stage2' }));
    expect(plan!.run!.steps.map((s) => [s.kind, s.status])).toEqual([['stage2', 'queued']]);
    expect(queued()).toEqual([['stage2', videoId, 'slow_r50-tiny-test']]);
    clear();
    expect(await app.call('analyses.run', { videoIds: [videoId], scope: 'stage2', stage2: { modelId: 'slow_r50-tiny-features-test' } })).toMatchObject({ ok: false, error: { code: 'MODEL_IS_FEATURE_BACKBONE', message: refusal } });
    // "Analyse all" with a model named: the first step is the caller's, refused with the sentence, nothing queued
    expect(await app.call('analyses.run', { videoIds: [videoId], stage2: { modelId: 'slow_r50-tiny-features-test' }, only: ['stage2'] })).toMatchObject({ ok: false, error: { code: 'MODEL_IS_FEATURE_BACKBONE' } });
    expect(queued()).toEqual([]);
  });

  it("the stage 2 work refuses a backbone before decoding a clip (a bundle re-imported under a classifier's id since the run was planned)", async () => {
    const bundle = await openBundle(backbonePath);
    try {
      await expect(classifyVideo(testVideo(clips.intelWorker15fps), bundle, { providers: ['cpu'], intraOpThreads: 1 })).rejects.toMatchObject({ code: 'MODEL_IS_FEATURE_BACKBONE', message: refusal });
    } finally {
      await bundle.dispose();
    }
  });
});
