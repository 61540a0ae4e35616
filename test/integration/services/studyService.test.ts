import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlindedCase, ReaderProgress, ReadingState, StudyCase, StudyCaseRow, StudySummary } from '../../../src-main/contract/entities.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { sessionSeed } from '../../../src-main/services/studyService.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';
import { addSyntheticPatients } from '../../helpers/syntheticCohort.js';
import { seedStage1Result } from '../../helpers/seedStage1.js';

type Detail = { study: StudySummary; cases: StudyCase[]; progress: ReaderProgress[] };

/** Reads a reader's open session to its end; returns the cases in the order shown. */
async function readSession(app: WalkScopeApp, studyId: number, readerCode: string, limit = Infinity): Promise<{ shown: BlindedCase[]; after: ReadingState }> {
  const shown: BlindedCase[] = [];
  let state = ok<ReadingState>(await app.call('studies.nextCase', { id: studyId, readerCode }));
  const session = state.state === 'case' ? state.case.session : 0;
  while (state.state === 'case' && state.case.session === session && shown.length < limit) {
    shown.push(state.case);
    state = ok<ReadingState>(
      await app.call('studies.submitReading', { id: studyId, readerCode, caseCode: state.case.caseCode, call: shown.length % 2 ? 'ASD' : 'non-ASD', confidence: 60, timeSpentMs: 4000 + shown.length }),
    );
  }
  return { shown, after: state };
}

/**
 * The reader study engine on a GENERATED cohort (not clinical data: video rows with no files,
 * stage 1 results written by test/helpers/seedStage1.ts), with a clock the test moves.
 */
