import { describe, expect, it } from 'vitest';
import { aggregate, patientScoreAsd, probabilityOfAsd, sigmoid, verdictOf, videoScoreAsd } from '../../../src-main/domain/scoreAggregation.js';

const reference = { kind: 'logit', positiveClass: 'ASD_not', classNames: ['ASD', 'ASD_not'] } as const;

describe('P(ASD) from raw model outputs', () => {
  it("converts the reference's logit of P(ASD_not) to P(ASD) = 1 - sigmoid(logit)", () => {
    expect(probabilityOfAsd(0, reference)).toBe(0.5);
    expect(probabilityOfAsd(2, reference)).toBeCloseTo(1 - 1 / (1 + Math.exp(-2)), 15);
    expect(probabilityOfAsd(2, reference)).toBeCloseTo(0.11920292202211755, 15);
    expect(probabilityOfAsd(-2, reference)).toBeCloseTo(0.8807970779778824, 15);
  });

  it('keeps the score when the output measures ASD, and takes probabilities as they are', () => {
    expect(probabilityOfAsd(2, { kind: 'logit', positiveClass: 'ASD', classNames: ['ASD', 'ASD_not'] })).toBeCloseTo(0.8807970779778824, 15);
    expect(probabilityOfAsd(0.7, { kind: 'probability', positiveClass: 'ASD' })).toBe(0.7);
    expect(probabilityOfAsd(0.7, { kind: 'probability', positiveClass: 'ASD_not', classNames: ['ASD', 'ASD_not'] })).toBeCloseTo(0.3, 15);
  });

  it('refuses outputs it cannot turn into P(ASD)', () => {
    expect(() => probabilityOfAsd(1, { kind: 'logit', positiveClass: 'cat', classNames: ['cat', 'dog'] })).toThrow(/cannot derive P\(ASD\)/);
    expect(() => probabilityOfAsd(Number.NaN, reference)).toThrow(/NaN/);
  });

  it('has a stable sigmoid at the extremes', () => {
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-30)).toBeCloseTo(9.357622968839299e-14, 25);
  });
});

describe('clip -> video -> patient scores and the verdict', () => {
  const clips = [0.2, 0.9, 0.4, 0.6];
  it('aggregates clips by mean (default), median and max', () => {
    expect(videoScoreAsd(clips)).toBeCloseTo(0.525, 15);
    expect(videoScoreAsd(clips, 'median')).toBeCloseTo(0.5, 15);
    expect(videoScoreAsd(clips, 'max')).toBe(0.9);
    expect(aggregate([0.3, 0.1, 0.2], 'median')).toBe(0.2);
    expect(() => aggregate([], 'mean')).toThrow(RangeError);
  });

  it("scores a patient over that patient's videos", () => {
    expect(patientScoreAsd([0.525, 0.25])).toBeCloseTo(0.3875, 15);
    expect(patientScoreAsd([0.525, 0.25, 0.9], 'median')).toBe(0.525);
  });

  it('calls ASD at or above the threshold', () => {
    expect(verdictOf(0.5, 0.5)).toBe('ASD');
    expect(verdictOf(0.4999999, 0.5)).toBe('non-ASD');
    expect(verdictOf(0.3, 0.25)).toBe('ASD');
  });
});
