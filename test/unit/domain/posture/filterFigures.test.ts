import { describe, expect, it } from 'vitest';
import { measureFilter } from '../../../../src-main/domain/posture/filterFigures.js';
import { oneEuro } from '../../../../src-main/domain/posture/oneEuro.js';
import { savitzkyGolay } from '../../../../src-main/domain/posture/savitzkyGolay.js';

// the table in keypointFilter.ts's header: the same seeded signals give the same figures
describe("the filters' jitter and lag on seeded synthetic signals (seed 1)", () => {
  it('no filter', () => {
    expect(measureFilter((v) => [...v])).toEqual({ jitterConstant: 0.014, jitterSine: 0.0144, sineGain: 1.0052, sineLagFrames: -0.0129, stepLagFrames: 0, rampLagFrames: 0 });
  });
  it('One Euro, minCutoff 1, beta 0: smooth when still, but lags and loses a third of the swing', () => {
    expect(measureFilter((v) => oneEuro(v, 30, { minCutoff: 1, beta: 0, dCutoff: 1 }))).toEqual({
      jitterConstant: 0.0018, jitterSine: 0.0299, sineGain: 0.6769, sineLagFrames: 3.4824, stepLagFrames: 3.1667, rampLagFrames: 4.7746,
    });
  });
  it('One Euro, minCutoff 1, beta 1', () => {
    expect(measureFilter((v) => oneEuro(v, 30, { minCutoff: 1, beta: 1, dCutoff: 1 }))).toEqual({
      jitterConstant: 0.002, jitterSine: 0.0204, sineGain: 0.8929, sineLagFrames: 2.1575, stepLagFrames: 0.3854, rampLagFrames: 2.3873,
    });
  });
  it('One Euro, minCutoff 1.5, beta 3: the swing kept, a frame of lag, moving jitter at the raw level', () => {
    expect(measureFilter((v) => oneEuro(v, 30, { minCutoff: 1.5, beta: 3, dCutoff: 1 }))).toEqual({
      jitterConstant: 0.0029, jitterSine: 0.0136, sineGain: 0.996, sineLagFrames: 1.1455, stepLagFrames: 0.1397, rampLagFrames: 1.061,
    });
  });
  it('Savitzky-Golay, window 9, degree 2', () => {
    expect(measureFilter((v) => savitzkyGolay(v, { window: 9, order: 2 }))).toEqual({
      jitterConstant: 0.0031, jitterSine: 0.003, sineGain: 1.0027, sineLagFrames: -0.0141, stepLagFrames: 0, rampLagFrames: 0,
    });
  });
  it('Savitzky-Golay, window 11, degree 3 (the default): jitter cut 5.6-fold still and moving, no lag, the swing kept', () => {
    expect(measureFilter((v) => savitzkyGolay(v, { window: 11, order: 3 }))).toEqual({
      jitterConstant: 0.0025, jitterSine: 0.0025, sineGain: 0.9996, sineLagFrames: -0.0139, stepLagFrames: 0, rampLagFrames: 0,
    });
  });
});