describe('reader study engine: cases where the patient is in view, sessions, washout, training cases', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let now = Date.parse('2026-12-02T09:00:00.000Z');
  let study: StudySummary;
  let videos: Map<string, number[]>;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ runJobs: false, clock: () => new Date(now).toISOString() }));
    videos = addSyntheticPatients(app.store, [
      { code: 'R1', diagnosis: 'ASD', videos: 2 },
      { code: 'R2', diagnosis: 'LCS', videos: 1 },
      { code: 'R3', diagnosis: 'ASD', videos: 1 },
      { code: 'R4', diagnosis: 'HipOA', videos: 2 },
      { code: 'R5', diagnosis: 'unknown', videos: 1 },
      { code: 'R6', diagnosis: 'ASD', videos: 1 },
      { code: 'T1', diagnosis: 'ASD', videos: 1 },
    ]);
    // the patient in view on frames 30-59 and 90-179 of every video except R6's (no stage 1)
    for (const [code, ids] of videos) if (code !== 'R6') for (const id of ids) seedStage1Result(app.store, id, [[30, 59], [90, 179]]);
    ok(await app.call('readers.create', { code: 'dr-a', displayName: 'Dr A' }));
    ok(await app.call('readers.create', { code: 'dr-b', displayName: 'Dr B' }));
    study = ok<StudySummary>(
      await app.call('studies.create', { name: 'Aided pilot', kind: 'reader', protocol: { material: 'clip', clipSeconds: 1, view: 'original-marked', modalities: ['unaided', 'aided'], washoutDays: 28 }, seed: 2023 }),
    );
  });
  afterAll(async () => dispose());

  it('takes the protocol with its defaults and refuses an aided-first design', async () => {
    expect(study.protocol).toEqual({ material: 'clip', clipSeconds: 1, view: 'original-marked', modalities: ['unaided', 'aided'], washoutDays: 28, blinded: true });
    const plain = ok<StudySummary>(await app.call('studies.create', { name: 'Defaults', kind: 'reader' }));
    expect(plain.protocol).toEqual({ material: 'clip', clipSeconds: 1, view: 'person-centred', modalities: ['unaided'], washoutDays: 28, blinded: true });
    const wrong = await app.call('studies.create', { name: 'Aided first', kind: 'reader', protocol: { modalities: ['aided', 'unaided'] } });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'STUDY_INVALID' } });
    if (!wrong.ok) expect(wrong.error.message).toContain('the first session is unaided');
  });

  it('cuts every window inside the patient segments, on the original and on the person-centred clip', async () => {
    const cases = ok<StudyCase[]>(await app.call('studies.addCases', { id: study.id, patientCodes: ['R1', 'R2', 'R3', 'R4'] }));
    expect(cases.map((c) => c.caseCode)).toEqual(['C001', 'C002', 'C003', 'C004', 'C005', 'C006']);
    expect(cases.filter((c) => c.truth === 1).length).toBe(3);
    for (const c of cases) {
      expect(c.clipEndSec! - c.clipStartSec!).toBeCloseTo(1, 6);
      // 1 s = 30 frames: it fits only in the second segment, frames 90..179
      expect(c.clipStartSec! * 30).toBeGreaterThanOrEqual(90 - 1e-6);
      expect(c.clipEndSec! * 30).toBeLessThanOrEqual(180 + 1e-6);
    }
    expect(cases.map((c) => c.patientCode)).not.toEqual(['R1', 'R1', 'R2', 'R3', 'R4', 'R4']);
    const summary = ok<Detail>(await app.call('studies.get', { id: study.id })).study;
    expect(summary).toMatchObject({ caseCount: 6, positiveCount: 3, patientCount: 4, positivePatientCount: 2, trainingCaseCount: 0 });
  });

  it('refuses a video without stage 1 and a patient without a diagnosis, naming them, and adds nothing', async () => {
    const noStage1 = await app.call('studies.addCases', { id: study.id, patientCodes: ['R6'] });
    expect(noStage1).toMatchObject({ ok: false, error: { code: 'STUDY_INVALID' } });
    if (!noStage1.ok) expect(noStage1.error.message).toMatch(/video \d+ of patient R6 has no stage 1 result/);
    const unknown = await app.call('studies.addCases', { id: study.id, patientCodes: ['R5'] });
    if (!unknown.ok) expect(unknown.error.message).toContain('R5');
    expect(app.store.studies.cases(study.id)).toHaveLength(6);
  });

  it('adds training cases, read first in every session and not counted', async () => {
    const cases = ok<StudyCase[]>(await app.call('studies.addCases', { id: study.id, patientCodes: ['T1'], training: true }));
    expect(cases.filter((c) => c.training).map((c) => c.patientCode)).toEqual(['T1']);
    expect(ok<Detail>(await app.call('studies.get', { id: study.id })).study).toMatchObject({ caseCount: 6, trainingCaseCount: 1 });
  });

  it('gives each reader a recorded, seeded order per session, training first, and a blinded case with the patient marked', async () => {
    ok(await app.call('studies.addReader', { id: study.id, readerCode: 'dr-a' }));
    ok(await app.call('studies.addReader', { id: study.id, readerCode: 'dr-b' }));
    const detail = ok<Detail>(await app.call('studies.get', { id: study.id }));
    const a = detail.progress.find((p) => p.readerCode === 'dr-a')!;
    expect(a.sessions.map((s) => [s.session, s.modality, s.done, s.total, s.seed])).toEqual([
      [1, 'unaided', 0, 7, sessionSeed(2023, 'dr-a', 1)],
      [2, 'aided', 0, 7, sessionSeed(2023, 'dr-a', 2)],
    ]);
    const first = ok<ReadingState>(await app.call('studies.nextCase', { id: study.id, readerCode: 'dr-a' }));
    expect(first.state).toBe('case');
    if (first.state !== 'case') return;
    const training = app.store.studies.cases(study.id).find((c) => c.training)!;
    expect(first.case).toMatchObject({ caseCode: training.caseCode, training: true, session: 1, sessions: 2, modality: 'unaided', position: 1, total: 7, source: 'original', aid: null });
    expect(Object.keys(first.case).sort()).toEqual(['aid', 'caseCode', 'endSec', 'mark', 'modality', 'position', 'session', 'sessions', 'source', 'startSec', 'studyId', 'total', 'training']);
    // the mark: the patient's box on each frame of the window, from the stage 1 track
    const mark = first.case.mark!;
    expect(mark.frames[0]).toBe(Math.floor(first.case.startSec * 30));
    expect(mark.frames).toHaveLength(31);
    expect(mark.boxes.slice(0, 4)).toEqual([100 + 4 * mark.frames[0]!, 200, 260 + 4 * mark.frames[0]!, 680]);
  });

  it('makes session 2 wait for the washout: the next case names the date, a reading is refused with it', async () => {
    const { shown, after } = await readSession(app, study.id, 'dr-a');
    expect(shown).toHaveLength(7);
    expect(shown[0]!.training).toBe(true);
    expect(new Set(shown.map((c) => c.caseCode)).size).toBe(7);
    expect(after).toEqual({
      state: 'waiting',
      session: 2,
      modality: 'aided',
      opensAt: '2026-12-30T09:00:00.000Z',
      reason: '28 days after your last reading of session 1 on 2 December 2026: the washout keeps the first reading from guiding the aided one',
    });
    const early = await app.call('studies.submitReading', { id: study.id, readerCode: 'dr-a', caseCode: shown[1]!.caseCode, call: 'ASD', confidence: 80, timeSpentMs: 2000 });
    expect(early).toMatchObject({ ok: false, error: { code: 'STUDY_SESSION_CLOSED' } });
    if (!early.ok) expect(early.error.message).toContain('session 2 (aided) opens on 30 December 2026, 28 days after');
    const progress = ok<Detail>(await app.call('studies.get', { id: study.id })).progress.find((p) => p.readerCode === 'dr-a')!;
    expect(progress.sessions[1]!.opensAt).toBe('2026-12-30T09:00:00.000Z');
  });

  it('opens session 2 after the washout: the same cases in another seeded order, with the aid', async () => {
    now = Date.parse('2026-12-30T09:00:01.000Z');
    const first = ok<ReadingState>(await app.call('studies.nextCase', { id: study.id, readerCode: 'dr-a' }));
    expect(first).toMatchObject({ state: 'case', case: { session: 2, modality: 'aided', training: true } });
    if (first.state !== 'case') return;
    expect(first.case.aid).toMatchObject({ screening: null, video: null, measures: [] });
    expect(first.case.aid!.notes).toContain('Decision support for research: the call is yours.');
    const session1 = app.store.studies.enrolled(study.id).find((r) => r.readerCode === 'dr-a')!.orders;
    expect(session1[1]!.order).not.toEqual(session1[0]!.order);
    expect([...session1[1]!.order].sort()).toEqual([...session1[0]!.order].sort());
    const { shown, after } = await readSession(app, study.id, 'dr-a');
    expect(shown).toHaveLength(7);
    expect(after).toEqual({ state: 'done' });
  });

  it('lets a reader pause and resume, refuses a second reading of a case and readers not enrolled', async () => {
    const part = await readSession(app, study.id, 'dr-b', 3);
    const resumed = ok<ReadingState>(await app.call('studies.nextCase', { id: study.id, readerCode: 'dr-b' }));
    expect(resumed).toMatchObject({ state: 'case', case: { position: 4 } });
    const again = await app.call('studies.submitReading', { id: study.id, readerCode: 'dr-b', caseCode: part.shown[0]!.caseCode, call: 'ASD', confidence: 1, timeSpentMs: 1 });
    expect(again).toMatchObject({ ok: false, error: { code: 'STUDY_INVALID' } });
    ok(await app.call('readers.create', { code: 'dr-c', displayName: 'Dr C' }));
    expect(await app.call('studies.nextCase', { id: study.id, readerCode: 'dr-c' })).toMatchObject({ ok: false, error: { code: 'STUDY_INVALID' } });
  });

  it('lists case by case the truth and every reading with its session and modality', async () => {
    const table = ok<StudyCaseRow[]>(await app.call('studies.caseTable', { id: study.id }));
    expect(table).toHaveLength(7);
    const row = table.find((r) => !r.training && r.readings.some((x) => x.readerCode === 'dr-b'))!;
    expect(row.readings.filter((x) => x.readerCode === 'dr-a').map((x) => [x.session, x.modality])).toEqual([
      [1, 'unaided'],
      [2, 'aided'],
    ]);
    expect(row.modelScore).toBeNull();
  });

  it('audits entering and leaving the reading screen', async () => {
    const entered = ok<{ recordedAt: string }>(await app.call('studies.readingSession', { id: study.id, readerCode: 'dr-b', action: 'enter' }));
    ok(await app.call('studies.readingSession', { id: study.id, readerCode: 'dr-b', action: 'leave' }));
    const actions = (app.store.db.prepare(`SELECT action FROM audit_log WHERE action LIKE 'study.reading.%' ORDER BY id`).all() as Array<{ action: string }>).map((r) => r.action);
    expect(actions).toEqual(['study.reading.enter', 'study.reading.leave']);
    expect(entered.recordedAt).toBe(new Date(now).toISOString());
  });

  it('gives the same design again for the same seed', async () => {
    const again = ok<StudySummary>(await app.call('studies.create', { name: 'Replica', kind: 'reader', protocol: { material: 'clip', clipSeconds: 1, view: 'original-marked', modalities: ['unaided', 'aided'] }, seed: 2023 }));
    const cases = ok<StudyCase[]>(await app.call('studies.addCases', { id: again.id, patientCodes: ['R1', 'R2', 'R3', 'R4'] }));
    const original = app.store.studies.cases(study.id).filter((c) => !c.training);
    expect(cases.map((c) => [c.caseCode, c.patientCode, c.clipStartSec])).toEqual(original.map((c) => [c.caseCode, c.patientCode, c.clipStartSec]));
  });
});
