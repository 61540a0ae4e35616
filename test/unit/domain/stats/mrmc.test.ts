import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isAppError } from '../../../../src-main/contract/errors.js';
import { mrmcResultSchema } from '../../../../src-main/contract/mrmc.js';
import { parseLongFormatCsv } from '../../../../src-main/domain/stats/longFormatCsv.js';
import { mrmcAnalysis, type MrmcRating } from '../../../../src-main/domain/stats/mrmc.js';
import { aggregateByPatient } from '../../../../src-main/domain/studies/patientUnits.js';

const dir = resolve(import.meta.dirname, '../../../fixtures/stats');
const vanDyke = parseLongFormatCsv(readFileSync(resolve(dir, 'vandyke.csv'), 'utf8'));
const fixture = JSON.parse(readFileSync(resolve(dir, 'mrmc_fixtures.json'), 'utf8')) as {
  vandyke: { modalities: string[]; readers: string[]; aucs: number[]; deLong: number[][]; jackknife: number[][] };
  threeModalities: Record<'varError' | 'cov1' | 'cov2' | 'cov3' | 'msT' | 'msR' | 'msTR' | 'f' | 'ddf' | 'p' | 'stdErr' | 'tCritical' | 'chiSquare' | 'pChiSquare' | 'stdErrFixedReaders' | 'fFixedCases' | 'pFixedCases', number> & { aucs: number[][] };
};

