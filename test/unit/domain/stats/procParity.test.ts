import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Binary } from '../../../../src-main/domain/stats/confusionMatrix.js';
import { wilsonInterval } from '../../../../src-main/domain/stats/binaryMetrics.js';
import { deLongCi, deLongPairedTest } from '../../../../src-main/domain/stats/deLong.js';
import { mcNemar } from '../../../../src-main/domain/stats/mcNemar.js';
import { binomialPmfs, binomialTestTwoSided } from '../../../../src-main/domain/stats/binomial.js';
import { chiSquare1P, normalCdf, normalQuantile } from '../../../../src-main/domain/stats/normal.js';

interface ProcCase {
  label: string;
  truth: Binary[];
  scores1: number[];
  scores2: number[];
  auc1: number;
  auc2: number;
  var1: number;
  var2: number;
  ci1: [number, number];
  ci2: [number, number];
  ci90: [number, number];
  z: number;
  p: number;
}
const dir = resolve(import.meta.dirname, '../../../fixtures/stats');
const fixture = JSON.parse(readFileSync(resolve(dir, 'proc_cases.json'), 'utf8')) as {
  proc: string;
  r: string;
  cases: ProcCase[];
  asah: { wfnsVsS100b: ProcCase; s100bVsNdka: ProcCase; ndkaCi: [number, number]; ndkaAuc: number };
  mcnemar: Array<{ b: number; c: number; statistic: number; p: number; statisticUncorrected: number; pUncorrected: number; pExact: number }>;
  wilson: Array<{ x: number; n: number; ci: [number, number] }>;
  binomial: Array<{ x: number; n: number; prob: number; p: number; pmf: number }>;
  normal: { p: number[]; qnorm: number[]; z: number[]; pnorm: number[]; chisq: number[]; pchisq1Upper: number[] };
};

/** pROC's aSAH data as written by the R script (outcome 1 = Poor). */
function readAsah() {
  const [header, ...lines] = readFileSync(resolve(dir, 'proc_aSAH.csv'), 'utf8').trim().split('\n');
  const names = header!.split(',');
  const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
  return {
    outcome: rows.map((r) => Number(r.outcome) as Binary),
    wfns: rows.map((r) => Number(r.wfns)),
    s100b: rows.map((r) => Number(r.s100b)),
    ndka: rows.map((r) => Number(r.ndka)),
  };
}

