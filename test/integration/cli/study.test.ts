import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StudyResults, StudySummary } from '../../../src-main/contract/entities.js';
import { runCli } from '../../../src-main/cli/main.js';
import { parseLongFormatCsv } from '../../../src-main/domain/stats/longFormatCsv.js';
import { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { ok } from '../../helpers/tempApp.js';
import { aidedStudyStart, buildAidedStudy } from '../report/generatedAidedStudy.js';

async function cli(dataDir: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--data-dir', dataDir], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `walkscope study results` and `study report` on a GENERATED aided study (not clinical data; see ../report/generatedAidedStudy.ts). */
describe('walkscope study results and study report', () => {
  let dataDir: string;
  let study: StudySummary;
  let results: StudyResults;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'walkscope-cli-study-'));
    let now = aidedStudyStart;
    const app = await WalkScopeApp.open({ dataDir, transport: 'test', log: () => {}, runJobs: false, clock: () => new Date(now).toISOString() });
    try {
      study = await buildAidedStudy(app, (ms) => (now += ms));
      results = ok<StudyResults>(await app.call('studies.results', { id: study.id }));
    } finally {
      await app.close();
    }
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the primary endpoint first, then the design and the MRMC analysis', async () => {
    const { code, out } = await cli(dataDir, 'study', 'results', String(study.id));
    expect(code).toBe(0);
    const d = results.mrmc.readerModalities!.randomReadersRandomCases!.differences[0]!;
    const first = out.split('\n')[0]!;
    expect(first).toMatch(/^Primary endpoint, reader-averaged AUROC, aided minus unaided: /);
    expect(first).toContain(`${d.difference.toFixed(3)} (95% CI ${d.lower.toFixed(3)} to ${d.upper.toFixed(3)})`);
    expect(first).toContain('unit: patients, N = 16 (8 ASD, 8 non-ASD)');
    expect(out).toContain('Randomisation: dr-a session 1 (unaided) seed');
    expect(out).toContain('MRMC (Obuchowski-Rockette, Hillis df, jackknife covariances)');
    expect(out).toContain('Secondary, per case (22 cases');
  });

  it('writes the iMRMC export with --format imrmc --out and says the primary endpoint', async () => {
    const file = join(dataDir, 'study.imrmc.csv');
    const { code, out } = await cli(dataDir, 'study', 'report', String(study.id), '--format', 'imrmc', '--out', file);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^Primary endpoint, /);
    expect(out).toContain(`Wrote ${file}`);
    const rows = parseLongFormatCsv(readFileSync(file, 'utf8'));
    expect(new Set(rows.map((r) => r.modality))).toEqual(new Set(['model', 'aided', 'unaided']));
    expect((await cli(dataDir, 'study', 'report', String(study.id), '--format', 'docx')).code).toBe(2);
  });

  it('writes the report in the language of the settings and prints its primary endpoint in it', async () => {
    const setLanguage = async (language: 'en' | 'ja') => {
      const app = await WalkScopeApp.open({ dataDir, transport: 'test', log: () => {}, runJobs: false });
      try {
        ok(await app.call('settings.update', { changes: { language } }));
      } finally {
        await app.close();
      }
    };
    const primary = results.mrmc.readerModalities!.randomReadersRandomCases!;
    const d = primary.differences[0]!;
    const file = join(dataDir, 'study-ja.html');
    await setLanguage('ja');
    try {
      const { code, out } = await cli(dataDir, 'study', 'report', String(study.id), '--format', 'html', '--out', file);
      expect(code).toBe(0);
      const lines = out.split('\n');
      expect(lines[0]).toBe(
        `主要評価項目、読影者平均 AUROC（支援あり − 支援なし）：${d.difference.toFixed(3)}（95% CI ${d.lower.toFixed(3)}～${d.upper.toFixed(3)}）、p = ${d.p!.toFixed(3)}；OR-MRMC、読影者・症例ともに変量（Hillis ddf ${primary.ddf!.toFixed(2)}）、読影者 3 名；単位：患者、N = 16（ASD 8 名、非 ASD 8 名）。`,
      );
      expect(lines[1]).toMatch(/^支援あり（読影者平均）：AUROC \d\.\d{3}（95% CI .*）；支援なし（読影者平均）：AUROC .*。$/);
      expect(out).toContain(`Wrote ${file}`);
      const html = readFileSync(file, 'utf8');
      expect(html).toContain('<html lang="ja">');
      expect(html).toContain('<h2>試験デザイン</h2>');
    } finally {
      await setLanguage('en');
    }
    const { out } = await cli(dataDir, 'study', 'report', String(study.id), '--format', 'html', '--out', file);
    expect(out.split('\n')[0]).toMatch(/^Primary endpoint, reader-averaged AUROC, aided minus unaided: /);
    expect(readFileSync(file, 'utf8')).toContain('<html lang="en">');
  });
});

describe('walkscope study create and add-cases with the reading protocol', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'walkscope-cli-study-create-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates an aided study with its view and washout, and refuses a negative washout by name', async () => {
    const created = await cli(dataDir, 'study', 'create', 'Aided', 'pilot', '--aided', '--washout-days', '14', '--view', 'original-marked', '--seed', '9');
    expect(created.code).toBe(0);
    expect(created.out).toBe('Created Study 1: Aided pilot (reader; random 1 s clips; original, patient marked; unaided, then aided after 14 days; blinded; seed 9) - 0 patients, 0 cases (0 ASD), 0 readers');
    const refused = await cli(dataDir, 'study', 'create', 'Bad', '--washout-days=-3');
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('the washout is negative');
  });
});
