import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, StudyCase, StudySummary } from '../../../src-main/contract/entities.js';
import { sagittalFive } from '../../../src-main/contract/measurements.js';
import type { CohortPreview, ScreeningExplanation, ScreeningModel, ScreeningModelSummary } from '../../../src-main/contract/screening.js';
import { xoshiro128ss } from '../../../src-main/domain/stats/prng.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { seedMeasuredPatients, seedStage2Score, syntheticMeasuredPatients } from '../../helpers/seedMeasuredCohort.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';

/**
 * The screening model in the app: cohort, training as a job, the stored model (accept, retire,
 * export, import), reports, explanation and fusion with stage 2 scores. Every patient, label,
 * measure and CNN score here is SYNTHETIC (see syntheticMeasuredPatients): not clinical data.
 */
const syntheticPatients = syntheticMeasuredPatients;
const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
const hasJapaneseFont = existsSync(resolve(import.meta.dirname, '../../../resources/fonts/ipag.ttf'));

async function waitForJob(app: WalkScopeApp, id: number): Promise<Job> {
  await app.runner.idle();
  return ok<Job[]>(await app.call('jobs.list', { limit: 100 })).find((j) => j.id === id)!;
}

describe('screening models in the app (synthetic measured cohort, not clinical data)', () => {
  let app: WalkScopeApp;
  let dataDir: string;
  let dispose: () => Promise<void>;
  let trained: ScreeningModel;
  let videoIds: Map<string, number[]>;

  beforeAll(async () => {
    ({ app, dataDir, dispose } = await openTempApp());
    videoIds = seedMeasuredPatients(app.store, sagittalFive, syntheticPatients(15, 'S', 7));
    ok(await app.call('patients.create', { code: 'UNK', diagnosis: 'unknown' }));
    ok(await app.call('patients.create', { code: 'NOVID', diagnosis: 'LCS' }));
  });
  afterAll(async () => dispose());

  it('shows the cohort with counts per class and who is left out and why', async () => {
    const cohort = ok<CohortPreview>(await app.call('screening.cohort', {}));
    expect(cohort.counts).toMatchObject({ asd: 15, notAsd: 15 });
    expect(cohort.counts.byDiagnosis).toEqual({ ASD: 15, DHS: 4, LCS: 4, HipOA: 3, other: 4 });
    expect(cohort.features).toEqual([...sagittalFive]);
    expect(cohort.patients[0]).toEqual({ code: 'S001', diagnosis: 'ASD', label: 1, videos: 2, segments: 4 + 3 });
    expect(cohort.excluded).toEqual([
      { code: 'NOVID', diagnosis: 'LCS', reason: 'no video' },
      { code: 'UNK', diagnosis: 'unknown', reason: 'diagnosis unknown' },
    ]);
    expect(cohort.refusal).toBeNull();
    const fewer = ok<CohortPreview>(await app.call('screening.cohort', { patientCodes: ['S001', 'S002', 'S020'], features: ['trunkLean'] }));
    expect(fewer.refusal).toBe('Training needs at least 10 patients in each class with measured side-on segments; this cohort has 2 ASD and 1 not ASD.');
    expect(await app.call('screening.cohort', { patientCodes: ['NOBODY'] })).toMatchObject({ ok: false, error: { code: 'PATIENT_NOT_FOUND' } });
  });

  it('refuses to train on a cohort it cannot use, in words, and queues nothing', async () => {
    const refused = await app.call('screening.train', { cohort: { patientCodes: ['S001', 'S002', 'S020'] } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'COHORT_INVALID', message: expect.stringContaining('this cohort has 2 ASD and 1 not ASD') } });
    expect(await app.call('screening.train', { protocol: { folds: 1 } })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('at least 2 folds') } });
    expect(await app.call('screening.train', { protocol: { folds: 11 } })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('at most 10 folds') } });
    expect(await app.call('screening.train', { protocol: { shuffle: true } })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(ok<Job[]>(await app.call('jobs.list', { limit: 10 })).filter((j) => j.kind === 'train')).toEqual([]);
  });

  it('trains as a job: the model is stored as trained (not yet used), audited, with patient-level CV', async () => {
    const job = ok<Job>(await app.call('screening.train', { protocol: { folds: 3, repeats: 2, seed: 11 }, name: 'Pilot posture model' }));
    expect(job).toMatchObject({ kind: 'train', status: 'queued', videoId: null });
    const done = await waitForJob(app, job.id);
    expect(done.status, done.error?.message).toBe('done');
    const list = ok<ScreeningModelSummary[]>(await app.call('screening.list', {}));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'Pilot posture model', status: 'trained', active: false, patients: 30, fused: false, origin: `trained here (job ${job.id})` });
    expect(list[0]!.id).toMatch(/^lr-[a-f0-9]{12}$/);
    expect(list[0]!.id).toBe(`lr-${list[0]!.sha256.slice(0, 12)}`);
    trained = ok<ScreeningModel>(await app.call('screening.get', { id: list[0]!.id }));
    const body = trained.body;
    expect(body.protocol).toMatchObject({ folds: 3, repeats: 2, seed: 11, innerFolds: 3, classWeight: 'balanced' });
    expect(body.cohort).toMatchObject({ patients: 30, asd: 15, notAsd: 15, excluded: 2 });
    expect(body.evaluation.predictions).toHaveLength(30);
    expect(body.evaluation.repeats).toHaveLength(2);
    expect(body.evaluation.folds).toHaveLength(6);
    expect(body.evaluation.leakage.patientsOnBothSides).toBe(0);
    // the known effect is found: ASD patients lean forward more
    expect(body.evaluation.patient.auroc!.estimate).toBeGreaterThan(0.8);
    expect(body.beatsChance).toBe(body.evaluation.patient.balancedAccuracy.lower > 0.5);
    expect(body.coefficients[0]).toBeGreaterThan(0);
    expect(body.norms.trunkLean!.n).toBe(15);
    const audit = ok<Array<{ action: string; actor: string; entityId: string }>>(await app.call('audit.list', { limit: 50 }));
    expect(audit.find((a) => a.action === 'screening-model.train')).toMatchObject({ actor: app.actor, entityId: String(job.id) });
    expect(audit.find((a) => a.action === 'screening-model.add')).toMatchObject({ actor: app.actor, entityId: trained.id });
  });

  it('explains nothing until a model is accepted; then explains a patient measure by measure', async () => {
    expect(ok(await app.call('screening.explain', { code: 'S001' }))).toEqual({ explanation: null, reason: expect.stringContaining('No screening model has been accepted yet'), missing: 'model' });
    const accepted = ok<ScreeningModelSummary>(await app.call('screening.accept', { id: trained.id }));
    expect(accepted).toMatchObject({ status: 'accepted', active: true, acceptedBy: app.actor });
    const reply = ok<{ explanation: ScreeningExplanation }>(await app.call('screening.explain', { code: 'S001' }));
    const x = reply.explanation;
    expect(x).toMatchObject({ patientCode: 'S001', segments: 7, videos: 2, model: { id: trained.id, status: 'accepted' } });
    expect(x.features.map((f) => f.name)).toEqual([...sagittalFive]);
    expect(x.labels).toContain('research only');
    expect(x.logitOfMeans).toBeCloseTo(x.intercept + x.features.reduce((s, f) => s + f.contribution, 0), 12);
    expect(x.features[0]!.sentence).toMatch(/^Trunk lean -?\d+\.\d deg, norm -?\d+\.\d ± \d+\.\d deg: [+-]\d+\.\d SD$/);
    expect(ok(await app.call('screening.explain', { code: 'NOVID' }))).toEqual({ explanation: null, reason: 'NOVID has no measured video yet: analyse the patient\'s videos first.', missing: 'measurements' });
    const audit = ok<Array<{ action: string }>>(await app.call('audit.list', { entity: 'screening-model', limit: 50 }));
    expect(audit.map((a) => a.action)).toContain('screening-model.accept');
  });

  it('exports one JSON file with its SHA-256 that another site imports as the same model; refuses altered or foreign files', async () => {
    const file = ok<{ fileName: string; mimeType: string; contentBase64: string }>(await app.call('screening.export', { id: trained.id }));
    expect(file).toMatchObject({ fileName: `walkscope-screening-model-${trained.id}.json`, mimeType: 'application/json' });
    const text = Buffer.from(file.contentBase64, 'base64').toString('utf8');
    expect(JSON.parse(text)).toEqual({ sha256: trained.sha256, model: trained.body });
    const path = join(dataDir, 'shared-model.json');
    writeFileSync(path, text);

    const other = await openTempApp({ runJobs: false });
    try {
      const imported = ok<ScreeningModelSummary>(await other.app.call('screening.import', { source: { kind: 'path', path } }));
      expect(imported).toMatchObject({ id: trained.id, sha256: trained.sha256, status: 'trained', active: false, origin: 'imported from shared-model.json' });
      expect(ok<ScreeningModelSummary>(await other.app.call('screening.import', { source: { kind: 'path', path } })).id).toBe(trained.id);
      expect(ok<ScreeningModelSummary[]>(await other.app.call('screening.list', {}))).toHaveLength(1);

      const altered = JSON.parse(text);
      altered.model.coefficients[0] += 0.5;
      writeFileSync(path, JSON.stringify(altered));
      expect(await other.app.call('screening.import', { source: { kind: 'path', path } })).toMatchObject({ ok: false, error: { code: 'SCREENING_MODEL_INVALID', message: expect.stringContaining('shared-model.json was changed after it was exported') } });
      writeFileSync(path, 'not json at all');
      expect(await other.app.call('screening.import', { source: { kind: 'path', path } })).toMatchObject({ ok: false, error: { message: expect.stringContaining('shared-model.json is not a JSON file') } });
      writeFileSync(path, JSON.stringify({ sha256: 'a'.repeat(64), model: { format: 'something-else' } }));
      expect(await other.app.call('screening.import', { source: { kind: 'path', path } })).toMatchObject({ ok: false, error: { message: expect.stringContaining('is not a WalkScope screening model (model.format') } });
      expect(await other.app.call('screening.import', { source: { kind: 'path', path: join(dataDir, 'missing.json') } })).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
    } finally {
      await other.dispose();
    }
  });

  it('renders the cross-validation report as PDF, HTML, CSV and JSON', async () => {
    const get = async (format: 'pdf' | 'html' | 'csv' | 'json') => {
      const r = ok<{ fileName: string; mimeType: string; contentBase64: string }>(await app.call('screening.report', { id: trained.id, format }));
      return { ...r, content: Buffer.from(r.contentBase64, 'base64') };
    };
    expect((await get('pdf')).content.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get('html')).content.toString()).toContain('RESEARCH ONLY');
    const csv = (await get('csv')).content.toString().trim().split('\n');
    expect(csv).toHaveLength(31);
    expect(JSON.parse((await get('json')).content.toString())).toMatchObject({ id: trained.id, sha256: trained.sha256 });
  });

  it('writes the HTML and PDF report in Japanese when the language setting says so; the CSV stays as it is', async () => {
    const get = async (format: 'pdf' | 'html' | 'csv') => Buffer.from(ok<{ contentBase64: string }>(await app.call('screening.report', { id: trained.id, format })).contentBase64, 'base64');
    const englishCsv = (await get('csv')).toString();
    ok(await app.call('settings.update', { changes: { language: 'ja' } }));
    try {
      const html = (await get('html')).toString();
      expect(html).toContain('<html lang="ja">');
      expect(html).toContain('<h2>患者単位（主要結果）</h2>');
      expect(html).not.toContain('RESEARCH ONLY');
      expect((await get('csv')).toString()).toBe(englishCsv);
      if (hasPdftotext && hasJapaneseFont) {
        const dir = mkdtempSync(join(tmpdir(), 'walkscope-screening-ja-'));
        try {
          const file = join(dir, 'report.pdf');
          writeFileSync(file, await get('pdf'));
          const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
          expect(text).toContain('患者単位（主要結果）');
          expect(text).toContain('研究用 — 医療機器ではありません。');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    } finally {
      ok(await app.call('settings.update', { changes: { language: 'en' } }));
    }
  });

  it('retires a model: verdicts stop using it, it stays listed', async () => {
    expect(ok<ScreeningModelSummary>(await app.call('screening.retire', { id: trained.id }))).toMatchObject({ status: 'retired', active: false });
    expect(ok(await app.call('screening.explain', { code: 'S001' }))).toMatchObject({ explanation: null });
    expect(ok<{ explanation: ScreeningExplanation }>(await app.call('screening.explain', { code: 'S001', modelId: trained.id })).explanation.model.status).toBe('retired');
    expect(await app.call('screening.get', { id: 'lr-000000000000' })).toMatchObject({ ok: false, error: { code: 'SCREENING_MODEL_NOT_FOUND' } });
  });

  it('cancels a training job and stores nothing', async () => {
    const before = ok<ScreeningModelSummary[]>(await app.call('screening.list', {})).length;
    const job = ok<Job>(await app.call('screening.train', { protocol: { folds: 5, repeats: 50, seed: 1, bootstrapReplicates: 20_000 } }));
    for (let i = 0; i < 200; i++) {
      const now = ok<Job[]>(await app.call('jobs.list', { limit: 10 })).find((j) => j.id === job.id)!;
      if (now.status === 'running') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    ok(await app.call('jobs.cancel', { id: job.id }));
    const ended = await waitForJob(app, job.id);
    expect(ended.status).toBe('cancelled');
    expect(ok<ScreeningModelSummary[]>(await app.call('screening.list', {}))).toHaveLength(before);
  });

  it('fuses with a 3D CNN bundle whose scores are out of sample for these patients', async () => {
    app.store.modelBundles.insert('test', { id: 'cnn-test', name: 'CNN (synthetic scores)', version: '1', sha256: 'c'.repeat(64), vaultPath: 'models/none', manifest: { architecture: { family: 'slow_r50' }, threshold: 0.5, intendedUse: 'tests' }, validated: false });
    const random = xoshiro128ss(99);
    for (const [code, ids] of videoIds) {
      const asd = Number(code.slice(1)) <= 15;
      // a weakly informative synthetic CNN score (not a model output)
      for (const id of ids) {
        const score = Math.min(0.99, Math.max(0.01, (asd ? 0.6 : 0.4) + 0.3 * (random.next() - 0.5)));
        seedStage2Score(app.store, id, 'cnn-test', score);
      }
    }
    const job = ok<Job>(await app.call('screening.train', { protocol: { folds: 3, repeats: 1, seed: 5 }, fuse: { kind: 'bundle', id: 'cnn-test', notTrainedOnThesePatients: true } }));
    const done = await waitForJob(app, job.id);
    expect(done.status, done.error?.message).toBe('done');
    const fusedId = ok<ScreeningModelSummary[]>(await app.call('screening.list', {})).find((m) => m.fused)!.id;
    const model = ok<ScreeningModel>(await app.call('screening.get', { id: fusedId }));
    const fusion = model.body.fusion!;
    expect(fusion.source).toEqual({ kind: 'bundle', id: 'cnn-test', notTrainedOnThesePatients: true });
    expect(fusion.bundles).toEqual([{ fold: null, id: 'cnn-test' }]);
    expect(fusion.patients).toBe(30);
    expect(fusion.methods.map((m) => m.method)).toEqual(['measures', 'cnn', 'fixed', 'global', 'gate']);
    expect(fusion.comparisons).toHaveLength(10);
    expect(await app.call('screening.train', { fuse: { kind: 'bundle', id: 'nope', notTrainedOnThesePatients: true } })).toMatchObject({ ok: false, error: { code: 'MODEL_NOT_FOUND' } });
    expect(await app.call('screening.train', { fuse: { kind: 'bundle', id: 'cnn-test' } } as never)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('say that the bundle was not trained on any of these patients') } });
  });

  it("fuses with a head on video features: the head's out-of-fold patient probabilities are the video branch", async () => {
    // a head as training one stores it, its numbers SYNTHETIC: out-of-fold probabilities weakly tied to the label
    const random = xoshiro128ss(7);
    const base = trained.body;
    const predictions = base.evaluation.predictions.map((p) => ({ ...p, perRepeat: [0], probability: Math.min(0.99, Math.max(0.01, (p.label ? 0.62 : 0.38) + 0.3 * (random.next() - 0.5))) }));
    const head = app.store.screeningModels.insert('test', {
      body: { ...base, name: 'Head (synthetic)', features: [], videoFeatures: { bundleId: 'bb-test', bundleName: 'Backbone (synthetic)', bundleSha256: 'b'.repeat(64), featureSize: 2 }, standardisation: { mean: [0, 0], scale: [1, 1] }, coefficients: [0.1, -0.1], norms: {}, evaluation: { ...base.evaluation, predictions } },
      origin: 'test',
      jobId: null,
    });
    const job = ok<Job>(await app.call('screening.train', { protocol: { folds: 3, repeats: 1, seed: 5 }, fuse: { kind: 'head', id: head.id } }));
    const done = await waitForJob(app, job.id);
    expect(done.status, done.error?.message).toBe('done');
    const fused = ok<ScreeningModel>(await app.call('screening.get', { id: ok<ScreeningModelSummary[]>(await app.call('screening.list', {})).find((m) => m.origin === `trained here (job ${job.id})`)!.id }));
    expect(fused.body.fusion).toMatchObject({ source: { kind: 'head', id: head.id }, bundles: [{ fold: null, id: `head-${head.id}` }], patients: 30 });
    // a posture model is not a video branch, and a head is not fused itself
    expect(await app.call('screening.train', { fuse: { kind: 'head', id: trained.id } })).toMatchObject({ ok: false, error: { code: 'COHORT_INVALID', message: expect.stringContaining('is a posture-measure model; fuse with a head trained on video features') } });
    expect(app.store.screeningModels.active()?.body.videoFeatures ?? null).toBeNull();
  });

  it("fuses with a cross-validation study's fold bundles: its folds are the outer folds", async () => {
    const study = ok<StudySummary>(await app.call('studies.create', { name: 'CNN folds', kind: 'cross-validation', protocol: { material: 'full', clipSeconds: 1 }, seed: 3 }));
    ok<StudyCase[]>(await app.call('studies.addCases', { id: study.id, patientCodes: [...videoIds.keys()] }));
    expect(await app.call('screening.train', { fuse: { kind: 'study', id: study.id } })).toMatchObject({ ok: false, error: { code: 'COHORT_INVALID', message: expect.stringContaining('has no folds yet') } });
    const cases = ok<StudyCase[]>(await app.call('studies.assignFolds', { id: study.id, folds: 3, seed: 3 }));
    ok(await app.call('studies.setFoldModel', { id: study.id, fold: 0, modelId: 'cnn-test' }));
    expect(await app.call('screening.train', { fuse: { kind: 'study', id: study.id } })).toMatchObject({ ok: false, error: { message: expect.stringContaining('has no bundle for fold 2, 3') } });
    ok(await app.call('studies.setFoldModel', { id: study.id, fold: 1, modelId: 'cnn-test' }));
    ok(await app.call('studies.setFoldModel', { id: study.id, fold: 2, modelId: 'cnn-test' }));
    const job = ok<Job>(await app.call('screening.train', { protocol: { folds: 3, repeats: 1, seed: 5 }, fuse: { kind: 'study', id: study.id } }));
    const done = await waitForJob(app, job.id);
    expect(done.status, done.error?.message).toBe('done');
    const params = app.store.jobs.get(job.id).params as { fusion: { foldOfPatient: Array<{ code: string; fold: number }> } };
    const foldOf = new Map(cases.map((c) => [c.patientCode, c.fold]));
    for (const f of params.fusion.foldOfPatient) expect(f.fold).toBe(foldOf.get(f.code));
    const models = ok<ScreeningModelSummary[]>(await app.call('screening.list', {}));
    const fused = ok<ScreeningModel>(await app.call('screening.get', { id: models.find((m) => m.origin === `trained here (job ${job.id})`)!.id }));
    expect(fused.body.fusion).toMatchObject({ source: { kind: 'study', id: study.id }, folds: 3 });
  });
});
