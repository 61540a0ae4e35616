import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stratifiedGroupKFold } from '../../../../src-main/domain/folds/stratifiedGroupKFold.js';

interface FoldCase {
  label: string;
  labels: number[];
  groups: number[];
  folds: number;
  noShuffle: number[];
  shuffled: Array<{ seed: number; foldOfSample: number[] }>;
  grouped: Array<{ seed: number; foldOfSample: number[] }>;
}
const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../fixtures/stats/sklearn_folds.json'), 'utf8')) as { sklearn: string; numpy: string; folds: FoldCase[] };

describe(`stratified group k-fold equals scikit-learn ${fixture.sklearn} StratifiedGroupKFold (numpy ${fixture.numpy})`, () => {
  fixture.folds.forEach((c) => {
    describe(`${c.label}: ${new Set(c.groups).size} patients, ${c.labels.length} videos`, () => {
      it('shuffle=False', () => {
        expect(stratifiedGroupKFold(c.labels, c.groups, c.folds).foldOfSample).toEqual(c.noShuffle);
      });
      it(`shuffle=True, random_state ${c.shuffled.map((s) => s.seed).join(', ')} (bug-for-bug sklearn 1.2.1)`, () => {
        for (const s of c.shuffled) {
          expect(stratifiedGroupKFold(c.labels, c.groups, c.folds, { seed: s.seed, shuffle: 'sklearn-1.2.1' }).foldOfSample, `seed ${s.seed}`).toEqual(s.foldOfSample);
        }
      });
      it('shuffle with groups kept with their counts (the corrected algorithm, emulated in Python with the same RandomState)', () => {
        for (const s of c.grouped) {
          expect(stratifiedGroupKFold(c.labels, c.groups, c.folds, s.seed).foldOfSample, `seed ${s.seed}`).toEqual(s.foldOfSample);
        }
      });
    });
  });
});

describe('stratified group k-fold guarantees', () => {
  const labels: number[] = [];
  const groups: string[] = [];
  for (let p = 0; p < 81; p++) {
    for (let v = 0; v < 1 + (p % 3); v++) {
      labels.push(p % 5 < 2 ? 1 : 0);
      groups.push(`P${String(p).padStart(3, '0')}`);
    }
  }

  for (const shuffle of ['grouped', 'sklearn-1.2.1'] as const) {
    it(`never splits a patient across folds and is reproducible (${shuffle})`, () => {
      const a = stratifiedGroupKFold(labels, groups, 5, { seed: 42, shuffle });
      const foldOfPatient = new Map<string, number>();
      groups.forEach((g, i) => {
        const f = a.foldOfSample[i]!;
        expect(foldOfPatient.get(g) ?? f).toBe(f);
        foldOfPatient.set(g, f);
      });
      expect(a.groupsPerFold.reduce((s, v) => s + v, 0)).toBe(81);
      expect(a.classCounts.flat().reduce((s, v) => s + v, 0)).toBe(labels.length);
      expect(stratifiedGroupKFold(labels, groups, 5, { seed: 42, shuffle }).foldOfSample).toEqual(a.foldOfSample);
      expect(stratifiedGroupKFold(labels, groups, 5, { seed: 43, shuffle }).foldOfSample).not.toEqual(a.foldOfSample);
    });
  }

  it('keeps the class balance when shuffled the corrected way', () => {
    const overall = labels.filter((l) => l === 1).length / labels.length;
    for (const seed of [0, 1, 2, 3, 42]) {
      const a = stratifiedGroupKFold(labels, groups, 5, seed);
      expect(a.shuffle).toBe('grouped');
      for (const counts of a.classCounts) expect(Math.abs(counts[1]! / (counts[0]! + counts[1]!) - overall)).toBeLessThan(0.06);
    }
  });

  it('refuses fewer patients than folds, too few cases, a bad fold count or seed, with a sentence', () => {
    expect(() => stratifiedGroupKFold([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], ['a', 'a', 'b', 'b', 'c', 'c', 'a', 'b', 'c', 'c'], 5)).toThrow(/5 folds need at least 5 patients, but there are 3/);
    expect(() => stratifiedGroupKFold([0, 1, 0, 1, 0, 1], ['a', 'b', 'c', 'd', 'e', 'f'], 5)).toThrow(/at least 5 cases in some class/);
    expect(() => stratifiedGroupKFold([0, 1], ['a', 'b'], 3)).toThrow(/at least 3 cases/);
    expect(() => stratifiedGroupKFold([0, 1, 0], ['a', 'b', 'c'], 1)).toThrow(/2 or more/);
    expect(() => stratifiedGroupKFold([0, 1, 0], ['a', 'b'], 2)).toThrow(/label and a patient/);
    expect(() => stratifiedGroupKFold([0, 1, 0, 1, 0, 1], ['a', 'b', 'c', 'd', 'e', 'f'], 2, -1)).toThrow(/0 to 4294967295/);
    try {
      stratifiedGroupKFold([0, 1, 0, 1], ['a', 'a', 'b', 'b'], 3);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('STUDY_INVALID');
    }
  });
});
