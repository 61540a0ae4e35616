import { describe, expect, it } from 'vitest';
import { compareRaters } from '../../../../src-main/domain/stats/comparison.js';
import { formatLongFormatCsv, parseLongFormatCsv, type LongFormatRow } from '../../../../src-main/domain/stats/longFormatCsv.js';
import { deLongCi, deLongPairedTest } from '../../../../src-main/domain/stats/deLong.js';
import { mulberry32 } from '../../../../src-main/domain/studies/seededOrder.js';

/** Generated ratings (not clinical data): a model and two readers on 40 cases; reader B skips some. */
function generated(): LongFormatRow[] {
  const random = mulberry32(99);
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
    expect(pair.notes[0]).toContain('34 cases both rated');
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
});

describe('long-format CSV', () => {
  it('round-trips, with quoting', () => {
    const rows: LongFormatRow[] = [
      { reader: 'Dr "A", senior', caseId: 'C001', modality: 'video', score: 0.75, truth: 1, call: 1 },
      { reader: 'model', caseId: 'C001', modality: 'model', score: 0.25, truth: 1, call: 0 },
    ];
    expect(parseLongFormatCsv(formatLongFormatCsv(rows))).toEqual(rows);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['an empty file', '', /empty/],
    ['a missing column', 'reader,case,score,truth\nA,1,0.5,1', /no "modality" column/],
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
