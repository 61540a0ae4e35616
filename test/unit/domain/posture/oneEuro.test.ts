import { describe, expect, it } from 'vitest';
import { oneEuro } from '../../../../src-main/domain/posture/oneEuro.js';

const p = { minCutoff: 1, beta: 0, dCutoff: 1 };

describe('One Euro filter', () => {
  it('passes the first sample and then low-passes with alpha = 1 / (1 + 30 / 2 pi) at 1 Hz, 30 fps', () => {
    const a = 1 / (1 + 30 / (2 * Math.PI));
    const out = oneEuro([0, 1, 1], 30, p);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(a, 15);
    expect(out[2]).toBeCloseTo(a + (1 - a) * a, 15);
  });
  it('keeps a constant', () => {
    expect(oneEuro([2, 2, 2, 2], 30, { minCutoff: 1, beta: 0.5, dCutoff: 1 })).toEqual([2, 2, 2, 2]);
  });
  it('a gap stays a gap and the filter starts afresh after it', () => {
    expect(oneEuro([0, 0, null, 5, 5], 30, p)).toEqual([0, 0, null, 5, 5]);
  });
  it('speed raises the cutoff: with beta the output follows a jump further', () => {
    const slow = oneEuro([0, 1], 30, p)[1]!;
    const fast = oneEuro([0, 1], 30, { ...p, beta: 1 })[1]!;
    expect(fast).toBeGreaterThan(slow);
  });
  it('refuses a zero rate', () => {
    expect(() => oneEuro([1], 0, p)).toThrow('the One Euro filter needs a positive rate, not 0');
  });
});
