import { describe, expect, it } from 'vitest';
import { compareRaters } from '../../../../src-main/domain/stats/comparison.js';
import { formatImrmcCsv, formatLongFormatCsv, parseLongFormatCsv, type LongFormatRow } from '../../../../src-main/domain/stats/longFormatCsv.js';
import { deLongCi, deLongPairedTest } from '../../../../src-main/domain/stats/deLong.js';
import { xoshiro128ss } from '../../../../src-main/domain/stats/prng.js';
import { comparisonSchema } from '../../../../src-main/contract/entities.js';
import { formatComparison } from '../../../../src-main/cli/commands/stats.js';

/** Generated ratings (not clinical data): a model and two readers on 40 cases; reader B skips some. */
function generated(): LongFormatRow[] {
  const rng = xoshiro128ss(99);
  const random = () => rng.next();
  const rows: LongFormatRow[] = [];
  for (let c = 0; c < 40; c++) {
    const truth = (c % 5 < 2 ? 1 : 0) as 0 | 1;
    const caseId = `C${String(c + 1).padStart(3, '0')}`;
    rows.push({ reader: 'model', caseId, modality: 'video', score: Math.min(1, Math.max(0, 0.3 + 0.35 * truth + (random() - 0.5) * 0.5)), truth });
    rows.push({ reader: 'dr-a', caseId, modality: 'video', score: Math.round(100 * Math.min(1, Math.max(0, 0.4 + 0.2 * truth + (random() - 0.5) * 0.6))), truth });
    if (c % 7 !== 3) rows.push({ reader: 'dr-b', caseId, modality: 'video', score: Math.round(100 * random()), truth });
  }
  return rows;
}

