import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sagittalFive } from '../../../src-main/contract/measurements.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import type { AuditEntry } from '../../../src-main/store/auditLog.js';
import { seedMeasuredPatients } from '../../helpers/seedMeasuredCohort.js';
import { screeningModelFixture } from '../../helpers/screeningModelFixture.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';
import { aidedStudyStart, buildAidedStudy } from '../report/generatedAidedStudy.js';

/**
 * What leaves the database and who looked at whom is audited as well as changes: exports,
 * patient opens and refused requests (method and code, never the request's values). Patients
 * and measurements here are SYNTHETIC (seeded by a test helper), not clinical data.
 */
describe('the audit trail of reads, exports and refusals', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let videoId: number;
  let patientId: number;
  let now = aidedStudyStart;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ runJobs: false, clock: () => new Date(now).toISOString() }));
    const videos = seedMeasuredPatients(app.store, sagittalFive, [{ code: 'AU-1', diagnosis: 'ASD', videos: [[[6, 12, 0.05, 28, 40], [7, 13, 0.06, 27, 41]]] }]);
    videoId = videos.get('AU-1')![0]!;
    patientId = app.store.patients.getByCode('AU-1').id;
  });
  afterAll(async () => dispose());

  const newest = (filter: { entity?: string; entityId?: string | number } = {}): AuditEntry => app.store.audit.list({ ...filter, limit: 1 })[0]!;

  it("records opening a patient's data: the patient page, the review screen's video, the summary and the explained verdict", async () => {
    ok(await app.call('patients.get', { code: 'AU-1' }));
    expect(newest()).toMatchObject({ actor: app.actor, action: 'patient.open', entity: 'patient', entityId: String(patientId), after: { via: 'patients.get' } });
    ok(await app.call('videos.get', { id: videoId }));
    expect(newest()).toMatchObject({ action: 'patient.open', entityId: String(patientId), after: { via: 'videos.get', videoId } });
    ok(await app.call('measurements.patient', { code: 'AU-1' }));
    expect(newest()).toMatchObject({ action: 'patient.open', after: { via: 'measurements.patient' } });
    ok(await app.call('screening.explain', { code: 'AU-1' }));
    expect(newest()).toMatchObject({ action: 'patient.open', after: { via: 'screening.explain' } });
    // the patients list names no one patient: not an open
    const before = app.store.audit.list({ limit: 1000 }).length;
    ok(await app.call('patients.list', {}));
    expect(app.store.audit.list({ limit: 1000 })).toHaveLength(before);
  });

  it('records exports: measurement CSVs, screening model files and reports, study reports', async () => {
    const csv = ok<{ fileName: string }>(await app.call('measurements.export', { videoId, level: 'segment' }));
    expect(newest()).toMatchObject({ action: 'video.export', entity: 'video', entityId: String(videoId), after: { what: 'measurements CSV', level: 'segment', fileName: csv.fileName } });

    const model = app.store.screeningModels.insert('test', { body: screeningModelFixture(), origin: 'test', jobId: null });
    ok(await app.call('screening.export', { id: model.id }));
    expect(newest()).toMatchObject({ action: 'screening-model.export', entity: 'screening-model', entityId: model.id, after: { what: 'model file' } });
    ok(await app.call('screening.report', { id: model.id, format: 'json' }));
    expect(newest()).toMatchObject({ action: 'screening-model.export', entityId: model.id, after: { what: 'report', format: 'json' } });

    const study = await buildAidedStudy(app, (ms) => (now += ms));
    const report = ok<{ fileName: string }>(await app.call('studies.report', { id: study.id, format: 'csv' }));
    expect(newest()).toMatchObject({ action: 'study.export', entity: 'study', entityId: String(study.id), after: { what: 'report', format: 'csv', fileName: report.fileName } });
  }, 120_000);

  it('records refused requests with the method, the code and the fields at fault, never the values', async () => {
    expect(await app.call('patients.create', { code: 'AU-2', diagnosis: 'scoliosis', notes: 'confidential note' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const refused = newest();
    expect(refused).toMatchObject({ actor: app.actor, action: 'request.refused', entity: 'request', entityId: 'patients.create', before: null, after: { code: 'BAD_REQUEST', transport: 'test', fields: ['diagnosis'] } });
    expect(JSON.stringify(refused)).not.toMatch(/scoliosis|confidential|AU-2/);

    expect(await app.call('patients.drop', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(newest()).toMatchObject({ action: 'request.refused', entityId: 'patients.drop', after: { code: 'UNKNOWN_METHOD' } });

    expect(await app.call('settings.setDataFolder', { path: '/elsewhere' })).toMatchObject({ ok: false, error: { code: 'DATA_FOLDER_FIXED' } });
    expect(newest()).toMatchObject({ action: 'request.refused', entityId: 'settings.setDataFolder', after: { code: 'DATA_FOLDER_FIXED' } });

    // a patient code that does not exist is an answer, not a refusal
    const count = app.store.audit.list({ limit: 1000 }).length;
    expect(await app.call('patients.get', { code: 'NOBODY' })).toMatchObject({ ok: false, error: { code: 'PATIENT_NOT_FOUND' } });
    expect(app.store.audit.list({ limit: 1000 })).toHaveLength(count);
  });

  it('keeps the chain intact over all of it, and says so in app.info and audit.verify', async () => {
    const verified = ok<{ intact: boolean; rows: number }>(await app.call('audit.verify', {}));
    expect(verified.intact).toBe(true);
    expect(verified.rows).toBe(app.store.audit.list({ limit: 1000 }).length);
    expect(ok<{ auditChain: unknown }>(await app.call('app.info', {})).auditChain).toMatchObject({ intact: true, problemCount: 0, firstProblem: null });
  });
});
