import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Job, ModelBundle, Stage2Result, Video } from '../../../../src-main/contract/entities.js';
import type { WalkScopeApp } from '../../../../src-main/services/walkscopeApp.js';
import { clips, requireTestdata, testVideo } from '../../../helpers/testdata.js';
import { ok, openTempApp } from '../../../helpers/tempApp.js';

const tiny = resolve(import.meta.dirname, '../../../fixtures/models/slow_r50-tiny');

describe.runIf(requireTestdata())('stage 2 as a job of the app (tiny random-weight fixture, not a clinical model)', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let video: Video;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp());
    ok(await app.call('patients.create', { code: 'S2', diagnosis: 'ASD' }));
    video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'S2', source: { kind: 'path', path: testVideo(clips.intelWorker15fps) } })).video;
  });
  afterAll(async () => dispose());

  it('says no model is installed, and how to add one', async () => {
    const result = await app.call('analyses.runStage2', { videoId: video.id });
    expect(result).toMatchObject({ ok: false, error: { code: 'NO_MODEL_INSTALLED' } });
    if (!result.ok) expect(result.error.message).toContain('models import');
  });

  it('imports a bundle into the vault and lists it as not validated', async () => {
    const model = ok<ModelBundle>(await app.call('models.import', { source: { kind: 'path', path: tiny } }));
    expect(model).toMatchObject({ id: 'slow_r50-tiny-test', validated: false, architecture: 'slow_r50' });
    expect(ok<ModelBundle[]>(await app.call('models.list', {}))).toHaveLength(1);
    // importing the same bundle again is not an error
    expect(ok<ModelBundle>(await app.call('models.import', { source: { kind: 'path', path: tiny } })).sha256).toBe(model.sha256);
  });

  it('runs stage 2 in a job and stores clip scores, verdict and provenance', async () => {
    const job = ok<Job>(await app.call('analyses.runStage2', { videoId: video.id }));
    expect(job.kind).toBe('stage2');
    await app.runner.idle();
    expect(app.store.jobs.get(job.id).status).toBe('done');
    const result = ok<Stage2Result>(await app.call('analyses.stage2', { videoId: video.id }));
    expect(result).toMatchObject({ videoId: video.id, classifiedVideoId: video.id, researchOnly: true, provider: 'cpu', aggregation: 'mean', model: { id: 'slow_r50-tiny-test', validated: false } });
    expect(result.clips).toHaveLength(4);
    expect(result.verdict).toBe(result.videoScore >= 0.5 ? 'ASD' : 'non-ASD');
    expect(result.preprocessing).toMatchObject({ frames: 8, size: 64, clipSeconds: 1 });
    expect(app.store.audit.list({ entity: 'analysis' })).toHaveLength(1);
  });

  it('removes a bundle; results keep its id and hash', async () => {
    ok(await app.call('models.remove', { id: 'slow_r50-tiny-test' }));
    expect(ok<ModelBundle[]>(await app.call('models.list', {}))).toHaveLength(0);
    const result = ok<Stage2Result>(await app.call('analyses.stage2', { videoId: video.id }));
    expect(result.model.sha256).toMatch(/^[a-f0-9]{64}$/);
  });
});