describe('comparison of model and readers', () => {
  const rows = generated();
  const result = compareRaters(rows, { bootstrapReplicates: 200, seed: 3 });

  it('summarises every rater with DeLong AUROC CIs identical to the direct computation', () => {
    expect(result.raters.map((r) => r.rater)).toEqual(['model', 'dr-a', 'dr-b']);
    const model = rows.filter((r) => r.reader === 'model');
    const direct = deLongCi(model.map((r) => r.truth), model.map((r) => r.score));
    expect(result.raters[0]!.auroc!.estimate).toBe(direct.auc);
    expect(result.raters[0]!.auroc!.lower).toBe(direct.lower);
    expect(result.raters[0]!.isModel).toBe(true);
    // 0..100 confidences are rescaled; calls come from score >= 0.5
    expect(result.raters[1]!.callsFrom).toBe('score threshold');
    expect(result.cases).toBe(40);
    expect(result.positives).toBe(16);
  });

  it('compares pairs on the cases both rated and says so', () => {
    const pair = result.pairs.find((p) => p.a === 'model' && p.b === 'dr-b')!;
    expect(pair.commonCases).toBe(34);
    expect(pair).toMatchObject({ onlyA: 6, onlyB: 0 });
    expect(pair.notes[0]).toContain('34 cases both rated');
    expect(result.notes.join(' ')).toContain("Fleiss' kappa uses the 34 of 40 cases");
    const common = rows.filter((r) => r.reader === 'dr-b').map((r) => r.caseId);
    const m = rows.filter((r) => r.reader === 'model' && common.includes(r.caseId));
    const b = rows.filter((r) => r.reader === 'dr-b');
    expect(pair.deLong!.z).toBeCloseTo(deLongPairedTest(m.map((r) => r.truth), m.map((r) => r.score), b.map((r) => r.score / 100)).z, 12);
  });

  it('never puts NaN or Infinity in its output', () => {
    const text = JSON.stringify(result);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(result.fleiss?.raters).toBe(2);
    expect(result.readerAveragedAuroc?.readers).toBe(2);
  });

  it('reports a one-class rater without an AUROC, with the reason', () => {
    const oneClass = compareRaters([
      { reader: 'r', caseId: 'a', modality: 'm', score: 0.2, truth: 0 },
      { reader: 'r', caseId: 'b', modality: 'm', score: 0.7, truth: 0 },
    ]);
    expect(oneClass.raters[0]!.auroc).toBeNull();
    expect(oneClass.raters[0]!.notes.join(' ')).toContain('AUROC undefined');
    expect(JSON.stringify(oneClass)).not.toMatch(/NaN/);
  });

  it('reports a reader with one positive case without an interval, with the reason', () => {
    const rows: LongFormatRow[] = ['a', 'b', 'c', 'd'].map((caseId, i) => ({ reader: 'r', caseId, modality: 'm', score: i / 4, truth: (i === 3 ? 1 : 0) as 0 | 1 }));
    const c = compareRaters(rows, { bootstrapReplicates: 50 });
    // the AUROC is defined (1: the positive has the highest score); only DeLong's interval is not
    expect(c.raters[0]!.auroc).toEqual({ estimate: 1, lower: null, upper: null, variance: null });
    expect(c.raters[0]!.notes.join(' ')).toMatch(/AUROC interval undefined: DeLong's variance needs at least 2 positive/);
    expect(c.readerAveragedAuroc).toMatchObject({ mean: 1, readers: 1 });
    expect(formatComparison(c)).toContain('1.000 (CI undefined)');
    expect(c.raters[0]!.youden).not.toBeNull();
  });

  it('reports an infinite DeLong z (perfect model vs a reader who gave one score) as no test, with the reason', () => {
    const rows: LongFormatRow[] = [];
    ['a', 'b', 'c', 'd', 'e', 'f'].forEach((caseId, i) => {
      const truth = (i < 3 ? 0 : 1) as 0 | 1;
      rows.push({ reader: 'model', caseId, modality: 'video', score: i / 10, truth });
      rows.push({ reader: 'dr-a', caseId, modality: 'video', score: 50, truth, call: 1 });
    });
    const c = compareRaters(rows, { bootstrapReplicates: 50 });
    const pair = c.pairs[0]!;
    expect(pair.deLong).toBeNull();
    expect(pair.notes.join(' ')).toMatch(/DeLong test undefined: the AUROCs differ/);
    expect(c.raters[1]!.auroc).toMatchObject({ estimate: 0.5, lower: 0.5, upper: 0.5, variance: 0 });
    expect(JSON.stringify(c)).not.toMatch(/NaN|Infinity/);
  });

  it('keeps one rater per reader and modality when the rows hold several modalities', () => {
    const rows: LongFormatRow[] = [];
    for (let i = 0; i < 8; i++) {
      const truth = (i % 2) as 0 | 1;
      rows.push({ reader: 'dr-a', caseId: `c${i}`, modality: 'original', score: 0.2 + 0.5 * truth + i / 100, truth });
      rows.push({ reader: 'dr-a', caseId: `c${i}`, modality: 'person-centred', score: 0.3 + 0.3 * truth, truth });
      rows.push({ reader: 'model-1', caseId: `c${i}`, modality: 'model', score: i / 10, truth });
    }
    const c = compareRaters(rows, { bootstrapReplicates: 50 });
    expect(c.raters.map((r) => r.rater)).toEqual(['dr-a (original)', 'dr-a (person-centred)', 'model-1']);
    expect(c.raters.map((r) => r.isModel)).toEqual([false, false, true]);
    expect(c.fleiss?.raters).toBe(2);
  });

  it('fits the contract: the schema keeps every field the CLI text uses', () => {
    const parsed = comparisonSchema.parse(JSON.parse(JSON.stringify(result)));
    expect(formatComparison(parsed as typeof result)).toBe(formatComparison(result));
    expect(parsed.pairs[0]).toEqual(JSON.parse(JSON.stringify(result.pairs[0])));
  });

  it('refuses scores outside 0..100', () => {
    expect(() => compareRaters([{ reader: 'r', caseId: 'a', modality: 'm', score: 120, truth: 1 }])).toThrow(/score 120; scores are 0..1 or 0..100/);
  });
});

describe('long-format CSV', () => {
  it('round-trips, with quoting', () => {
    const rows: LongFormatRow[] = [
      { reader: 'Dr "A", senior', caseId: 'C001', modality: 'video', score: 0.75, truth: 1, call: 1 },
      { reader: 'model', caseId: 'C001', modality: 'model', score: 0.25, truth: 1, call: 0 },
    ];
    expect(parseLongFormatCsv(formatLongFormatCsv(rows))).toEqual(rows);
  });

  it('writes scores without float artefacts (at most 6 decimals), in both layouts', () => {
    const rows: LongFormatRow[] = [
      { reader: 'dr-a', caseId: 'C1', modality: 'video', score: 0.5 - 0.35, truth: 0, call: 0 },
      { reader: 'model', caseId: 'C1', modality: 'video', score: 0.123456789, truth: 0, call: 0 },
      { reader: 'dr-b', caseId: 'C1', modality: 'video', score: 85, truth: 0, call: 1 },
    ];
    expect(formatLongFormatCsv(rows).split('\n').slice(1, 4)).toEqual(['dr-a,C1,video,0.15,0,0', 'model,C1,video,0.123457,0,0', 'dr-b,C1,video,85,0,1']);
    expect(formatImrmcCsv(rows)).toContain('dr-a,C1,video,0.15\n');
  });

  it("reads and writes iMRMC's layout (truth rows with reader \"truth\"), and CRLF, BOM and blank lines", () => {
    const rows: LongFormatRow[] = [
      { reader: 'dr-a', caseId: 'C1', modality: 'video', score: 80, truth: 1 },
      { reader: 'dr-a', caseId: 'C2', modality: 'video', score: 10, truth: 0 },
      { reader: 'model', caseId: 'C1', modality: 'video', score: 0.9, truth: 1 },
    ];
    const text = formatImrmcCsv(rows);
    expect(text.split('\n').slice(0, 3)).toEqual(['readerID,caseID,modalityID,score', 'truth,C1,truth,1', 'truth,C2,truth,0']);
    expect(parseLongFormatCsv(text)).toEqual(rows);
    expect(parseLongFormatCsv(`\uFEFF${formatLongFormatCsv(rows).replace(/\n/g, '\r\n')}\r\n\r\n`)).toEqual(rows);
  });

  it('keeps spaces inside quotes and drops them outside', () => {
    expect(parseLongFormatCsv('reader , case,modality,score,truth\n" Dr A " , 1 ,m, 0.5 ,1')[0]).toEqual({ reader: ' Dr A ', caseId: '1', modality: 'm', score: 0.5, truth: 1 });
  });

  const bad: Array<[string, string, RegExp]> = [
    ['an empty file', '', /empty/],
    ['a missing column', 'reader,case,score,truth\nA,1,0.5,1', /line 1: the header has no "modality" column/],
    ['a short line', 'reader,case,modality,score,truth\nA,1,m,0.5', /line 2 has 4 fields but the header has 5/],
    ['a score above 100', 'reader,case,modality,score,truth\nA,1,m,101,1', /line 2, column "score": 101 is outside/],
    ['a bad call', 'reader,case,modality,score,truth,call\nA,1,m,0.5,1,maybe', /line 2, column "call": "maybe" is not 0 or 1/],
    ['an unclosed quote', 'reader,case,modality,score,truth\n"A,1,m,0.5,1', /line 2 has an unclosed quote/],
    ['a case without truth (iMRMC layout)', 'readerID,caseID,modalityID,score\ntruth,1,truth,1\nA,1,m,0.5\nA,2,m,0.5', /line 4: case 2 has no truth/],
    ['a non-number score', 'reader,case,modality,score,truth\nA,1,m,high,1', /line 2, column "score": "high" is not a number/],
    ['a bad truth', 'reader,case,modality,score,truth\nA,1,m,0.5,2', /line 2, column "truth": "2" is not 0 or 1/],
    ['a repeated row', 'reader,case,modality,score,truth\nA,1,m,0.5,1\nA,1,m,0.6,1', /line 3 repeats reader A, case 1 from line 2/],
    ['conflicting truths', 'reader,case,modality,score,truth\nA,1,m,0.5,1\nB,1,m,0.6,0', /case 1 has truth 1 in one row and 0 in another/],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses ${what} naming the line and column`, () => {
      expect(() => compareRaters(parseLongFormatCsv(text))).toThrow(message);
    });
  }
});

describe('comparison on awkward generated inputs', () => {
  it('never throws anything but STATS_INVALID and never outputs NaN or Infinity (300 small random studies)', () => {
    const rng = xoshiro128ss(2024);
    for (let trial = 0; trial < 300; trial++) {
      const rows: LongFormatRow[] = [];
      const cases = 1 + rng.below(7);
      const readers = 1 + rng.below(4);
      const truths = Array.from({ length: cases }, () => rng.below(2) as 0 | 1);
      for (let r = 0; r < readers; r++) {
        const scale = rng.below(2) === 0 ? 1 : 100;
        for (let c = 0; c < cases; c++) {
          if (rng.below(4) === 0) continue; // skipped case
          const score = (rng.below(3) === 0 ? 0.5 : rng.below(5) / 4) * scale; // many ties
          const row: LongFormatRow = { reader: r === 0 ? 'model' : `dr-${r}`, caseId: `c${c}`, modality: 'video', score, truth: truths[c]! };
          if (rng.below(2) === 0) row.call = rng.below(2) as 0 | 1;
          rows.push(row);
        }
      }
      if (rows.length === 0) continue;
      try {
        const result = compareRaters(rows, { bootstrapReplicates: 20, seed: trial });
        expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity|null,"lower"/);
      } catch (error) {
        expect((error as { code?: string }).code, String(error)).toBe('STATS_INVALID');
      }
    }
  });
});

/** Two readers with given calls on cases of given truth (generated, not clinical data). */
function twoReaders(truth: readonly (0 | 1)[], callsA: readonly (0 | 1)[], callsB: readonly (0 | 1)[]): LongFormatRow[] {
  return truth.flatMap((t, i) => [
    { reader: 'dr-a', caseId: `c${i}`, modality: 'video', score: callsA[i] ? 0.8 : 0.2, truth: t, call: callsA[i]! },
    { reader: 'dr-b', caseId: `c${i}`, modality: 'video', score: callsB[i] ? 0.7 : 0.3, truth: t, call: callsB[i]! },
  ]);
}

describe('paired comparison: McNemar on correctness, agreement on calls', () => {
  it('counts right-and-wrong, not positive-and-negative, overall and within each class', () => {
    // 10 ASD and 10 non-ASD cases. A is right on 9 ASD and 8 non-ASD; B calls everyone ASD.
    const truth = [...new Array<0 | 1>(10).fill(1), ...new Array<0 | 1>(10).fill(0)];
    const callsA: (0 | 1)[] = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
    const callsB = new Array<0 | 1>(20).fill(1);
    const pair = compareRaters(twoReaders(truth, callsA, callsB), { bootstrapReplicates: 20 }).pairs[0]!;
    // on calls (the old, wrong test) b = A+ B- = 0, c = A- B+ = 9; on correctness A is right
    // and B wrong on the 8 non-ASD A called non-ASD, A wrong and B right on the one ASD A missed
    expect(pair.correctness).toMatchObject({ cases: 20, aCorrect: 17, bCorrect: 10, aRightBWrong: 8, aWrongBRight: 1 });
    expect(pair.correctness.pExact).toBeCloseTo(0.0390625, 14); // binom.test(8, 9): 2 * (1 + 9) / 512
    expect(pair.sensitivity).toMatchObject({ cases: 10, aCorrect: 9, bCorrect: 10, aRightBWrong: 0, aWrongBRight: 1, pExact: 1 });
    expect(pair.specificity).toMatchObject({ cases: 10, aCorrect: 8, bCorrect: 0, aRightBWrong: 8, aWrongBRight: 0 });
    expect(pair.specificity!.pExact).toBeCloseTo(2 / 256, 14);
    expect(pair.agreement!.observedAgreement).toBeCloseTo(11 / 20, 14);
    expect(pair).toMatchObject({ commonPositives: 10, commonNegatives: 10 });
  });

  it('gives no sensitivity comparison, with a note, when the common cases hold no ASD case', () => {
    const pair = compareRaters(twoReaders([0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]), { bootstrapReplicates: 20 }).pairs[0]!;
    expect(pair.sensitivity).toBeNull();
    expect(pair.specificity).toMatchObject({ cases: 4, aRightBWrong: 2, aWrongBRight: 1 });
    expect(pair.notes.join(' ')).toContain('no ASD case among the cases both rated: no McNemar comparison of sensitivity');
  });

  it('reports agreement as undefined, not 0.5, when both gave the same single call to every case', () => {
    const truth: (0 | 1)[] = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0];
    const all = new Array<0 | 1>(10).fill(1);
    const c = compareRaters(twoReaders(truth, all, all), { bootstrapReplicates: 20 });
    const pair = c.pairs[0]!;
    expect(pair.agreement).toBeNull();
    expect(pair.notes.join(' ')).toContain("agreement (Cohen's kappa) undefined: both raters gave the same single call (ASD) to every one of the 10 cases both rated");
    expect(pair.correctness).toMatchObject({ aRightBWrong: 0, aWrongBRight: 0, pExact: 1 });
    expect(c.fleiss).toBeNull();
    expect(c.fleissUnavailable).toMatch(/Fleiss' kappa undefined on the 10 cases every reader rated: .*every rating falls in one category/);
    expect(formatComparison(c)).toMatch(/Fleiss' kappa: not computed\. Fleiss' kappa undefined on the 10 cases/);
  });

  it("says why Fleiss' kappa is missing: one reader and a model", () => {
    const rows: LongFormatRow[] = [0, 1, 0, 1].flatMap((t, i) => [
      { reader: 'model', caseId: `c${i}`, modality: 'video', score: 0.2 + 0.5 * t, truth: t as 0 | 1 },
      { reader: 'dr-a', caseId: `c${i}`, modality: 'video', score: 0.6, truth: t as 0 | 1, call: (i % 2) as 0 | 1 },
    ]);
    const c = compareRaters(rows, { bootstrapReplicates: 20 });
    expect(c.fleissUnavailable).toBe("Fleiss' kappa needs at least two readers; there is one (dr-a) and models are not counted (one model)");
    expect(formatComparison(c)).not.toContain('needs at least two readers.');
  });

  it("says why Fleiss' kappa is missing: no case read by every reader", () => {
    const rows: LongFormatRow[] = [
      { reader: 'dr-a', caseId: 'c1', modality: 'video', score: 0.7, truth: 1 },
      { reader: 'dr-a', caseId: 'c2', modality: 'video', score: 0.2, truth: 0 },
      { reader: 'dr-b', caseId: 'c3', modality: 'video', score: 0.7, truth: 1 },
      { reader: 'dr-b', caseId: 'c4', modality: 'video', score: 0.2, truth: 0 },
    ];
    const c = compareRaters(rows, { bootstrapReplicates: 20 });
    expect(c.fleissUnavailable).toBe("Fleiss' kappa needs cases read by every reader, and none of the 4 cases was read by all 2 readers");
  });

  it('notes how many rows of a reader had no call when it falls back to score >= 0.5', () => {
    const rows: LongFormatRow[] = [0, 1, 2, 3, 4].map((i) => ({ reader: 'dr-a', caseId: `c${i}`, modality: 'video', score: 20 * i, truth: (i % 2) as 0 | 1, ...(i < 3 ? { call: 1 as const } : {}) }));
    const r = compareRaters(rows, { bootstrapReplicates: 20 }).raters[0]!;
    expect(r.callsFrom).toBe('score threshold');
    expect(r.notes).toContain('2 of its 5 rows had no call, so the calls of all its cases come from score >= 0.5 (50 on its 0..100 scale) and the 3 calls given were not used');
    expect(r.confusion).toEqual({ tp: 1, fn: 1, fp: 1, tn: 2 }); // scores 0, 20, 40, 60, 80 (truth 0, 1, 0, 1, 0): called ASD at 60 and 80
  });
});
