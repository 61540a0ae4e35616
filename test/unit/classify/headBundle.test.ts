import { describe, expect, it } from 'vitest';
import { foldHead, type LinearHead } from '../../../src-main/classify/headBundle.js';

describe('foldHead folds the standardisation into one linear map', () => {
  it('gives w_j = coef_j / scale_j and b = intercept - sum coef_j mean_j / scale_j on a hand example', () => {
    // logit = 3 + 4 (x0 - 1) / 2 + 1 (x1 + 2) / 0.5 = 2 x0 + 2 x1 + (3 - 2 + 4)
    const head: LinearHead = { mean: [1, -2], scale: [2, 0.5], coefficients: [4, 1], intercept: 3 };
    const { weights, bias } = foldHead(head);
    expect([...weights]).toEqual([2, 2]);
    expect(bias).toBe(5);
    // the folded map gives the standardised head's logit
    const x = [0.5, 7];
    expect(weights[0]! * x[0]! + weights[1]! * x[1]! + bias).toBe(3 + (4 * (0.5 - 1)) / 2 + (1 * (7 + 2)) / 0.5);
  });

  it('computes the bias in float64 and rounds only the weights to float32', () => {
    const { weights, bias } = foldHead({ mean: [0.1], scale: [3], coefficients: [1], intercept: 0 });
    expect(weights[0]).toBe(Math.fround(1 / 3));
    expect(bias).toBe(-(1 / 3) * 0.1);
  });

  it('refuses lengths that differ and a zero or non-finite scale', () => {
    expect(() => foldHead({ mean: [0, 0], scale: [1], coefficients: [1, 1], intercept: 0 })).toThrow('the head has 2 coefficients, 2 means and 1 scales: they must be as many');
    expect(() => foldHead({ mean: [0], scale: [0], coefficients: [1], intercept: 0 })).toThrow("the head's scale 0 is 0, not a finite non-zero number");
    expect(() => foldHead({ mean: [0], scale: [Number.NaN], coefficients: [1], intercept: 0 })).toThrow(RangeError);
  });
});
