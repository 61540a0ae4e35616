import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadingState, StudyResults, StudySummary } from '../../../src-main/contract/entities.js';
import { mrmcAnalysis } from '../../../src-main/domain/stats/mrmc.js';
import { mulberry32, readerScore } from '../../../src-main/domain/studies/seededOrder.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';
import { addSyntheticPatients } from '../../helpers/syntheticCohort.js';
import { seedStage1Result } from '../../helpers/seedStage1.js';
import { seedStage2Score } from '../../helpers/seedMeasuredCohort.js';

/**
 * An aided reader study on a GENERATED cohort (not clinical data): 16 patients, 6 of them with
 * two videos; three readers read every case unaided, then after the washout aided, calling
 * from the truth with noise that is smaller when aided; a test model scores every video.
 */
describe('aided reader study: per-patient results and the MRMC analyses', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let now = Date.parse('2026-12-02T09:00:00.000Z');
  let study: StudySummary;
  let results: StudyResults;
  const random = mulberry32(11);
  const readers = ['dr-a', 'dr-b', 'dr-c'];

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ runJobs: false, clock: () => new Date(now).toISOString() }));
    const patients = Array.from({ length: 16 }, (_, i) => ({ code: `M${String(i + 1).padStart(2, '0')}`, diagnosis: (i % 2 ? 'ASD' : 'LCS') as 'ASD' | 'LCS', videos: i < 6 ? 2 : 1 }));
    const videos = addSyntheticPatients(app.store, patients);
    ok(await app.call('models.import', { source: { kind: 'path', path: new URL('../../fixtures/models/slow_r50-tiny', import.meta.url).pathname } }));
    for (const p of patients) {
      for (const id of videos.get(p.code)!) {
        seedStage1Result(app.store, id, [[0, 120]]);
        seedStage2Score(app.store, id, 'slow_r50-tiny-test', Math.min(1, Math.max(0, (p.diagnosis === 'ASD' ? 0.6 : 0.4) + (random() - 0.5) * 0.5)));
      }
    }
    for (const r of readers) ok(await app.call('readers.create', { code: r, displayName: r }));
    study = ok<StudySummary>(await app.call('studies.create', { name: 'Aided', kind: 'reader', modelId: 'slow_r50-tiny-test', protocol: { modalities: ['unaided', 'aided'], washoutDays: 28 }, seed: 5 }));
    ok(await app.call('studies.addCases', { id: study.id, patientCodes: patients.map((p) => p.code) }));
    for (const r of readers) ok(await app.call('studies.addReader', { id: study.id, readerCode: r }));
    const truth = new Map(app.store.studies.cases(study.id).map((c) => [c.caseCode, c.truth]));
    for (const session of [1, 2]) {
      for (const r of readers) {
        let state = ok<ReadingState>(await app.call('studies.nextCase', { id: study.id, readerCode: r }));
        while (state.state === 'case') {
          const t = truth.get(state.case.caseCode)!;
          const belief = t + (random() - 0.5) * (session === 1 ? 2.2 : 1.2);
          state = ok<ReadingState>(
            await app.call('studies.submitReading', { id: study.id, readerCode: r, caseCode: state.case.caseCode, call: belief >= 0.5 ? 'ASD' : 'non-ASD', confidence: Math.min(100, Math.round(Math.abs(belief - 0.5) * 100)), timeSpentMs: 3000 + session * 1000 }),
          );
        }
        expect(state.state).toBe(session === 1 ? 'waiting' : 'done');
      }
      now += 29 * 24 * 3600 * 1000;
    }
    results = ok<StudyResults>(await app.call('studies.results', { id: study.id }));
  });
  afterAll(async () => dispose());

  it('analyses per patient first (16 patients), per case second (22 cases)', () => {
    expect(results.comparison!.cases).toBe(16);
    expect(results.caseLevel!.cases).toBe(22);
    expect(results.comparison!.raters.map((r) => r.rater).sort()).toEqual(['dr-a (aided)', 'dr-a (unaided)', 'dr-b (aided)', 'dr-b (unaided)', 'dr-c (aided)', 'dr-c (unaided)', 'model:slow_r50-tiny-test']);
    expect(results.notes.join(' ')).toContain('the per-case analysis (22 cases) is secondary');
  });

  it('runs OR-MRMC aided against unaided on patients, equal to the analysis of the readings averaged here', () => {
    const mrmc = results.mrmc.readerModalities!;
    expect(mrmc.modalities).toEqual(['aided', 'unaided']);
    expect(mrmc.readers).toEqual(readers);
    expect(mrmc.cases).toBe(16);
    // independently: each reader's score per patient, averaged from the stored readings
    const cases = app.store.studies.cases(study.id);
    const patientOf = new Map(cases.map((c) => [c.caseCode, c.patientCode]));
    const truthOf = new Map(cases.map((c) => [c.patientCode, c.truth]));
    const sums = new Map<string, { sum: number; n: number }>();
    for (const r of app.store.studies.readings(study.id)) {
      const key = [r.readerCode, r.session === 2 ? 'aided' : 'unaided', patientOf.get(r.caseCode)!].join('|');
      const cell = sums.get(key) ?? { sum: 0, n: 0 };
      cell.sum += readerScore(r.call, r.confidence);
      cell.n += 1;
      sums.set(key, cell);
    }
    const rows = [...sums].map(([key, { sum, n }]) => {
      const [reader, modality, patient] = key.split('|') as [string, string, string];
      return { reader, modality, caseId: patient, score: sum / n, truth: truthOf.get(patient)! };
    });
    const expected = mrmcAnalysis([...rows].sort((a, b) => Number(b.modality === 'aided') - Number(a.modality === 'aided')));
    expect(mrmc.aucs).toEqual(expected.aucs);
    expect(mrmc.randomReadersRandomCases!.differences[0]!.difference).toBeCloseTo(expected.randomReadersRandomCases!.differences[0]!.difference, 12);
    expect(mrmc.randomReadersRandomCases!.p).toBeCloseTo(expected.randomReadersRandomCases!.p, 12);
  });

  it('compares the model, as a modality of its own, with each reading modality', () => {
    const vs = results.mrmc.versusModel!;
    expect(results.mrmc.model).toBe('model:slow_r50-tiny-test');
    expect(vs.modalities).toEqual(['model', 'aided', 'unaided']);
    // the model has no reader variance: every reader's AUC in the model modality is the same
    expect(new Set(vs.aucs[0]).size).toBe(1);
    expect(vs.fixedReadersRandomCases!.differences.map((d) => `${d.modalityA}-${d.modalityB}`)).toEqual(['model-aided', 'model-unaided', 'aided-unaided']);
  });

  it('records the design: readers, sessions, seeds, washout, reading times', () => {
    expect(results.design).toMatchObject({ readers, cases: 22, patients: 16, trainingCases: 0, modalities: ['unaided', 'aided'], washoutDays: 28 });
    expect(results.design.orders).toHaveLength(6);
    expect(results.design.readingSeconds).toEqual([
      { modality: 'unaided', median: 4, readings: 66 },
      { modality: 'aided', median: 5, readings: 66 },
    ]);
  });
});
