import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stratifiedGroupKFold } from '../../../../src-main/domain/folds/stratifiedGroupKFold.js';

const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../fixtures/stats/sklearn_cases.json'), 'utf8')) as {
  sklearn: string;
  folds: Array<{ labels: number[]; groups: number[]; folds: number; foldOfSample: number[] }>;
};

describe(`stratified group k-fold equals scikit-learn ${fixture.sklearn} StratifiedGroupKFold (shuffle=False)`, () => {
  fixture.folds.forEach((c, i) => {
    it(`case ${i + 1}: ${new Set(c.groups).size} patients, ${c.labels.length} videos, k=${c.folds}`, () => {
      expect(stratifiedGroupKFold(c.labels, c.groups, c.folds).foldOfSample).toEqual(c.foldOfSample);
    });
  });
});

describe('stratified group k-fold guarantees', () => {
  const labels: number[] = [];
  const groups: string[] = [];
  for (let p = 0; p < 81; p++) for (let v = 0; v < 1 + (p % 3); v++) {
    labels.push(p % 5 < 2 ? 1 : 0);
    groups.push(`P${String(p).padStart(3, '0')}`);
  }

  it('never splits a patient across folds, and is reproducible with a seed', () => {
    const a = stratifiedGroupKFold(labels, groups, 5, 42);
    const foldOfPatient = new Map<string, number>();
    groups.forEach((g, i) => {
      const f = a.foldOfSample[i]!;
      expect(foldOfPatient.get(g) ?? f).toBe(f);
      foldOfPatient.set(g, f);
    });
    expect(stratifiedGroupKFold(labels, groups, 5, 42).foldOfSample).toEqual(a.foldOfSample);
    expect(stratifiedGroupKFold(labels, groups, 5, 43).foldOfSample).not.toEqual(a.foldOfSample);
    // class balance: each fold's positive share is within 10 points of the overall share
    const overall = labels.filter((l) => l === 1).length / labels.length;
    for (const counts of a.classCounts) expect(Math.abs(counts[1]! / (counts[0]! + counts[1]!) - overall)).toBeLessThan(0.1);
  });

  it('refuses fewer patients than folds with a sentence', () => {
    expect(() => stratifiedGroupKFold([0, 1, 0, 1], ['a', 'a', 'b', 'b'], 5)).toThrow(/5 folds need at least 5/);
  });
});
