import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlindedCase, StudyCase, StudySummary, ReaderProgress } from '../../../src-main/contract/entities.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';
import { addSyntheticPatients } from '../../helpers/syntheticCohort.js';

type Detail = { study: StudySummary; cases: StudyCase[]; progress: ReaderProgress[] };

describe('reader study engine (generated cohort, not clinical data)', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let study: StudySummary;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ runJobs: false }));
    addSyntheticPatients(app.store, [
      { code: 'R1', diagnosis: 'ASD', videos: 2 },
      { code: 'R2', diagnosis: 'LCS', videos: 1 },
      { code: 'R3', diagnosis: 'ASD', videos: 1 },
      { code: 'R4', diagnosis: 'HipOA', videos: 2 },
      { code: 'R5', diagnosis: 'unknown', videos: 1 },
    ]);
    ok(await app.call('readers.create', { code: 'dr-a', displayName: 'Dr A' }));
    ok(await app.call('readers.create', { code: 'dr-b', displayName: 'Dr B' }));
    study = ok<StudySummary>(await app.call('studies.create', { name: 'Pilot 1 s clips', kind: 'reader', protocol: { material: 'clip', clipSeconds: 1 }, seed: 2023 }));
  });
  afterAll(async () => dispose());

  it('builds a cohort with ground truth from the diagnosis label and seeded clip windows', async () => {
    const cases = ok<StudyCase[]>(await app.call('studies.addCases', { id: study.id, patientCodes: ['R1', 'R2', 'R3', 'R4'] }));
    expect(cases.map((c) => c.caseCode)).toEqual(['C001', 'C002', 'C003', 'C004', 'C005', 'C006']);
    expect(cases.filter((c) => c.truth === 1).length).toBe(3);
    for (const c of cases) expect(c.clipEndSec! - c.clipStartSec!).toBeCloseTo(1, 6);
    // seeded: case codes do not follow the import order of the patients
    expect(cases.map((c) => c.patientCode)).not.toEqual(['R1', 'R1', 'R2', 'R3', 'R4', 'R4']);
  });

  it('refuses a case without ground truth and names the patient', async () => {
    const result = await app.call('studies.addCases', { id: study.id, patientCodes: ['R5'] });
    expect(result).toMatchObject({ ok: false, error: { code: 'STUDY_INVALID' } });
    if (!result.ok) expect(result.error.message).toContain('R5');
  });

  it('gives each reader a blinded, seeded order and lets them pause and resume', async () => {
    ok(await app.call('studies.addReader', { id: study.id, readerCode: 'dr-a' }));
    ok(await app.call('studies.addReader', { id: study.id, readerCode: 'dr-b' }));
    const firstA = ok<BlindedCase>(await app.call('studies.nextCase', { id: study.id, readerCode: 'dr-a' }));
    const firstB = ok<BlindedCase>(await app.call('studies.nextCase', { id: study.id, readerCode: 'dr-b' }));
    expect(Object.keys(firstA).sort()).toEqual(['caseCode', 'endSec', 'position', 'startSec', 'studyId', 'total']);
    expect(firstA).toMatchObject({ position: 1, total: 6 });
    const orderOf = async (reader: string) => {
      const order: string[] = [];
      let next = ok<BlindedCase | null>(await app.call('studies.nextCase', { id: study.id, readerCode: reader }));
      while (next) {
        order.push(next.caseCode);
        next = ok<BlindedCase | null>(
          await app.call('studies.submitReading', { id: study.id, readerCode: reader, caseCode: next.caseCode, call: order.length % 2 ? 'ASD' : 'non-ASD', confidence: 60, timeSpentMs: 4000 }),
        );
        if (reader === 'dr-b' && order.length === 3) break; // dr-b pauses half-way
      }
      return order;
    };
    const orderA = await orderOf('dr-a');
    expect(orderA[0]).toBe(firstA.caseCode);
    expect([...orderA].sort()).toEqual(['C001', 'C002', 'C003', 'C004', 'C005', 'C006']);
    const partB = await orderOf('dr-b');
    expect(partB[0]).toBe(firstB.caseCode);
    const detail = ok<Detail>(await app.call('studies.get', { id: study.id }));
    expect(detail.progress.map((p) => [p.readerCode, p.done, p.total])).toEqual([
      ['dr-a', 6, 6],
      ['dr-b', 3, 6],
    ]);
    // resume: dr-b continues where they stopped
    const resumed = ok<BlindedCase>(await app.call('studies.nextCase', { id: study.id, readerCode: 'dr-b' }));
    expect(resumed.position).toBe(4);
    expect(partB).not.toContain(resumed.caseCode);
  });

  it('refuses a second reading of the same case and readers not enrolled', async () => {
    const cases = app.store.studies.cases(study.id);
    expect(await app.call('studies.submitReading', { id: study.id, readerCode: 'dr-a', caseCode: cases[0]!.caseCode, call: 'ASD', confidence: 1, timeSpentMs: 1 })).toMatchObject({
      ok: false,
      error: { code: 'STUDY_INVALID' },
    });
    ok(await app.call('readers.create', { code: 'dr-c', displayName: 'Dr C' }));
    expect(await app.call('studies.nextCase', { id: study.id, readerCode: 'dr-c' })).toMatchObject({ ok: false, error: { code: 'STUDY_INVALID' } });
  });

  it('gives the same design again for the same seed', async () => {
    const again = ok<StudySummary>(await app.call('studies.create', { name: 'Replica', kind: 'reader', protocol: { material: 'clip', clipSeconds: 1 }, seed: 2023 }));
    const cases = ok<StudyCase[]>(await app.call('studies.addCases', { id: again.id, patientCodes: ['R1', 'R2', 'R3', 'R4'] }));
    const original = app.store.studies.cases(study.id);
    expect(cases.map((c) => [c.caseCode, c.patientCode, c.clipStartSec])).toEqual(original.map((c) => [c.caseCode, c.patientCode, c.clipStartSec]));
  });
});
