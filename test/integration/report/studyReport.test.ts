import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ReadingState, StudyResults, StudySummary } from '../../../src-main/contract/entities.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { mulberry32 } from '../../../src-main/domain/studies/seededOrder.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';
import { addSyntheticPatients } from '../../helpers/syntheticCohort.js';

const outDir = resolve(import.meta.dirname, '../../output/report');
const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;

/**
 * A generated cross-validation + reader study (not clinical data): 30 patients, model scores
 * written as stage 2 results of an unvalidated test bundle, two readers reading every case.
 */
describe('study results and reports', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let study: StudySummary;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ runJobs: false }));
    const random = mulberry32(7);
    addSyntheticPatients(
      app.store,
      Array.from({ length: 30 }, (_, i) => ({ code: `G${String(i + 1).padStart(3, '0')}`, diagnosis: i % 5 < 2 ? 'ASD' : i % 5 === 2 ? 'LCS' : 'DHS', videos: 1 + (i % 2) })),
    );
    ok(await app.call('models.import', { source: { kind: 'path', path: resolve(import.meta.dirname, '../../fixtures/models/slow_r50-tiny') } }));
    for (const video of app.store.db.prepare(`SELECT v.id, p.diagnosis FROM videos v JOIN patients p ON p.id = v.patient_id`).all() as Array<{ id: number; diagnosis: string }>) {
      const score = Math.min(1, Math.max(0, (video.diagnosis === 'ASD' ? 0.62 : 0.38) + (random() - 0.5) * 0.6));
      app.store.analyses.insert('test', { videoId: video.id, stage: 2, jobId: null, params: {}, result: { videoScore: score, verdict: score >= 0.5 ? 'ASD' : 'non-ASD' }, modelId: 'slow_r50-tiny-test' });
    }
    ok(await app.call('readers.create', { code: 'dr-a', displayName: 'Dr A' }));
    ok(await app.call('readers.create', { code: 'dr-b', displayName: 'Dr B' }));
    study = ok<StudySummary>(await app.call('studies.create', { name: 'Generated CV and reader study', kind: 'cross-validation', seed: 81, modelId: 'slow_r50-tiny-test' }));
    ok(await app.call('studies.addCases', { id: study.id, patientCodes: Array.from({ length: 30 }, (_, i) => `G${String(i + 1).padStart(3, '0')}`) }));
    ok(await app.call('studies.assignFolds', { id: study.id, folds: 5 }));
    expect(await app.call('studies.setFoldModel', { id: study.id, fold: 7, modelId: 'slow_r50-tiny-test' })).toMatchObject({ ok: false, error: { code: 'STUDY_INVALID' } });
    expect(await app.call('studies.setFoldModel', { id: study.id, fold: 0, modelId: 'missing' })).toMatchObject({ ok: false, error: { code: 'MODEL_NOT_FOUND' } });
    for (let fold = 0; fold < 5; fold++) ok(await app.call('studies.setFoldModel', { id: study.id, fold, modelId: 'slow_r50-tiny-test' }));
    for (const reader of ['dr-a', 'dr-b']) {
      ok(await app.call('studies.addReader', { id: study.id, readerCode: reader }));
      let next = ok<ReadingState>(await app.call('studies.nextCase', { id: study.id, readerCode: reader }));
      while (next.state === 'case') {
        next = ok<ReadingState>(
          await app.call('studies.submitReading', { id: study.id, readerCode: reader, caseCode: next.case.caseCode, call: random() < 0.5 ? 'ASD' : 'non-ASD', confidence: Math.floor(random() * 101), timeSpentMs: 3000 }),
        );
      }
    }
  });
  afterAll(async () => dispose());

  it('computes the comparison and a per-fold table with mean and SD, folds by patient', async () => {
    const results = ok<StudyResults>(await app.call('studies.results', { id: study.id }));
    expect(results.comparison!.raters.map((r) => r.rater)).toEqual(['dr-a', 'dr-b', 'model:slow_r50-tiny-test']);
    expect(results.folds).toHaveLength(5);
    expect(results.folds.reduce((s, f) => s + f.cases, 0)).toBe(45);
    const patientsInFolds = results.folds.flatMap((f) => app.store.studies.cases(study.id).filter((c) => c.fold === f.fold).map((c) => `${c.patientCode}:${f.fold}`));
    const folds = new Map<string, Set<string>>();
    for (const entry of patientsInFolds) {
      const [patient, fold] = entry.split(':');
      folds.set(patient!, (folds.get(patient!) ?? new Set()).add(fold!));
    }
    expect([...folds.values()].every((s) => s.size === 1)).toBe(true);
    expect(results.foldSummary!.folds).toBe(5);
    const meanAccuracy = results.folds.reduce((s, f) => s + f.accuracy!, 0) / 5;
    expect(results.foldSummary!.mean.accuracy).toBeCloseTo(meanAccuracy, 12);
    expect(JSON.stringify(results)).not.toMatch(/NaN|Infinity/);
  });

  it('exports HTML, CSV and JSON with pseudonymous codes only and an unmissable research-only label', async () => {
    const html = Buffer.from(ok<{ contentBase64: string }>(await app.call('studies.report', { id: study.id, format: 'html' })).contentBase64, 'base64').toString();
    expect(html).toContain('RESEARCH ONLY — NOT VALIDATED');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html).not.toContain('Dr A'); // reader names stay out; codes only
    const csv = Buffer.from(ok<{ contentBase64: string }>(await app.call('studies.report', { id: study.id, format: 'csv' })).contentBase64, 'base64').toString();
    expect(csv.split('\n')[0]).toBe('reader,case,modality,score,truth,call');
    expect(csv.split('\n').filter(Boolean)).toHaveLength(1 + 45 * 3);
    // scores carry at most 6 decimals: a reader's 0.5 - confidence/200 is 0.15, never 0.15000000000000002
    const scores = csv.split('\n').slice(1).filter(Boolean).map((line) => line.split(',')[3]!);
    for (const score of scores) expect(score).toMatch(/^\d+(\.\d{1,6})?$/);
    expect(html).toContain('McNemar on correctness');
    expect(html).toContain('Agreement (Cohen’s kappa, 95% CI)');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'study-report.html'), html);
  });

  it.runIf(hasPdftotext)('exports a PDF whose text holds the key numbers', async () => {
    const pdf = Buffer.from(ok<{ contentBase64: string }>(await app.call('studies.report', { id: study.id, format: 'pdf' })).contentBase64, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, 'study-report.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    const results = ok<StudyResults>(await app.call('studies.results', { id: study.id }));
    expect(text).toContain('RESEARCH ONLY');
    expect(text).toContain(results.comparison!.raters[2]!.auroc!.estimate.toFixed(3));
    expect(text).toContain(results.foldSummary!.mean.accuracy!.toFixed(4));
    expect(text).toContain(results.folds[0]!.f1!.toFixed(4));
    expect(text).toMatch(/page 1 of \d/);
  });
});
