import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { screeningModelBodySchema, type ScreeningModelBody } from '../../../src-main/contract/screening.js';
import { renderScreeningReport, type ScreeningReportContext } from '../../../src-main/report/screeningReport.js';
import { fmt, fmtCi } from '../../../src-main/report/reportText.js';
import { screeningModelFixture } from '../../helpers/screeningModelFixture.js';

const outDir = resolve(import.meta.dirname, '../../output/report');
const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
const hasPdftoppm = spawnSync('pdftoppm', ['-v']).status === 0;
const fontPath = resolve(import.meta.dirname, '../../../resources/fonts/ipag.ttf');
const hasJapaneseFont = existsSync(fontPath) || (console.warn('[walkscope tests] resources/fonts/ipag.ttf missing (Debian fonts-ipafont-gothic, then node tools/bundleFonts.js): the Japanese screening report PDF is not checked.'), false);

const contextOf = (model: ScreeningModelBody): ScreeningReportContext => ({
  id: 'lr-0a1b2c3d4e5f',
  sha256: '9d4e1c7a2b3f5e6d8c0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a',
  status: 'trained',
  model,
  generatedAt: '2026-03-02T10:00:00.000Z',
  appVersion: '0.1.0',
});

const beats = contextOf(screeningModelFixture());
const chance = contextOf(screeningModelFixture({ beatsChance: false, fusion: false }));
const text = async (context: ScreeningReportContext, format: 'html' | 'csv' | 'json') => (await renderScreeningReport(context, format)).content.toString('utf8');