const worst = new Map<string, number>();
function close(what: string, actual: number, expected: number, tolerance: number, relative = false) {
  const d = Math.abs(actual - expected) / (relative ? Math.max(Math.abs(expected), Number.MIN_VALUE) : 1);
  worst.set(what, Math.max(worst.get(what) ?? 0, d));
  expect(d, `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

function checkCase(c: ProcCase) {
  const ci = deLongCi(c.truth, c.scores1);
  close('AUC', ci.auc, c.auc1, 1e-9);
  close('DeLong variance', ci.variance, c.var1, 1e-9);
  close('DeLong CI', ci.lower, c.ci1[0], 1e-9);
  close('DeLong CI', ci.upper, c.ci1[1], 1e-9);
  const ci2 = deLongCi(c.truth, c.scores2);
  close('AUC', ci2.auc, c.auc2, 1e-9);
  close('DeLong variance', ci2.variance, c.var2, 1e-9);
  close('DeLong CI', ci2.lower, c.ci2[0], 1e-9);
  close('DeLong CI', ci2.upper, c.ci2[1], 1e-9);
  const ci90 = deLongCi(c.truth, c.scores1, 0.9);
  close('DeLong CI', ci90.lower, c.ci90[0], 1e-9);
  close('DeLong CI', ci90.upper, c.ci90[1], 1e-9);
  const test = deLongPairedTest(c.truth, c.scores1, c.scores2);
  close('paired DeLong z', test.z, c.z, 1e-9);
  close('paired DeLong p', test.p, c.p, 1e-9);
}

describe(`DeLong agrees with pROC ${fixture.proc} (R ${fixture.r}) to 1e-9`, () => {
  fixture.cases.forEach((c) => it(c.label, () => checkCase(c)));

  it("reproduces pROC's published aSAH results from the data file", () => {
    const asah = readAsah();
    expect(asah.outcome.length).toBe(113);
    expect(asah.outcome.filter((o) => o === 1).length).toBe(41);
    const t = deLongPairedTest(asah.outcome, asah.wfns, asah.s100b);
    // roc.test(aSAH$outcome, aSAH$wfns, aSAH$s100b): Z = 2.209, p-value = 0.02718
    close('aSAH published', t.z, 2.20898359144091, 1e-12);
    close('aSAH published', t.p, 0.0271757822291882, 1e-12);
    const ndka = deLongCi(asah.outcome, asah.ndka);
    // ci.auc(aSAH$outcome, aSAH$ndka): 95% CI: 0.5012-0.7227 (DeLong), AUC 0.612
    expect(ndka.auc.toFixed(5)).toBe('0.61196');
    expect(ndka.lower.toFixed(5)).toBe('0.50124');
    expect(ndka.upper.toFixed(5)).toBe('0.72267');
    close('aSAH ndka', ndka.auc, fixture.asah.ndkaAuc, 1e-12);
    close('aSAH ndka', ndka.lower, fixture.asah.ndkaCi[0], 1e-12);
    close('aSAH ndka', ndka.upper, fixture.asah.ndkaCi[1], 1e-12);
    checkCase(fixture.asah.wfnsVsS100b);
    checkCase(fixture.asah.s100bVsNdka);
  });
});

describe(`McNemar agrees with R's mcnemar.test and binom.test`, () => {
  for (const m of fixture.mcnemar) {
    it(`b = ${m.b}, c = ${m.c}`, () => {
      const r = mcNemar(m.b, m.c);
      close('McNemar statistic', r.statistic, m.statistic, 1e-12);
      close('McNemar p', r.pCorrected, m.p, 1e-12);
      close('McNemar statistic', r.statisticUncorrected, m.statisticUncorrected, 1e-12);
      close('McNemar p', r.pUncorrected, m.pUncorrected, 1e-12);
      close('exact binomial p', r.pExact, m.pExact, 1e-12);
    });
  }
  it('the presidential-approval table (Agresti 2002): 794, 150, 86, 570 gives X² = 17.356 uncorrected', () => {
    expect(mcNemar(150, 86).statisticUncorrected).toBeCloseTo(17.35593220338983, 12);
  });
  it('no discordant pairs: statistic 0, every p = 1, no NaN (R gives NaN here)', () => {
    expect(mcNemar(0, 0)).toMatchObject({ statistic: 0, pCorrected: 1, pUncorrected: 1, pExact: 1 });
  });
});

describe("the exact binomial test agrees with R's binom.test (relative 1e-12)", () => {
  for (const b of fixture.binomial) {
    it(`${b.x} of ${b.n}, p = ${b.prob}`, () => {
      close('binom.test p (relative)', binomialTestTwoSided(b.x, b.n, b.prob), b.p, 1e-12, true);
      close('dbinom (relative)', binomialPmfs(b.n, b.prob)[b.x]!, b.pmf, 1e-12, true);
    });
  }
});

describe('Wilson intervals agree with R prop.test(correct = FALSE)', () => {
  for (const w of fixture.wilson) {
    it(`${w.x} of ${w.n}`, () => {
      const ci = wilsonInterval(w.x, w.n);
      close('Wilson', ci.lower, w.ci[0], 1e-12);
      close('Wilson', ci.upper, w.ci[1], 1e-12);
    });
  }
});

describe('normal and chi-square distributions agree with R (relative 1e-14)', () => {
  it('qnorm', () => fixture.normal.p.forEach((p, i) => close('qnorm (relative)', normalQuantile(p), fixture.normal.qnorm[i]!, 1e-14, true)));
  it('pnorm', () => fixture.normal.z.forEach((z, i) => close('pnorm (relative)', normalCdf(z), fixture.normal.pnorm[i]!, 1e-14, true)));
  it('pchisq(x, 1, lower.tail = FALSE)', () => fixture.normal.chisq.forEach((x, i) => close('pchisq upper (relative)', chiSquare1P(x), fixture.normal.pchisq1Upper[i]!, 1e-14, true)));
  it('(largest differences seen)', () => {
    console.log(`R/pROC parity, largest difference: ${[...worst].map(([k, v]) => `${k} ${v.toExponential(1)}`).join('; ')}`);
  });
});
