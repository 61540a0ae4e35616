import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src-main/cli/main.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

async function cli(dataDir: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--data-dir', dataDir], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the walkscope command', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'walkscope-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints help and the command list', async () => {
    const help = await runCli(['--help'], { out: (t) => expect(t).toContain('patients list'), err: () => {} });
    expect(help).toBe(0);
    expect(await runCli([], { out: () => {}, err: () => {} })).toBe(2);
  });

  it('creates and lists patients, as text and as JSON', async () => {
    expect((await cli(dataDir, 'patients', 'create', 'C001', '--diagnosis', 'ASD', '--birth-year', '1950')).code).toBe(0);
    const text = await cli(dataDir, 'patients', 'list');
    expect(text.out).toMatch(/C001\s+ASD/);
    const json = await cli(dataDir, 'patients', 'list', '--json');
    expect(JSON.parse(json.out)).toMatchObject([{ code: 'C001', diagnosis: 'ASD', birthYear: 1950 }]);
  });

  it('uses exit code 1 with the sentence when an operation fails, 2 for a wrong command line', async () => {
    const taken = await cli(dataDir, 'patients', 'create', 'C001');
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('already exists');
    const taken2 = await cli(dataDir, 'patients', 'create', 'C001', '--json');
    expect(JSON.parse(taken2.out)).toMatchObject({ error: { code: 'PATIENT_CODE_TAKEN' } });
    expect((await cli(dataDir, 'patients', 'create')).code).toBe(2);
    expect((await cli(dataDir, 'patients', 'create', 'X', '--birth-year', 'old')).code).toBe(2);
    expect((await cli(dataDir, 'patients', 'list', '--bogus')).code).toBe(2);
    expect((await cli(dataDir, 'frobnicate')).code).toBe(2);
    // the detection stride is a whole number from 1 to 5, said in words
    for (const stride of ['9', '0', 'fast', '2.5']) {
      const wrong = await cli(dataDir, 'prepare', 'walk.mp4', '--out', 'prepared', '--stride', stride);
      expect(wrong.code).toBe(2);
      expect(wrong.err).toContain(`--stride: the detection stride must be a whole number of frames from 1 to 5 (detect every k-th frame), not ${stride}`);
    }
    expect((await cli(dataDir, 'analyse', '1', '--stride', '7')).code).toBe(2);
    const bad = await cli(dataDir, 'patients', 'create', 'C002', '--diagnosis', 'scoliosis');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('diagnosis');
  });

  it.runIf(requireTestdata())('imports videos, reports refusals per file, and lists jobs', async () => {
    const result = await cli(dataDir, 'import', testVideo(clips.intelWorker15fps), '/nonexistent/file.mp4', '--patient', 'C001', '--view', 'frontal');
    expect(result.code).toBe(1); // one of the two files was refused
    expect(result.err).toContain('Refused: /nonexistent/file.mp4');
    expect(result.out).toMatch(/intel_worker_walking_away_backview\.mp4\s+frontal\s+h264\s+480x270/);
    const jobs = JSON.parse((await cli(dataDir, 'jobs', '--json')).out) as Array<{ kind: string; status: string }>;
    expect(jobs).toMatchObject([{ kind: 'media.analyse', status: 'done' }]);
    const show = await cli(dataDir, 'patients', 'show', 'C001');
    expect(show.out).toContain('71'); // frames counted by the analysis job
  });
});

