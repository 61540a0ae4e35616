import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assessment, Video } from '../../../src-main/contract/entities.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';

describe.runIf(requireTestdata())("doctors' assessments of a video", () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let videoId: number;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ runJobs: false }));
    ok(await app.call('patients.create', { code: 'A1', diagnosis: 'ASD' }));
    const reply = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'A1', source: { kind: 'path', path: testVideo(clips.intelWorker15fps) } }));
    videoId = reply.video.id;
    ok(await app.call('readers.create', { code: 'dr-sato', displayName: 'Dr Sato' }));
    ok(await app.call('readers.create', { code: 'dr-ito', displayName: 'Dr Ito', role: 'resident' }));
  });
  afterAll(async () => dispose());

  it('adds a call with confidence and comment per reader', async () => {
    const a = ok<Assessment>(await app.call('assessments.add', { videoId, readerCode: 'dr-sato', call: 'ASD', confidence: 70, comment: 'trunk leans forward late in the walk' }));
    ok<Assessment>(await app.call('assessments.add', { videoId, readerCode: 'dr-ito', call: 'non-ASD', confidence: 30 }));
    expect(a).toMatchObject({ readerCode: 'dr-sato', readerName: 'Dr Sato', call: 'ASD', confidence: 70, supersedesId: null, supersededById: null });
    const list = ok<Assessment[]>(await app.call('assessments.list', { videoId }));
    expect(list.map((x) => x.readerCode)).toEqual(['dr-ito', 'dr-sato']);
  });

  it('keeps history when a reader amends a call', async () => {
    const [first] = ok<Assessment[]>(await app.call('assessments.list', { videoId })).filter((x) => x.readerCode === 'dr-sato');
    const amended = ok<Assessment>(await app.call('assessments.add', { videoId, readerCode: 'dr-sato', call: 'non-ASD', confidence: 55, amends: first!.id }));
    expect(amended.supersedesId).toBe(first!.id);
    const history = ok<Assessment[]>(await app.call('assessments.list', { videoId })).filter((x) => x.readerCode === 'dr-sato');
    expect(history.map((x) => [x.call, x.supersededById])).toEqual([
      ['non-ASD', null],
      ['ASD', amended.id],
    ]);
    expect(await app.call('assessments.add', { videoId, readerCode: 'dr-sato', call: 'ASD', confidence: 10, amends: first!.id })).toMatchObject({
      ok: false,
      error: { code: 'ASSESSMENT_ALREADY_AMENDED' },
    });
    const audit = app.store.audit.list({ entity: 'assessment' });
    expect(audit[0]).toMatchObject({ action: 'assessment.amend', before: { call: 'ASD' }, after: { call: 'non-ASD' } });
  });

  it('refuses bad input with clear errors', async () => {
    expect(await app.call('assessments.add', { videoId, readerCode: 'nobody', call: 'ASD', confidence: 50 })).toMatchObject({ ok: false, error: { code: 'READER_NOT_FOUND' } });
    expect(await app.call('assessments.add', { videoId, readerCode: 'dr-ito', call: 'ASD', confidence: 101 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await app.call('assessments.add', { videoId: 999, readerCode: 'dr-ito', call: 'ASD', confidence: 50 })).toMatchObject({ ok: false, error: { code: 'VIDEO_NOT_FOUND' } });
    expect(await app.call('readers.create', { code: 'dr-ito', displayName: 'Again' })).toMatchObject({ ok: false, error: { code: 'READER_CODE_TAKEN' } });
  });
});