/** The invented model of test/helpers/screeningModelFixture.ts (not clinical data) in every export format. */
describe('screening model report', () => {
  it('writes one self-contained HTML file: no scripts, no remote resources', async () => {
    const html = await text(beats, 'html');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|url\(|@import/i);
    // the only URL is the SVG namespace name, which nothing fetches
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
    expect(html.match(/<svg/g)).toHaveLength(2); // ROC and calibration
  });

  it('shows the patient-level headline as the table formats it, before the segment level', async () => {
    const html = await text(beats, 'html');
    const p = beats.model.evaluation.patient;
    for (const interval of [p.balancedAccuracy, p.accuracy, p.sensitivity, p.specificity, p.f1, p.auroc]) expect(html).toContain(`<td class="n">${fmtCi(interval)}</td>`);
    expect(fmtCi(p.balancedAccuracy)).toBe('0.792 (0.625–0.938)');
    expect(html).toContain(`<td class="n">${fmt(p.brier)}</td>`);
    // the confusion matrix: ASD row 9 called ASD, 3 not; not-ASD row 2 and 10
    expect(html).toContain('<tr><td>ASD</td><td class="n">9</td><td class="n">3</td><td class="n">12</td></tr>');
    expect(html).toContain('<tr><td>not ASD</td><td class="n">2</td><td class="n">10</td><td class="n">12</td></tr>');
    expect(html.indexOf('Patient level (headline)')).toBeLessThan(html.indexOf('Segment level (secondary)'));
    expect(html).toContain('segments of one patient are not independent'.replace('segments', 'Segments'));
    expect(html).toContain(beats.model.cohort.patientsSha256);
    expect(html).toContain('0 patients on both sides');
  });

  it('labels every report research only, and says so when the model did not beat chance', async () => {
    const yes = await text(beats, 'html');
    const no = await text(chance, 'html');
    expect(yes).toContain('RESEARCH ONLY');
    expect(no).toContain('RESEARCH ONLY');
    expect(yes).not.toContain('NOT SHOWN TO BEAT CHANCE');
    expect(no).toContain('NOT SHOWN TO BEAT CHANCE: the patient-level balanced-accuracy 95% CI includes 0.5 (0.458–0.938).');
    expect(yes).toContain('Fusion with a 3D CNN');
    expect(no).not.toContain('Fusion with a 3D CNN');
  });

  it('writes one CSV row per patient of the out-of-fold predictions, codes only', async () => {
    const csv = await text(beats, 'csv');
    const lines = csv.split('\n');
    expect(lines[0]).toBe('code,label,segments,probability,repeat_1,repeat_2');
    expect(lines.slice(1, 4)).toEqual(['S001,1,8,0.91,0.92,0.9', 'S002,1,13,0.84,0.86,0.82', 'S003,1,18,0.78,0.81,0.75']);
    expect(lines[24]).toBe('S024,0,13,0.63,0.67,0.59');
    expect(lines).toHaveLength(1 + 24 + 1); // header, 24 patients, the final newline
    expect(lines[25]).toBe('');
  });

  it('writes JSON that round-trips through the schema', async () => {
    const rendered = await renderScreeningReport(beats, 'json');
    expect(rendered.fileName).toBe('walkscope-screening-lr-0a1b2c3d4e5f-sagittal-five-site-a-test-fixture.json');
    const json = JSON.parse(rendered.content.toString('utf8')) as { id: string; sha256: string; generatedAt: string; model: unknown };
    expect(json).toMatchObject({ id: beats.id, sha256: beats.sha256, generatedAt: beats.generatedAt });
    expect(screeningModelBodySchema.parse(json.model)).toEqual(beats.model);
  });

  it('renders a model with no AUROC, no ROC curve and no calibration bins without a NaN or undefined', async () => {
    const model = screeningModelFixture();
    Object.assign(model.evaluation.patient, { auroc: null, roc: null, calibration: [] });
    model.fusion!.comparisons[0]!.deLong = null;
    delete model.evaluation.foldSummary.auroc;
    const context = contextOf(model);
    const html = await text(context, 'html');
    expect(html).toContain('No ROC curve: a class has fewer than 2 patients.');
    expect(html).toContain('No predictions to calibrate.');
    for (const format of ['html', 'csv', 'json'] as const) expect(await text(context, format)).not.toMatch(/NaN|undefined|Infinity/);
    const pdf = (await renderScreeningReport(context, 'pdf')).content;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    if (hasPdftotext) {
      mkdirSync(outDir, { recursive: true });
      const file = join(outDir, 'screening-report-edges.pdf');
      writeFileSync(file, pdf);
      expect(execFileSync('pdftotext', [file, '-']).toString()).not.toMatch(/NaN|undefined|Infinity/);
    }
  });

  it.runIf(hasPdftotext)('writes a PDF whose text holds the headline numbers and the banners', async () => {
    mkdirSync(outDir, { recursive: true });
    for (const [name, context] of [
      ['screening-report', beats],
      ['screening-report-chance', chance],
    ] as const) {
      const pdf = (await renderScreeningReport(context, 'pdf')).content;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const file = join(outDir, `${name}.pdf`);
      writeFileSync(file, pdf);
      const pdfText = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      const p = context.model.evaluation.patient;
      expect(pdfText).toContain('RESEARCH ONLY');
      for (const interval of [p.balancedAccuracy, p.sensitivity, p.specificity, p.f1, p.auroc]) expect(pdfText).toContain(fmtCi(interval));
      expect(pdfText).toContain(context.sha256);
      expect(pdfText).toMatch(/page 1 of \d/);
      if (context.model.beatsChance) expect(pdfText).not.toContain('NOT SHOWN TO BEAT CHANCE');
      else expect(pdfText).toContain('NOT SHOWN TO BEAT CHANCE: the patient-level balanced-accuracy 95% CI includes 0.5');
      if (hasPdftoppm) execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '2', file, join(outDir, name)]);
    }
    writeFileSync(join(outDir, 'screening-report.html'), await text(beats, 'html'));
  });

  describe('in Japanese', () => {
    const ja = (context: ScreeningReportContext): ScreeningReportContext => ({ ...context, language: 'ja', japaneseFontPath: fontPath });

    it('writes the HTML with lang="ja", Japanese headings and the same numbers', async () => {
      const html = await text(ja(beats), 'html');
      expect(html).toContain('<html lang="ja">');
      expect(html).toContain('<title>WalkScope スクリーニングモデル レポート：Sagittal five, site A (test fixture)</title>');
      for (const heading of ['<h2>学習データ</h2>', '<h2>方法</h2>', '<h2>患者単位（主要結果）</h2>', '<h2>区間単位（副次的）</h2>', '<h2>3D CNNとの融合</h2>', '<h2>最終モデル</h2>', '<h2>リーク確認</h2>']) expect(html).toContain(heading);
      expect(html.indexOf('患者単位（主要結果）')).toBeLessThan(html.indexOf('区間単位（副次的）'));
      expect(html).toContain('研究用 — 医療機器ではありません。');
      expect(html).toContain('<tr><td>バランス正解率</td><td class="n">0.792 (0.625–0.938)</td><td>層化ブートストラップ・パーセンタイル法（2000回）</td></tr>');
      expect(html).toContain('<tr><td>ASDあり</td><td class="n">9</td><td class="n">3</td><td class="n">12</td></tr>');
      expect(html).toContain('<tr><td>ASDなし</td><td class="n">2</td><td class="n">10</td><td class="n">12</td></tr>');
      expect(html).toContain('<td>体幹前傾角</td><td>度</td>');
      expect(html).toContain('aria-label="ROC曲線（患者単位）"');
      expect(html).toContain('>1 − 特異度（偽陽性率）</text>');
      expect(html).toContain('患者分割 24件を確認しました（全反復の外側・内側分割）。いずれかの分割で両側に入った患者：0名。');
      expect(html).toContain(`患者を特定しない識別値：ソートした患者コードのSHA-256 <span class="mono">${beats.model.cohort.patientsSha256}</span>。`);
      expect(html).not.toContain('Patient level (headline)');
      expect(html).not.toContain('RESEARCH ONLY');
    });

    it('says in Japanese when the model did not beat chance', async () => {
      const html = await text(ja(chance), 'html');
      expect(html).toContain('偶然レベルを上回ることは示されていません：患者単位のバランス正解率の95%信頼区間が0.5を含みます（0.458–0.938）。');
      expect(html).not.toContain('3D CNNとの融合');
    });

    it('keeps the CSV and the JSON as in English (machine-readable exports)', async () => {
      for (const format of ['csv', 'json'] as const) expect(await text(ja(beats), format)).toBe(await text(beats, format));
    });

    it.runIf(hasPdftotext && hasJapaneseFont)('writes the PDF with the Japanese font: Japanese headings, banners and page numbers', async () => {
      mkdirSync(outDir, { recursive: true });
      for (const [name, context] of [
        ['screening-report-ja', ja(beats)],
        ['screening-report-chance-ja', ja(chance)],
      ] as const) {
        const file = join(outDir, `${name}.pdf`);
        writeFileSync(file, (await renderScreeningReport(context, 'pdf')).content);
        const pdfText = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
        for (const words of ['研究用 — 医療機器ではありません。', 'スクリーニングモデル レポート：', '学習データ', '患者単位（主要結果）', '混同行列（患者単位）', '反復ごとの交差検証（患者単位）', '区間単位（副次的）', '最終モデル', 'リーク確認', 'バランス正解率', '1 / ']) {
          expect(pdfText, words).toContain(words);
        }
        const p = context.model.evaluation.patient;
        for (const interval of [p.balancedAccuracy, p.sensitivity, p.specificity, p.auroc]) expect(pdfText).toContain(fmtCi(interval));
        expect(pdfText).toMatch(/1 \/ \d ページ/);
        expect(pdfText).not.toContain('Patient level (headline)');
        if (context.model.beatsChance) expect(pdfText).not.toContain('偶然レベルを上回ることは示されていません');
        else expect(pdfText).toContain('偶然レベルを上回ることは示されていません');
        const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
        expect(fonts).toContain('IPAGothic');
        expect(fonts).not.toContain('Helvetica');
        if (hasPdftoppm) execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '2', file, join(outDir, name)]);
      }
      writeFileSync(join(outDir, 'screening-report-ja.html'), await text(ja(beats), 'html'));
    });

    it('refuses a Japanese PDF by name when the Japanese font is missing', async () => {
      await expect(renderScreeningReport({ ...ja(beats), japaneseFontPath: null }, 'pdf')).rejects.toMatchObject({ code: 'REPORT_FONT_MISSING' });
    });
  });
});
