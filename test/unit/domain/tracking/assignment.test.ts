import { describe, expect, it } from 'vitest';
import { solveAssignment } from '../../../../src-main/domain/tracking/assignment.js';
import { noise } from '../../../helpers/syntheticDetections.js';

/** Best total cost by trying every partial matching (rows to distinct columns or unmatched). */
function bruteForce(cost: number[][], maxCost: number): number {
  const rows = cost.length;
  const cols = cost[0]?.length ?? 0;
  let best = Number.POSITIVE_INFINITY;
  const used = new Array<boolean>(cols).fill(false);
  const walk = (r: number, total: number, matched: number): void => {
    if (r === rows) {
      // every row or column left unmatched costs maxCost, as in the solver's model
      best = Math.min(best, total + (rows - matched + cols - matched) * maxCost);
      return;
    }
    walk(r + 1, total, matched);
    for (let c = 0; c < cols; c++) {
      if (used[c] || cost[r]![c]! > maxCost) continue;
      used[c] = true;
      walk(r + 1, total + cost[r]![c]!, matched + 1);
      used[c] = false;
    }
  };
  walk(0, 0, 0);
  return best;
}

describe('solveAssignment (Hungarian method)', () => {
  it('finds the optimum where greedy fails', () => {
    // greedy takes (0,0)=1 first and is left with (1,1)=10; the optimum is 2 + 3
    const cost = [
      [1, 2],
      [3, 10],
    ];
    expect(solveAssignment(cost).sort((a, b) => a.row - b.row)).toEqual([
      { row: 0, col: 1, cost: 2 },
      { row: 1, col: 0, cost: 3 },
    ]);
  });

  it('refuses pairs above maxCost and handles rectangular matrices', () => {
    expect(solveAssignment([[0.9, 0.2, 0.95]], 0.8)).toEqual([{ row: 0, col: 1, cost: 0.2 }]);
    expect(solveAssignment([[0.9], [0.95]], 0.8)).toEqual([]);
    expect(solveAssignment([], 1)).toEqual([]);
    expect(solveAssignment([[0.1], [0.05], [Number.NaN]], 1)).toEqual([{ row: 1, col: 0, cost: 0.05 }]);
  });

  it('matches brute force on 300 random problems up to 5 x 6', () => {
    const rnd = noise(7);
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + Math.floor(((rnd() + 1) / 2) * 5);
      const cols = 1 + Math.floor(((rnd() + 1) / 2) * 6);
      const cost = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rnd() + 1) / 2));
      const maxCost = 0.75;
      const result = solveAssignment(cost, maxCost);
      const total = result.reduce((s, m) => s + m.cost, 0) + (rows - result.length + cols - result.length) * maxCost;
      expect(total).toBeCloseTo(bruteForce(cost, maxCost), 9);
      expect(new Set(result.map((m) => m.col)).size).toBe(result.length);
      expect(result.every((m) => m.cost <= maxCost)).toBe(true);
    }
  });
});
