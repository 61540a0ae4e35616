import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/main.js';
import { mrmcResultSchema } from '../../../src-main/contract/mrmc.js';

const vanDyke = resolve(import.meta.dirname, '../../fixtures/stats/vandyke.csv');

async function stats(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['stats', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `walkscope stats` on the Van Dyke reader study (the published MRMC example; ../shared/reference/mrmc). */
describe('walkscope stats: the MRMC section', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'walkscope-mrmc-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the OR analysis with the published primary line: -0.04380 (-0.08796 to 0.00036), F = 4.46 on (1, 15.26), p = 0.0517', async () => {
    const { code, out } = await stats(vanDyke, '--replicates', '50');
    expect(code).toBe(0);
    expect(out).toContain('MRMC (Obuchowski-Rockette, Hillis df, jackknife covariances): 2 modalities, 5 readers, 114 cases (45 ASD, 69 non-ASD).');
    expect(out).toContain('Primary (random readers, random cases): AUC(0) - AUC(1) = -0.04380 (95% CI -0.08796 to 0.00036), F = 4.46 on (1, 15.26) df, p = 0.0517');
    expect(out).toContain('Fixed readers, random cases: X2 = 5.476 on 1 df, p = 0.0193');
    expect(out).toMatch(/fixed readers, random cases\s+AUC\(0\) - AUC\(1\)\s+-0\.04380\s+0\.01872\s+-0\.08049 to -0\.00711\s+normal\s+0\.0193/);
    expect(out).toMatch(/^0\s+0\.89704\s+0\.03317\s+12\.74\s+0\.82522 to 0\.96885$/m);
    expect(out).toMatch(/^R4\s+AUC\(0\) - AUC\(1\)\s+-0\.10016\s+0\.04406\s/m);
  });

  it('puts the result under "mrmc" in --json, and takes --mrmc-covariance delong', async () => {
    const json = JSON.parse((await stats(vanDyke, '--replicates', '50', '--json')).out) as { mrmc: unknown; cases: number };
    expect(json.cases).toBe(114);
    const result = mrmcResultSchema.parse(json.mrmc);
    expect(result.randomReadersRandomCases!.ddf).toBeCloseTo(15.26, 2);
    const deLong = JSON.parse((await stats(vanDyke, '--replicates', '50', '--json', '--mrmc-covariance', 'delong')).out) as { mrmc: { covariance: string } };
    expect(deLong.mrmc.covariance).toBe('deLong');
    const wrong = await stats(vanDyke, '--mrmc-covariance', 'bootstrap');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('--mrmc-covariance takes jackknife or delong, not bootstrap');
  });

  it('leaves out the "model" modality, and says in one line why MRMC was not run when the design is not crossed', async () => {
    const lines = readFileSync(vanDyke, 'utf8').trim().split('\n');
    const withModel = join(dir, 'with-model.csv');
    writeFileSync(withModel, [...lines, ...lines.slice(1, 115).map((l) => l.replace(/^R0,/, 'net,').replace(/,0,/, ',model,'))].join('\n'));
    const model = await stats(withModel, '--replicates', '50');
    expect(model.out).toContain('MRMC (Obuchowski-Rockette, Hillis df, jackknife covariances): 2 modalities, 5 readers');
    expect(model.out).toContain('F = 4.46 on (1, 15.26) df, p = 0.0517');

    const gap = join(dir, 'gap.csv');
    writeFileSync(gap, lines.filter((l) => !l.startsWith('R2,C003,1,')).join('\n'));
    const notCrossed = await stats(gap, '--replicates', '50');
    expect(notCrossed.code).toBe(0);
    const said = notCrossed.out.split('\n').filter((l) => l.startsWith('MRMC'));
    expect(said).toEqual(['MRMC (Obuchowski-Rockette) not run: the design is not fully crossed (MRMC needs every reader to score every case in every modality): reader R2 in modality 1 has no score for 1 of 114 cases (C003).']);
    const json = JSON.parse((await stats(gap, '--replicates', '50', '--json')).out) as { mrmc: unknown; mrmcNotRun: string };
    expect(json.mrmc).toBeNull();
    expect(json.mrmcNotRun).toContain('reader R2 in modality 1');

    const oneModality = join(dir, 'one.csv');
    writeFileSync(oneModality, lines.filter((l, i) => i === 0 || l.split(',')[2] === '0').join('\n'));
    expect((await stats(oneModality, '--replicates', '50')).out).not.toContain('MRMC');
  });
});