/** The STATS_INVALID sentence of what `run` throws. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isAppError(error) && error.code === 'STATS_INVALID') return error.detail ?? '';
    throw error;
  }
  throw new Error('expected a STATS_INVALID refusal');
}

const maxAbsDifference = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((x, j) => Math.abs(x - b[i]![j]!))));

describe('MRMC on the Van Dyke data against OR-DBM MRMC 2.5 (published values, ../shared/reference/mrmc/README.md)', () => {
  const result = mrmcAnalysis(vanDyke);
  const primary = result.randomReadersRandomCases!;
  const fixedReaders = result.fixedReadersRandomCases!;

  it('reads the fully crossed design: 2 modalities, 5 readers, 114 cases (45 diseased)', () => {
    expect(result).toMatchObject({ covariance: 'jackknife', level: 0.95, modalities: ['0', '1'], readers: ['R0', 'R1', 'R2', 'R3', 'R4'], cases: 114, positives: 45, negatives: 69, notes: [] });
  });

  it('reader AUCs and reader-averaged AUCs', () => {
    const published = [
      [0.91964573, 0.85877617, 0.90386473, 0.97310789, 0.82979066],
      [0.94782609, 0.90531401, 0.92173913, 0.99935588, 0.92995169],
    ];
    result.aucs.forEach((row, i) => row.forEach((auc, j) => expect(auc).toBeCloseTo(published[i]![j]!, 8)));
    expect(result.singleModality[0]!.auc).toBeCloseTo(0.89703704, 8);
    expect(result.singleModality[1]!.auc).toBeCloseTo(0.94083736, 8);
    expect(primary.differences[0]!).toMatchObject({ modalityA: '0', modalityB: '1' });
    expect(primary.differences[0]!.difference).toBeCloseTo(-0.04380032, 8);
  });

  it('ANOVA mean squares and OR covariances', () => {
    expect(result.anova.msT).toBeCloseTo(0.00479617, 8);
    expect(result.anova.msR).toBeCloseTo(0.0038362, 8);
    expect(result.anova.msTR).toBeCloseTo(0.00055103, 8);
    expect(result.covariances.varError).toBeCloseTo(0.00080229, 8);
    expect(result.covariances.cov1).toBeCloseTo(0.00034661, 8);
    expect(result.covariances.cov2).toBeCloseTo(0.00034407, 8);
    expect(result.covariances.cov3).toBeCloseTo(0.00023903, 8);
  });

  it('random readers, random cases: F = 4.46 on (1, 15.26), p = 0.0517, StdErr 0.02075, CI (-0.08796, 0.00036)', () => {
    expect(primary.f).toBeCloseTo(4.46, 2);
    expect(primary.ndf).toBe(1);
    expect(primary.ddf).toBeCloseTo(15.26, 2);
    expect(primary.p).toBeCloseTo(0.0517, 4);
    const d = primary.differences[0]!;
    expect(d.stdErr).toBeCloseTo(0.02075, 5);
    expect(d.lower).toBeCloseTo(-0.08796, 5);
    expect(d.upper).toBeCloseTo(0.00036, 5);
    expect(d.df).toBe(primary.ddf);
    expect(d.p).toBeCloseTo(primary.p, 12); // with two modalities, t^2 = F
    expect(d.statistic! ** 2).toBeCloseTo(primary.f, 10);
  });

  it('fixed readers, random cases: X2 = 5.47595 (1 df), p = 0.0193, StdErr 0.01872, CI (-0.08049, -0.00711)', () => {
    expect(fixedReaders.chiSquare).toBeCloseTo(5.47595, 5);
    expect(fixedReaders.df).toBe(1);
    expect(fixedReaders.p).toBeCloseTo(0.0193, 4);
    const d = fixedReaders.differences[0]!;
    expect(d.stdErr).toBeCloseTo(0.01872, 5);
    expect(d.lower).toBeCloseTo(-0.08049, 5);
    expect(d.upper).toBeCloseTo(-0.00711, 5);
    expect(d.df).toBeNull();
  });

  it('random readers, fixed cases: F = MS(T) / MS(T*R) on (1, 4)', () => {
    const fixedCases = result.randomReadersFixedCases!;
    expect(fixedCases.f).toBeCloseTo(0.00479617053166021 / 0.0005510306217440489, 10);
    expect(fixedCases).toMatchObject({ ndf: 1, ddf: 4 });
    expect(fixedCases.differences[0]!.stdErr).toBeCloseTo(Math.sqrt((2 * 0.0005510306217440489) / 5), 12);
  });

  it('single modality, random readers: StdErr, df and CI of each reader-averaged AUC', () => {
    const published = [
      { stdErr: 0.0331736, df: 12.74, lower: 0.8252236, upper: 0.96885048 },
      { stdErr: 0.02156637, df: 12.71, lower: 0.89413783, upper: 0.98753689 },
    ];
    result.singleModality.forEach((m, i) => {
      const rrrc = m.randomReadersRandomCases!;
      expect(rrrc.stdErr).toBeCloseTo(published[i]!.stdErr, 8);
      expect(rrrc.df).toBeCloseTo(published[i]!.df, 2);
      expect(rrrc.lower).toBeCloseTo(published[i]!.lower, 8);
      expect(rrrc.upper).toBeCloseTo(published[i]!.upper, 8);
    });
  });

  it('single reader differences (fixed cases) and their standard errors', () => {
    const published = [
      [-0.02818, 0.02551],
      [-0.04654, 0.0263],
      [-0.01787, 0.03121],
      [-0.02625, 0.01729],
      [-0.10016, 0.04406],
    ];
    expect(result.singleReader.map((s) => s.reader)).toEqual(result.readers);
    result.singleReader.forEach((s, j) => {
      expect(s.differences).toHaveLength(1);
      expect(s.differences[0]!.difference).toBeCloseTo(published[j]![0]!, 5);
      expect(s.differences[0]!.stdErr).toBeCloseTo(published[j]![1]!, 5);
    });
  });

  it('is plain data that the contract schema accepts (no NaN, no Infinity)', () => {
    expect(mrmcResultSchema.parse(result)).toEqual(result); // zod's number() refuses NaN and Infinity
  });
});

describe('the covariances of the AUC estimates against R (tools/stats/make_mrmc_fixtures.R)', () => {
  const keysOf = (r: ReturnType<typeof mrmcAnalysis>) => r.covarianceMatrix.keys.map((k) => `${k.modality}/${k.reader}`);
  const fixtureKeys = fixture.vandyke.modalities.map((m, i) => `${m}/${fixture.vandyke.readers[i]}`);

  it("DeLong: every variance and covariance equals pROC's var(roc) and cov(roc1, roc2) to 1e-10", () => {
    const result = mrmcAnalysis(vanDyke, { covariance: 'deLong' });
    expect(result.covariance).toBe('deLong');
    expect(keysOf(result)).toEqual(fixtureKeys);
    expect(result.aucs.flat()).toEqual(fixture.vandyke.aucs.map((x) => expect.closeTo(x, 12)));
    expect(maxAbsDifference(result.covarianceMatrix.values, fixture.vandyke.deLong)).toBeLessThan(1e-10);
    expect(mrmcResultSchema.safeParse(result).success).toBe(true);
  });

  it('jackknife: the leave-one-out shortcut equals recomputing every AUC without each case (pROC), to 1e-12', () => {
    const result = mrmcAnalysis(vanDyke);
    expect(keysOf(result)).toEqual(fixtureKeys);
    expect(maxAbsDifference(result.covarianceMatrix.values, fixture.vandyke.jackknife)).toBeLessThan(1e-12);
  });

  it('three modalities: F on 2 df, X2 = (t-1) MS(T) / ..., and three pairwise differences, as the OR formulas written in R', () => {
    const rows = parseLongFormatCsv(readFileSync(resolve(dir, 'vandyke_three_modalities.csv'), 'utf8'));
    const result = mrmcAnalysis(rows);
    const e = fixture.threeModalities;
    expect(result.modalities).toEqual(['0', '1', 'mean']);
    expect(maxAbsDifference(result.aucs, e.aucs)).toBeLessThan(1e-12);
    const close = (actual: number | null | undefined, expected: number) => expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(expected)));
    close(result.covariances.varError, e.varError);
    close(result.covariances.cov1, e.cov1);
    close(result.covariances.cov2, e.cov2);
    close(result.covariances.cov3, e.cov3);
    close(result.anova.msT, e.msT);
    close(result.anova.msR, e.msR);
    close(result.anova.msTR, e.msTR);
    const primary = result.randomReadersRandomCases!;
    expect(primary.ndf).toBe(2);
    close(primary.f, e.f);
    close(primary.ddf, e.ddf);
    close(primary.p, e.p);
    expect(primary.differences.map((d) => `${d.modalityA}-${d.modalityB}`)).toEqual(['0-1', '0-mean', '1-mean']);
    for (const d of primary.differences) {
      close(d.stdErr, e.stdErr);
      close(d.upper - d.difference, e.tCritical * e.stdErr);
    }
    const fixedReaders = result.fixedReadersRandomCases!;
    expect(fixedReaders.df).toBe(2);
    close(fixedReaders.chiSquare, e.chiSquare);
    close(fixedReaders.p, e.pChiSquare);
    close(fixedReaders.differences[0]!.stdErr, e.stdErrFixedReaders);
    close(result.randomReadersFixedCases!.f, e.fFixedCases);
    close(result.randomReadersFixedCases!.p, e.pFixedCases);
    expect(result.singleReader[0]!.differences).toHaveLength(3);
  });
});

describe('MRMC refusals and undefined parts', () => {
  it('names the reader, modality and cases missing from an incomplete design', () => {
    const withoutSome = vanDyke.filter((r) => !(r.reader === 'R2' && r.modality === '1' && (r.caseId === 'C003' || r.caseId === 'C010')));
    expect(refusal(() => mrmcAnalysis(withoutSome))).toBe(
      'the design is not fully crossed (MRMC needs every reader to score every case in every modality): reader R2 in modality 1 has no score for 2 of 114 cases (C003, C010)',
    );
    const readerAbsent = vanDyke.filter((r) => !(r.reader === 'R4' && r.modality === '0'));
    expect(refusal(() => mrmcAnalysis(readerAbsent))).toContain('reader R4 has no scores in modality 0');
    const repeated = [...vanDyke, vanDyke[0]!];
    expect(refusal(() => mrmcAnalysis(repeated))).toBe('reader R0 scored case C001 twice in modality 0');
  });

  it('refuses constant truth, too few cases of a class, conflicting truths, no rows and a wrong level', () => {
    const allDiseased = vanDyke.map((r) => ({ ...r, truth: 1 as const }));
    expect(refusal(() => mrmcAnalysis(allDiseased))).toBe('every case has truth 1, so no AUC can be computed; MRMC needs cases with and without disease');
    const positiveIds = new Set(vanDyke.filter((r) => r.truth === 1).map((r) => r.caseId));
    const keep = [...positiveIds][0]!;
    const onePositive = vanDyke.filter((r) => r.truth === 0 || r.caseId === keep);
    expect(refusal(() => mrmcAnalysis(onePositive))).toBe('the covariances of the AUCs need at least 2 cases with disease and 2 without (there are 1 and 69)');
    const conflicting = vanDyke.map((r, i) => (i === 0 ? { ...r, truth: 1 as const } : r));
    expect(refusal(() => mrmcAnalysis(conflicting))).toContain('case C001 has truth 1 in one row and 0 in another');
    expect(refusal(() => mrmcAnalysis([]))).toBe('MRMC needs ratings, but there are none');
    expect(refusal(() => mrmcAnalysis(vanDyke, { level: 95 }))).toContain('between 0 and 1');
  });

  it('one reader: the random-reader analyses are null with a note; fixed readers and the single-reader difference remain', () => {
    const result = mrmcAnalysis(vanDyke.filter((r) => r.reader === 'R0'));
    expect(result.randomReadersRandomCases).toBeNull();
    expect(result.randomReadersFixedCases).toBeNull();
    expect(result.anova).toEqual({ msT: expect.any(Number), msR: null, msTR: null });
    expect(result.covariances.cov2).toBeNull();
    expect(result.covariances.cov3).toBeNull();
    expect(result.singleModality[0]!.randomReadersRandomCases).toBeNull();
    expect(result.notes).toEqual(['there is one reader, so reader variability cannot be estimated: the random-reader analyses are not computed (fixed readers and the single-reader differences are)']);
    // fixed readers with one reader is that reader's own test
    const own = result.singleReader[0]!.differences[0]!;
    expect(result.fixedReadersRandomCases!.differences[0]!.stdErr).toBeCloseTo(own.stdErr, 12);
    expect(result.fixedReadersRandomCases!.p).toBeCloseTo(own.p!, 12);
    expect(mrmcResultSchema.safeParse(result).success).toBe(true);
  });

  it('one modality: no comparison, only the reader-averaged AUC with its interval', () => {
    const result = mrmcAnalysis(vanDyke.filter((r) => r.modality === '1'));
    expect(result.randomReadersRandomCases).toBeNull();
    expect(result.fixedReadersRandomCases).toBeNull();
    expect(result.randomReadersFixedCases).toBeNull();
    expect(result.covariances.cov1).toBeNull();
    expect(result.singleReader.every((s) => s.differences.length === 0)).toBe(true);
    expect(result.singleModality[0]!.randomReadersRandomCases!.stdErr).toBeCloseTo(0.02156637, 8);
    expect(result.notes).toEqual(['there is one modality, so there is nothing to compare: only its reader-averaged AUC is reported']);
    expect(mrmcResultSchema.safeParse(result).success).toBe(true);
  });

  it('identical modalities: F is 0/0, so the tests are null with notes and nothing is NaN', () => {
    const twin = [...vanDyke.filter((r) => r.modality === '0'), ...vanDyke.filter((r) => r.modality === '0').map((r) => ({ ...r, modality: 'copy' }))];
    const result = mrmcAnalysis(twin);
    expect(result.randomReadersRandomCases).toBeNull();
    expect(result.fixedReadersRandomCases).toBeNull();
    expect(result.randomReadersFixedCases).toBeNull();
    expect(result.singleReader[0]!.differences[0]).toMatchObject({ difference: 0, stdErr: 0, statistic: 0, p: 1 });
    expect(result.notes).toEqual([
      'random readers and cases: MS(T*R) + r max(Cov2 - Cov3, 0) is 0 (the modality differences vary neither between readers nor over cases, as with identical modalities), so F is not defined',
      'fixed readers: Var - Cov1 + (r-1) max(Cov2 - Cov3, 0) is not positive (the modality differences do not vary over cases), so the chi-square statistic is not defined',
      'fixed cases: MS(T*R) is 0 (every reader shows the same difference between modalities), so F is not defined',
    ]);
    expect(mrmcResultSchema.safeParse(result).success).toBe(true);
  });
});

describe('MRMC on patients: cases averaged per unit (domain/studies/patientUnits.ts)', () => {
  it('keeps a crossed design crossed: Van Dyke cases paired within each class give 35 + 23 units and an analysis', () => {
    const rank = new Map<string, number>();
    const seen = [0, 0];
    for (const r of vanDyke) if (!rank.has(r.caseId)) rank.set(r.caseId, seen[r.truth]!++);
    const unitOf = new Map([...rank].map(([caseId, k]) => [caseId, `${vanDyke.find((r) => r.caseId === caseId)!.truth}-${Math.floor(k / 2)}`]));
    const out = aggregateByPatient(vanDyke, unitOf);
    expect(new Set(out.map((r) => r.caseId)).size).toBe(58);
    const result = mrmcAnalysis(out);
    expect(result).toMatchObject({ cases: 58, positives: 23, negatives: 35 });
  });
});
