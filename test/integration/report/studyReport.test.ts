import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ReadingState, StudyResults, StudySummary } from '../../../src-main/contract/entities.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { mulberry32, readerScore } from '../../../src-main/domain/studies/seededOrder.js';
import { parseLongFormatCsv } from '../../../src-main/domain/stats/longFormatCsv.js';
import { mrmcAnalysis } from '../../../src-main/domain/stats/mrmc.js';
import { patientUnits } from '../../../src-main/domain/studies/patientUnits.js';
import { primaryEndpoint } from '../../../src-main/report/studyEndpoint.js';
import { studyReportHtml } from '../../../src-main/report/studyReportHtml.js';
import { aidedStudyReaders, aidedStudyStart, buildAidedStudy } from './generatedAidedStudy.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';
import { addSyntheticPatients } from '../../helpers/syntheticCohort.js';

const outDir = resolve(import.meta.dirname, '../../output/report');
const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
const hasJapaneseFont = existsSync(resolve(import.meta.dirname, '../../../resources/fonts/ipag.ttf')) || (console.warn('[walkscope tests] resources/fonts/ipag.ttf missing (Debian fonts-ipafont-gothic, then node tools/bundleFonts.js): the Japanese study PDF is not checked.'), false);

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
    const csvReport = ok<{ fileName: string; contentBase64: string }>(await app.call('studies.report', { id: study.id, format: 'csv' }));
    expect(csvReport.fileName).toMatch(/-readings-per-clip\.csv$/); // readers saw 1 s clips (the default protocol)
    const csv = Buffer.from(csvReport.contentBase64, 'base64').toString();
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

/**
 * The report of an aided reader study on a GENERATED cohort (not clinical data; see
 * generatedAidedStudy.ts): 16 patients, 22 clips, three readers unaided then aided 29 days later.
 */
