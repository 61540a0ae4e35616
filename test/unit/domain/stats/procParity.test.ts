import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Binary } from '../../../../src-main/domain/stats/binaryMetrics.js';
import { deLongCi, deLongPairedTest } from '../../../../src-main/domain/stats/deLong.js';
import { mcNemar } from '../../../../src-main/domain/stats/mcNemar.js';

interface ProcCase {
  truth: Binary[];
  scores1: number[];
  scores2: number[];
  auc1: number;
  auc2: number;
  var1: number;
  ci1: [number, number];
  z: number;
  p: number;
}
const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../fixtures/stats/proc_cases.json'), 'utf8')) as {
  proc: string;
  cases: ProcCase[];
  asah: { wfnsVsS100b: ProcCase; ndka: number[]; outcome: Binary[]; ndkaCi: [number, number]; ndkaAuc: number };
  mcnemar: { b: number; c: number; statistic: number; p: number; statisticUncorrected: number; pUncorrected: number; pExact: number };
};

const close = (a: number, b: number, tol = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol);

describe(`DeLong agrees with pROC ${fixture.proc} to 1e-9`, () => {
  fixture.cases.forEach((c, i) => {
    it(`generated case ${i + 1} (n=${c.truth.length}, with ties): AUC, variance, CI and paired test`, () => {
      const ci = deLongCi(c.truth, c.scores1);
      close(ci.auc, c.auc1);
      close(ci.variance, c.var1);
      close(ci.lower, c.ci1[0]);
      close(ci.upper, c.ci1[1]);
      const test = deLongPairedTest(c.truth, c.scores1, c.scores2);
      close(test.auc2, c.auc2);
      close(test.z, c.z);
      close(test.p, c.p);
    });
  });

  it("reproduces pROC's published aSAH results", () => {
    const t = deLongPairedTest(fixture.asah.wfnsVsS100b.truth, fixture.asah.wfnsVsS100b.scores1, fixture.asah.wfnsVsS100b.scores2);
    close(t.z, 2.20898359144091, 1e-12);
    close(t.p, 0.0271757822291882, 1e-12);
    const ndka = deLongCi(fixture.asah.outcome, fixture.asah.ndka);
    expect(ndka.auc.toFixed(5)).toBe('0.61196');
    expect(ndka.lower.toFixed(5)).toBe('0.50124');
    expect(ndka.upper.toFixed(5)).toBe('0.72267');
    close(ndka.lower, fixture.asah.ndkaCi[0]);
    close(ndka.upper, fixture.asah.ndkaCi[1]);
  });
});

describe("McNemar agrees with R's mcnemar.test and binom.test", () => {
  it('on the presidential-approval table (Agresti): 794, 150, 86, 570', () => {
    const r = mcNemar(fixture.mcnemar.b, fixture.mcnemar.c);
    close(r.statistic, fixture.mcnemar.statistic, 1e-12);
    close(r.pCorrected, fixture.mcnemar.p, 1e-15);
    close(r.statisticUncorrected, 17.35593220338983, 1e-12);
    close(r.pUncorrected, fixture.mcnemar.pUncorrected, 1e-15);
    close(r.pExact, fixture.mcnemar.pExact, 1e-15);
  });

  it('handles no discordant pairs and equal counts without NaN', () => {
    expect(mcNemar(0, 0)).toMatchObject({ pCorrected: 1, pUncorrected: 1, pExact: 1 });
    expect(mcNemar(5, 5).pExact).toBe(1);
    // R: mcnemar.test(matrix(c(1, 5, 5, 1), 2)) drops the correction for a symmetric table: X² = 0, p = 1
    expect(mcNemar(5, 5)).toMatchObject({ statistic: 0, pCorrected: 1 });
  });
});