describe('walkscope stats on a long-format CSV (generated scores, not clinical data)', () => {
  it('prints every metric and comparison, or JSON, and names a bad line', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'walkscope-stats-'));
    const file = join(dir, 'cases.csv');
    const lines = ['reader,case,modality,score,truth,call'];
    for (let c = 0; c < 30; c++) {
      const truth = c % 3 === 0 ? 1 : 0;
      lines.push(`model,C${c},video,${((truth ? 0.6 : 0.4) + ((c * 37) % 11) / 40).toFixed(3)},${truth},`);
      lines.push(`dr-a,C${c},video,${(c * 53) % 100},${truth},${c % 2}`);
    }
    writeFileSync(file, lines.join('\n'));
    const out: string[] = [];
    expect(await runCli(['stats', file], { out: (t) => out.push(t), err: () => {} })).toBe(0);
    expect(out.join('\n')).toMatch(/AUROC \(DeLong 95% CI\)/);
    expect(out.join('\n')).toMatch(/model vs dr-a/);
    expect(out.join('\n')).toContain('McNemar on correctness p (exact)');
    expect(out.join('\n')).toContain("agreement (Cohen's kappa, 95% CI)");
    expect(out.join('\n')).toMatch(/sensitivity \d\.\d{3} vs \d\.\d{3} on 10 ASD cases; right only: \d+ vs \d+; McNemar p/);
    expect(out.join('\n')).toMatch(/specificity \d\.\d{3} vs \d\.\d{3} on 20 non-ASD cases/);
    expect(out.join('\n')).toContain("Fleiss' kappa: not computed. Fleiss' kappa needs at least two readers; there is one (dr-a) and models are not counted (one model)");
    const json: string[] = [];
    expect(await runCli(['stats', file, '--json'], { out: (t) => json.push(t), err: () => {} })).toBe(0);
    expect(JSON.parse(json.join(''))).toMatchObject({ cases: 30, positives: 10 });
    writeFileSync(file, 'reader,case,modality,score,truth\nA,1,m,0.5,maybe\n');
    const err: string[] = [];
    expect(await runCli(['stats', file], { out: () => {}, err: (t) => err.push(t) })).toBe(1);
    expect(err.join('')).toContain('line 2, column "truth"');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('walkscope audit and backup', () => {
  it('shows who changed what, and writes a consistent database copy that it never overwrites', async () => {
    const { mkdtempSync } = await import('node:fs');
    const Database = (await import('better-sqlite3')).default;
    const dir = mkdtempSync(join(tmpdir(), 'walkscope-admin-'));
    const data = join(dir, 'data');
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli([...args, '--data-dir', data], { out: (t) => out.push(t), err: (t) => err.push(t) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    await run('patients', 'create', 'A-1', '--diagnosis', 'LCS');
    await run('patients', 'update', 'A-1', '--diagnosis', 'ASD');
    const audit = await run('audit', '--entity', 'patient', '--json');
    const entries = JSON.parse(audit.out) as Array<{ action: string; before: { diagnosis: string } | null; after: { diagnosis: string } }>;
    expect(entries.map((e) => e.action)).toEqual(['patient.update', 'patient.create']);
    expect(entries[0]!.before!.diagnosis).toBe('LCS');
    expect(entries[0]!.after.diagnosis).toBe('ASD');
    const target = join(dir, 'backup.db');
    expect((await run('backup', '--out', target, '--database-only')).code).toBe(0);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT code, diagnosis FROM patients').all()).toEqual([{ code: 'A-1', diagnosis: 'ASD' }]);
    copy.close();
    const again = await run('backup', '--out', target, '--database-only');
    expect(again.code).toBe(1);
    expect(again.err).toContain('never overwrites');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe.runIf(requireTestdata())('walkscope prepare on a dataset folder', () => {
  it('keeps the class subfolders, prints the summary and says which files failed', async () => {
    const { mkdtempSync, mkdirSync, copyFileSync, existsSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'walkscope-prepare-'));
    mkdirSync(join(dir, 'in', 'ASD'), { recursive: true });
    mkdirSync(join(dir, 'in', 'ASD_not'), { recursive: true });
    copyFileSync(testVideo(clips.intelWorker15fps), join(dir, 'in', 'ASD', 'walker.mp4'));
    copyFileSync(testVideo(clips.intelEmptyRoom), join(dir, 'in', 'ASD_not', 'empty.mp4'));
    const out: string[] = [];
    const code = await runCli(['prepare', join(dir, 'in'), '--out', join(dir, 'out'), '--size', '128'], { out: (t) => out.push(t), err: () => {} });
    expect(code).toBe(1); // one of the two has nobody in it
    const text = out.join('\n');
    expect(text).toMatch(/ASD\/walker\.mp4\s+ok/);
    expect(text).toContain('NO_PERSON_FOUND');
    expect(text).toContain('ASD/: 1 of 1 prepared');
    expect(existsSync(join(dir, 'out', 'ASD', 'walker.mp4'))).toBe(true);
    expect(existsSync(join(dir, 'out', 'ASD_not', 'empty.mp4'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('--stride: the stride used is recorded with the result', async () => {
    const { mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'walkscope-prepare-stride-'));
    const out: string[] = [];
    const code = await runCli(['prepare', testVideo(clips.intelWorker15fps), '--out', dir, '--size', '128', '--stride', '2', '--json'], { out: (t) => out.push(t), err: () => {} });
    expect(code).toBe(0);
    const [file] = JSON.parse(out.join('\n')) as Array<{ result: { stride: number; coverage: { frames: number; detected: number; interpolated: number; betweenDetections: number }; outputFrames: number } }>;
    expect(file!.result.stride).toBe(2);
    expect(file!.result.coverage.frames).toBe(142);
    expect(file!.result.coverage.detected + file!.result.coverage.interpolated + file!.result.coverage.betweenDetections).toBe(file!.result.outputFrames);
    expect(file!.result.coverage.betweenDetections).toBeGreaterThan(60);
    rmSync(dir, { recursive: true, force: true });
  });
});
