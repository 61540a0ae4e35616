import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compareRaters } from '../../../../src-main/domain/stats/comparison.js';
import type { CorrectnessMcNemar } from '../../../../src-main/domain/stats/mcNemar.js';
import type { LongFormatRow } from '../../../../src-main/domain/stats/longFormatCsv.js';

/** R's values for one set of paired cases (tools/stats/make_mcnemar_fixtures.R). */
interface RMcNemar {
  cases: number;
  b: number;
  c: number;
  statistic: number;
  p: number;
  statisticUncorrected: number;
  pUncorrected: number;
  pExact: number;
  /** false where R has no value (b + c = 0: mcnemar.test gives NaN, binom.test refuses) and WalkScope's p = 1 is written instead. */
  fromR: boolean;
}
interface RStudy {
  label: string;
  truth: (0 | 1)[];
  callsA: (0 | 1)[];
  callsB: (0 | 1)[];
  scoresA: number[];
  scoresB: number[];
  correctness: RMcNemar;
  sensitivity: RMcNemar;
  specificity: RMcNemar;
  onCalls: RMcNemar;
}
const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../fixtures/stats/mcnemar_correctness.json'), 'utf8')) as { r: string; studies: RStudy[] };

let worst = 0;
function same(what: string, ours: CorrectnessMcNemar | null, r: RMcNemar) {
  expect(ours, what).not.toBeNull();
  const m = ours!;
  expect([m.cases, m.aRightBWrong, m.aWrongBRight], `${what}: cases, b, c`).toEqual([r.cases, r.b, r.c]);
  for (const [name, a, b] of [
    ['statistic', m.statistic, r.statistic],
    ['p (corrected)', m.pCorrected, r.p],
    ['statistic (uncorrected)', m.statisticUncorrected, r.statisticUncorrected],
    ['p (uncorrected)', m.pUncorrected, r.pUncorrected],
    ['p (exact)', m.pExact, r.pExact],
  ] as const) {
    const d = Math.abs(a - b);
    worst = Math.max(worst, d);
    expect(d, `${what} ${name}: ${a} vs R ${b}`).toBeLessThanOrEqual(1e-12);
  }
}

describe(`compareRaters' McNemar on correctness agrees with R ${fixture.r} mcnemar.test and binom.test to 1e-12 (generated studies, not clinical data)`, () => {
  for (const s of fixture.studies) {
    it(s.label, () => {
      const rows: LongFormatRow[] = s.truth.flatMap((truth, i) => [
        { reader: 'dr-a', caseId: `c${i}`, modality: 'video', score: s.scoresA[i]!, truth, call: s.callsA[i]! },
        { reader: 'dr-b', caseId: `c${i}`, modality: 'video', score: s.scoresB[i]!, truth, call: s.callsB[i]! },
      ]);
      const pair = compareRaters(rows, { bootstrapReplicates: 10 }).pairs[0]!;
      expect([pair.a, pair.b]).toEqual(['dr-a', 'dr-b']);
      same('correctness', pair.correctness, s.correctness);
      same('sensitivity', pair.sensitivity, s.sensitivity);
      same('specificity', pair.specificity, s.specificity);
    });
  }

  it('answers a different question than McNemar on the calls: the generated studies show both differing', () => {
    const differ = fixture.studies.filter((s) => s.onCalls.b !== s.correctness.b || s.onCalls.c !== s.correctness.c);
    expect(differ.length).toBeGreaterThan(fixture.studies.length / 2);
    // e.g. one where the calls test is significant and the correctness test is not, or the reverse
    expect(fixture.studies.some((s) => (s.onCalls.pExact < 0.05) !== (s.correctness.pExact < 0.05))).toBe(true);
  });

  it('(largest difference seen)', () => {
    console.log(`McNemar on correctness vs R, largest |difference|: ${worst.toExponential(1)} over ${fixture.studies.length} studies`);
  });
});
