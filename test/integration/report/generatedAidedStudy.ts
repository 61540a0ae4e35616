import { expect } from 'vitest';
import type { ReadingState, StudySummary } from '../../../src-main/contract/entities.js';
import { mulberry32 } from '../../../src-main/domain/studies/seededOrder.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { ok } from '../../helpers/tempApp.js';
import { addSyntheticPatients } from '../../helpers/syntheticCohort.js';
import { seedStage1Result } from '../../helpers/seedStage1.js';
import { seedStage2Score } from '../../helpers/seedMeasuredCohort.js';

/** The first time of the generated aided study's clock: 2 December 2026, 09:00 UTC. */
export const aidedStudyStart = Date.parse('2026-12-02T09:00:00.000Z');
export const aidedStudyReaders = ['dr-a', 'dr-b', 'dr-c'];

/**
 * An aided reader study on a GENERATED cohort (not clinical data): 16 patients, 6 of them with two
 * videos, 1 s clips; three readers read every case unaided, then (the clock moved on 29 days)
 * aided, calling from the truth with noise that is smaller when aided; a test model scores
 * every video. `advance` moves the app's clock (the caller owns it).
 */
export async function buildAidedStudy(app: WalkScopeApp, advance: (ms: number) => void): Promise<StudySummary> {
  const random = mulberry32(11);
  const patients = Array.from({ length: 16 }, (_, i) => ({ code: `M${String(i + 1).padStart(2, '0')}`, diagnosis: (i % 2 ? 'ASD' : 'LCS') as 'ASD' | 'LCS', videos: i < 6 ? 2 : 1 }));
  const videos = addSyntheticPatients(app.store, patients);
  ok(await app.call('models.import', { source: { kind: 'path', path: new URL('../../fixtures/models/slow_r50-tiny', import.meta.url).pathname } }));
  for (const p of patients) {
    for (const id of videos.get(p.code)!) {
      seedStage1Result(app.store, id, [[0, 120]]);
      seedStage2Score(app.store, id, 'slow_r50-tiny-test', Math.min(1, Math.max(0, (p.diagnosis === 'ASD' ? 0.6 : 0.4) + (random() - 0.5) * 0.5)));
    }
  }
  for (const r of aidedStudyReaders) ok(await app.call('readers.create', { code: r, displayName: `Reader ${r}` }));
  const study = ok<StudySummary>(
    await app.call('studies.create', { name: 'Generated aided study', kind: 'reader', modelId: 'slow_r50-tiny-test', protocol: { material: 'clip', clipSeconds: 1, modalities: ['unaided', 'aided'], washoutDays: 28 }, seed: 5 }),
  );
  ok(await app.call('studies.addCases', { id: study.id, patientCodes: patients.map((p) => p.code) }));
  for (const r of aidedStudyReaders) ok(await app.call('studies.addReader', { id: study.id, readerCode: r }));
  const truth = new Map(app.store.studies.cases(study.id).map((c) => [c.caseCode, c.truth]));
  for (const session of [1, 2]) {
    for (const r of aidedStudyReaders) {
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
    advance(29 * 24 * 3600 * 1000);
  }
  return study;
}
