import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/main.js';
import { sagittalFive } from '../../../src-main/contract/measurements.js';
import { Store } from '../../../src-main/store/store.js';
import { seedMeasuredPatients, syntheticMeasuredPatients } from '../../helpers/seedMeasuredCohort.js';

async function cli(dataDir: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--data-dir', dataDir], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `walkscope train` and `walkscope screening ...` on a data folder holding a SYNTHETIC measured cohort (not clinical data). */
describe('the walkscope train and screening commands (synthetic cohort)', () => {
  let dataDir: string;
  let modelId: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'walkscope-cli-train-'));
    const store = await Store.open({ dataDir });
    seedMeasuredPatients(store, sagittalFive, syntheticMeasuredPatients(12, 'T', 3));
    store.patients.create('test', 'T-UNK', { diagnosis: 'unknown' });
    store.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a cohort too small, with the counts, and a wrong command line with exit code 2', async () => {
    const small = await cli(dataDir, 'train', '--cohort', 'T001,T002,T013');
    expect(small.code).toBe(1);
    expect(small.err).toContain('refused: Training needs at least 10 patients in each class with measured side-on segments; this cohort has 2 ASD and 1 not ASD.');
    const wrong = await cli(dataDir, 'train', '--features', 'trunkLean,spineCurve');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('unknown measure spineCurve');
    expect((await cli(dataDir, 'train', '--folds', 'five')).code).toBe(2);
    expect((await cli(dataDir, 'train', '--report', 'out.docx')).code).toBe(2);
    const unstated = await cli(dataDir, 'train', '--fuse', 'slow_r50-site');
    expect(unstated.code).toBe(2);
    expect(unstated.err).toContain("--fuse slow_r50-site: a bundle's scores are out of fold only if it was not trained on any of these patients; say so with --bundle-not-trained-on-these-patients");
  });

  it('shows the cohort first (--dry-run trains nothing)', async () => {
    const dry = await cli(dataDir, 'train', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.err).toContain('Cohort: 24 patients (12 ASD, 12 not ASD: ASD 12, DHS 3, LCS 3, HipOA 3, other 3)');
    expect(dry.err).toContain('Left out: 1 patient\n  diagnosis unknown: T-UNK');
    expect((await cli(dataDir, 'screening', 'list')).out).toContain('No screening model yet');
  });

  it('trains, prints the patient-level CV with intervals, writes the report, and says how to accept', async () => {
    const report = join(dataDir, 'cv.pdf');
    const trained = await cli(dataDir, 'train', '--folds', '3', '--repeats', '2', '--seed', '2023', '--name', 'CLI model', '--report', report);
    expect(trained.code, trained.err).toBe(0);
    expect(trained.out).toContain('*** RESEARCH ONLY');
    expect(trained.out).toMatch(/Patient level \(out-of-fold, pooled over repeats, threshold 0\.5; 24 patients, 12 ASD\):/);
    expect(trained.out).toMatch(/balanced accuracy \(bootstrap\)\s+\d\.\d{3} \(\d\.\d{3}-\d\.\d{3}\)\s+\d\.\d{3} ± \d\.\d{3}/);
    expect(trained.out).toContain('Protocol: stratified group 3-fold by patient x 2 repeats (seeds 2023..2024)');
    expect(trained.out).toMatch(/Leakage check: \d+ splits checked, 0 patients on both sides of any split/);
    modelId = /Accept it with: walkscope screening accept (lr-[a-f0-9]{12})/.exec(trained.out)![1]!;
    expect(readFileSync(report).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await cli(dataDir, 'screening', 'list')).out).toMatch(new RegExp(`${modelId}\\s+trained\\s+CLI model\\s+24 patients`));
  });

  it('explains nothing before acceptance (exit 1 with the reason), then a patient measure by measure', async () => {
    const before = await cli(dataDir, 'screening', 'explain', 'T001');
    expect(before.code).toBe(1);
    expect(before.out).toContain('No screening model has been accepted yet');
    expect((await cli(dataDir, 'screening', 'accept', modelId)).out).toContain(`Accepted: ${modelId}  accepted (active)`);
    const after = await cli(dataDir, 'screening', 'explain', 'T001');
    expect(after.code).toBe(0);
    expect(after.out).toMatch(/^T001: P\(ASD\) \d\.\d{3} -> (ASD|not ASD) at 0\.5 \(model CLI model, lr-[a-f0-9]{12}\) \[research only/);
    expect(after.out).toMatch(/Trunk lean -?\d+\.\d deg, norm -?\d+\.\d ± \d+\.\d deg: [+-]\d+\.\d SD\s+[+-]\d+\.\d\d/);
    const json = JSON.parse((await cli(dataDir, 'screening', 'explain', 'T001', '--json')).out);
    expect(json.explanation.features).toHaveLength(5);
  });

  it('exports the model file and imports it into another data folder as the same model', async () => {
    const file = join(dataDir, 'model.json');
    expect((await cli(dataDir, 'screening', 'export', modelId, '--out', file)).code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const other = mkdtempSync(join(tmpdir(), 'walkscope-cli-site2-'));
    try {
      const imported = await cli(other, 'screening', 'import', file);
      expect(imported.code, imported.err).toBe(0);
      expect(imported.out).toContain(`Imported: ${modelId}  trained  CLI model`);
      const shown = await cli(other, 'screening', 'show', modelId);
      expect(shown.out).toContain(`CLI model (${modelId}), trained`);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
