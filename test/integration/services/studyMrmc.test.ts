import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyResults, StudySummary } from '../../../src-main/contract/entities.js';
import { mrmcAnalysis } from '../../../src-main/domain/stats/mrmc.js';
import { readerScore } from '../../../src-main/domain/studies/seededOrder.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';
import { aidedStudyReaders, aidedStudyStart, buildAidedStudy } from '../report/generatedAidedStudy.js';

/** The generated aided study of test/integration/report/generatedAidedStudy.ts (not clinical data): 16 patients, 22 cases, three readers. */
describe('aided reader study: per-patient results and the MRMC analyses', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let now = aidedStudyStart;
  let study: StudySummary;
  let results: StudyResults;
  const readers = aidedStudyReaders;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ runJobs: false, clock: () => new Date(now).toISOString() }));
    study = await buildAidedStudy(app, (ms) => (now += ms));
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