describe('the report of an aided reader study', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let now = aidedStudyStart;
  let study: StudySummary;
  let results: StudyResults;
  const report = async (format: string) => ok<{ fileName: string; contentBase64: string }>(await app.call('studies.report', { id: study.id, format } as never));
  const text = (r: { contentBase64: string }) => Buffer.from(r.contentBase64, 'base64').toString();

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp({ runJobs: false, clock: () => new Date(now).toISOString() }));
    study = await buildAidedStudy(app, (ms) => (now += ms));
    results = ok<StudyResults>(await app.call('studies.results', { id: study.id }));
  });
  afterAll(async () => dispose());

  const primaryNumbers = () => {
    const d = results.mrmc.readerModalities!.randomReadersRandomCases!.differences[0]!;
    expect([d.modalityA, d.modalityB]).toEqual(['aided', 'unaided']);
    return `${d.difference.toFixed(3)} (95% CI ${d.lower.toFixed(3)} to ${d.upper.toFixed(3)}), p = ${d.p! < 0.001 ? '< 0.001' : d.p!.toFixed(3)}`;
  };

  it('states the primary endpoint first in the HTML, with the design, the seeds and a readable time', async () => {
    const html = text(await report('html'));
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'study-aided-report.html'), html);
    const body = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const primary = body.indexOf('Primary endpoint, reader-averaged AUROC, aided minus unaided: ');
    expect(primary).toBeGreaterThan(0);
    expect(primary).toBeLessThan(body.indexOf('Design'));
    expect(body).toContain(primaryNumbers());
    expect(body).toContain('random readers and random cases (Hillis ddf');
    expect(body).toContain('unit: patients, N = 16 (8 ASD, 8 non-ASD)');
    for (const m of results.mrmc.readerModalities!.singleModality) expect(body).toContain(`AUROC ${m.auc.toFixed(3)} (95% CI ${m.randomReadersRandomCases!.lower.toFixed(3)} to ${m.randomReadersRandomCases!.upper.toFixed(3)})`);
    for (const o of results.design.orders) expect(o.seed).not.toBeNull();
    const seedRow = (reader: string) => results.design.orders.filter((o) => o.readerCode === reader).sort((a, b) => a.session - b.session).map((o) => String(o.seed)).join(' ');
    for (const reader of aidedStudyReaders) expect(body).toContain(`${reader} ${seedRow(reader)}`);
    expect(body).toContain('22 clips from 16 patients');
    expect(body).toContain('washout of at least 28 days');
    expect(body).toContain('Per clip (secondary, N = 22 clips of 16 patients)');
    expect(body).toContain('Fixed readers, random cases');
    expect(body).toContain('Random readers, fixed cases');
    expect(body).toContain('The model against the readers (supplementary)');
    // the time as people read it, with its zone, not the raw ISO stamp
    expect(body).toMatch(/generated \d{1,2} [A-Z][a-z]+ \d{4}(,| at) \d\d:\d\d [A-Z][A-Za-z0-9+:-]+ by WalkScope/);
    expect(html).not.toContain(new Date(now).toISOString());
    // one ROC chart per modality, the model's curve first (under the readers), dashed
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toContain('Dr A');
  });

  it('names the per-case CSV after the material and writes iMRMC input per patient that reads back to the analysis', async () => {
    expect((await report('csv')).fileName).toMatch(/-readings-per-clip\.csv$/);
    const exported = await report('imrmc');
    expect(exported.fileName).toMatch(/-imrmc-per-patient-unaided-aided-model\.csv$/);
    const csv = text(exported);
    expect(csv.split('\n')[0]).toBe('readerID,caseID,modalityID,score'); // no comment line: iMRMC would not read it
    writeFileSync(join(outDir, exported.fileName), csv);
    const parsed = parseLongFormatCsv(csv);
    expect(new Set(parsed.map((r) => r.modality))).toEqual(new Set(['unaided', 'aided', 'model']));
    expect(new Set(parsed.map((r) => r.caseId)).size).toBe(16);
    // the same rows, computed here from the stored readings: each reader's mean score per patient
    const cases = app.store.studies.cases(study.id);
    const unitOf = patientUnits(cases);
    const sums = new Map<string, { sum: number; n: number; truth: 0 | 1 }>();
    const truthOf = new Map(cases.map((c) => [c.caseCode, c.truth]));
    for (const r of app.store.studies.readings(study.id)) {
      const key = [r.readerCode, r.session === 2 ? 'aided' : 'unaided', unitOf.get(r.caseCode)!].join('|');
      const cell = sums.get(key) ?? { sum: 0, n: 0, truth: truthOf.get(r.caseCode)! };
      cell.sum += readerScore(r.call, r.confidence);
      cell.n += 1;
      sums.set(key, cell);
    }
    const readerRows = parsed.filter((r) => r.modality !== 'model');
    expect(readerRows).toHaveLength(sums.size);
    for (const r of readerRows) {
      const cell = sums.get([r.reader, r.modality, r.caseId].join('|'))!;
      expect(r.score).toBeCloseTo(cell.sum / cell.n, 6);
      expect(r.truth).toBe(cell.truth);
    }
    // the project's own MRMC on the parsed rows gives the report's numbers
    const check = (mine: ReturnType<typeof mrmcAnalysis>, reported: NonNullable<StudyResults['mrmc']['readerModalities']>) => {
      expect(mine.modalities).toEqual(reported.modalities);
      expect(mine.readers).toEqual(reported.readers);
      mine.aucs.forEach((row, i) => row.forEach((auc, j) => expect(auc).toBeCloseTo(reported.aucs[i]![j]!, 9)));
      const [a, b] = [mine.randomReadersRandomCases!, reported.randomReadersRandomCases!];
      a.differences.forEach((d, k) => {
        for (const key of ['difference', 'lower', 'upper', 'p'] as const) expect(d[key]).toBeCloseTo(b.differences[k]![key]!, 9);
      });
      expect(a.ddf).toBeCloseTo(b.ddf!, 6);
    };
    check(mrmcAnalysis(readerRows), results.mrmc.readerModalities!);
    check(mrmcAnalysis(parsed), results.mrmc.versusModel!);
  });

  it('says plainly when the primary endpoint cannot be computed, and why', () => {
    const incomplete = { ...results, mrmc: { ...results.mrmc, readerModalities: null, notes: ['Aided against unaided: not computed, reader dr-c did not read every patient in every modality'] } };
    const aided = primaryEndpoint(incomplete);
    expect(aided.kind).toBe('aided-vs-unaided');
    expect(aided.statement).toBe('Primary endpoint not computed (aided minus unaided reader-averaged AUROC; unit: patients, N = 16 (8 ASD, 8 non-ASD)): Aided against unaided: not computed, reader dr-c did not read every patient in every modality');
    const neither = primaryEndpoint({ ...results, design: { ...results.design, modalities: ['unaided'] }, mrmc: { ...results.mrmc, readerModalities: null, versusModel: null, model: null, notes: [] } });
    expect(neither.statement).toContain('Primary endpoint not computed (neither aided against unaided reading nor the model against the readers');
    expect(studyReportHtml({ results: incomplete, appVersion: 'test', generatedAt: new Date(now).toISOString(), models: [] })).toContain(aided.statement);
  });

  it.runIf(hasPdftotext)('writes a PDF with the primary endpoint and each estimate on one line with its interval', async () => {
    const pdf = Buffer.from((await report('pdf')).contentBase64, 'base64');
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, 'study-aided-report.pdf');
    writeFileSync(file, pdf);
    const layout = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    const flat = layout.replace(/\s+/g, ' ');
    expect(flat).toContain(`Primary endpoint, reader-averaged AUROC, aided minus unaided: ${primaryNumbers()}`);
    expect(flat).toContain('unit: patients, N = 16 (8 ASD, 8 non-ASD)');
    for (const o of results.design.orders) expect(flat).toContain(String(o.seed));
    expect(flat).toContain('Per clip (secondary, N = 22 clips of 16 patients)');
    // an estimate and its interval never split across lines: each is whole on a line of the layout
    const ci = (i: { estimate: number; lower: number | null; upper: number | null }) => `${i.estimate.toFixed(3)} (${i.lower!.toFixed(3)}–${i.upper!.toFixed(3)})`;
    for (const r of results.comparison!.raters) for (const m of [r.sensitivity, r.specificity, r.auroc!]) expect(layout).toContain(ci(m));
    for (const d of results.mrmc.readerModalities!.singleReader.flatMap((s) => s.differences)) expect(layout).toContain(`${d.difference.toFixed(3)} (95% CI ${d.lower.toFixed(3)} to ${d.upper.toFixed(3)})`);
    expect(flat).not.toContain(new Date(now).toISOString());
    if (spawnSync('pdftoppm', ['-v']).status === 0) execFileSync('pdftoppm', ['-png', '-r', '60', file, join(outDir, 'study-aided-page')]);
  });

  /** The report with the language setting at `language`, set back to English after. */
  const reportIn = async (language: 'ja', format: string) => {
    ok(await app.call('settings.update', { changes: { language } }));
    try {
      return await report(format);
    } finally {
      ok(await app.call('settings.update', { changes: { language: 'en' } }));
    }
  };
  const japanesePrimary = () => {
    const d = results.mrmc.readerModalities!.randomReadersRandomCases!.differences[0]!;
    return `${d.difference.toFixed(3)}（95% CI ${d.lower.toFixed(3)}～${d.upper.toFixed(3)}）、p = ${d.p! < 0.001 ? '< 0.001' : d.p!.toFixed(3)}`;
  };
  /** Every decimal number of a text, in order of appearance: the figures, whatever the words around them. */
  const decimals = (s: string) => s.match(/\d+\.\d+/g) ?? [];

  it('writes the HTML in Japanese when the language setting says so, with the same figures as the English one', async () => {
    const english = text(await report('html'));
    const exported = await reportIn('ja', 'html');
    expect(exported.fileName).toBe((await report('html')).fileName); // file names stay as they are
    const html = text(exported);
    writeFileSync(join(outDir, 'study-aided-report-ja.html'), html);
    expect(html).toContain('<html lang="ja">');
    expect(english).toContain('<html lang="en">');
    expect(html).toContain(`<title>WalkScope 読影試験レポート：${study.name}</title>`);
    const body = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    for (const heading of ['読影試験レポート：', '試験デザイン', '無作為化：読影者・セッションごとのシード', '主解析：患者単位の OR-MRMC', '主解析と感度分析', 'モデルと読影者の比較（補足）', 'モダリティごとの ROC 曲線（患者単位）', '副解析', 'その他の指標（患者単位）', '混同行列（患者単位）', '方法', '再解析用データ']) {
      expect(body, heading).toContain(heading);
    }
    const primary = body.indexOf(`主要評価項目、読影者平均 AUROC（支援あり − 支援なし）：${japanesePrimary()}`);
    expect(primary).toBeGreaterThan(0);
    expect(primary).toBeLessThan(body.indexOf('試験デザイン'));
    expect(body).toContain('単位：患者、N = 16（ASD 8 名、非 ASD 8 名）');
    expect(body).toContain('研究用・未検証');
    expect(body).toContain('クリップ単位（副解析、N = 患者 16 名のクリップ 22 件）');
    expect(body).toContain('読影者変量・症例固定');
    for (const m of results.mrmc.readerModalities!.singleModality) expect(body).toContain(`AUROC ${m.auc.toFixed(3)}（95% CI ${m.randomReadersRandomCases!.lower.toFixed(3)}～${m.randomReadersRandomCases!.upper.toFixed(3)}）`);
    // the date as Japanese software writes it, "2026/12/02 09:00", with its zone
    expect(body).toMatch(/\d{4}\/\d\d\/\d\d \d\d:\d\d \S+ に WalkScope/);
    expect(html).not.toContain('Primary endpoint');
    expect(html).not.toContain('Secondary analyses');
    // the same figures, in the same order, as the English report
    expect(decimals(body)).toEqual(decimals(english.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')));
    expect(decimals(body).length).toBeGreaterThan(100);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html.match(/>感度（真陽性率）<\/text>/g)).toHaveLength(2);
    // a rater's modality in Japanese, in the confusion matrices and the pairs
    expect(html).toContain('<caption>dr-a（支援あり）</caption>');
    expect(body).toContain('dr-a（支援なし） 対 dr-a（支援あり）');
  });

  it.runIf(hasPdftotext && hasJapaneseFont)('writes the PDF in Japanese with the bundled Japanese font', async () => {
    const pdf = Buffer.from((await reportIn('ja', 'pdf')).contentBase64, 'base64');
    const file = join(outDir, 'study-aided-report-ja.pdf');
    writeFileSync(file, pdf);
    const layout = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const flat = layout.replace(/\s+/g, ' ');
    for (const heading of ['読影試験レポート：', '試験デザイン', '主解析：患者単位の OR-MRMC', 'モデルと読影者の比較（補足）', '副解析', '混同行列（患者単位。行：正解、列：判定）', '方法', '再解析用データ', '研究用・未検証']) {
      expect(flat, heading).toContain(heading);
    }
    expect(flat).toContain(`主要評価項目、読影者平均 AUROC（支援あり − 支援なし）：${japanesePrimary()}`);
    expect(flat).toMatch(/1\/\d+ ページ/);
    // the figures of the tables, each estimate whole on one line with its interval, as in English
    const ci = (i: { estimate: number; lower: number | null; upper: number | null }) => `${i.estimate.toFixed(3)}（${i.lower!.toFixed(3)}～${i.upper!.toFixed(3)}）`;
    for (const r of results.comparison!.raters) for (const m of [r.sensitivity, r.specificity, r.auroc!]) expect(layout).toContain(ci(m));
    for (const o of results.design.orders) expect(flat).toContain(String(o.seed));
    expect(flat).not.toContain('Primary endpoint');
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toContain('IPAGothic');
    expect(fonts).not.toContain('Helvetica');
    if (spawnSync('pdftoppm', ['-v']).status === 0) execFileSync('pdftoppm', ['-png', '-r', '60', file, join(outDir, 'study-aided-page-ja')]);
  });
});
