import { describe, expect, it } from 'vitest';
import { bodyFrames } from '../../../../src-main/domain/posture/body.js';
import { contactIndices, gaitSummary, periodOf, walkingRuns } from '../../../../src-main/domain/posture/gait.js';
import { gaitFigures, poseTrack, withNoise, type GaitOptions } from '../../../helpers/syntheticPose.js';

function gaitOf(o: GaitOptions, feet = true, noise = 0) {
  const track = poseTrack(gaitFigures(o), { direction: o.direction, feet });
  const t = noise > 0 ? withNoise(track, noise, 11) : track;
  const sign = o.direction === 'right' ? 1 : -1;
  return gaitSummary(t.frames, bodyFrames(t, 0.3, 0), [{ startFrame: 0, endFrame: o.frames - 1, forward: sign }], 30, feet);
}

describe('cadence from the periodicity of the feet', () => {
  for (const [cadence, direction, feet] of [[108, 'right', true], [108, 'left', false], [84, 'left', true], [132, 'right', false]] as const) {
    it(`a synthetic gait at ${cadence} steps/min walking ${direction} (${feet ? 'heels' : 'ankles'}) is recovered within 0.5%`, () => {
      const g = gaitOf({ cadence, frames: 300, direction }, feet);
      expect(Math.abs(g.cadence! / cadence - 1)).toBeLessThan(0.005);
    });
  }
  it('also with 2 px of keypoint noise', () => {
    const g = gaitOf({ cadence: 96, frames: 300, direction: 'right' }, true, 2);
    expect(Math.abs(g.cadence! / 96 - 1)).toBeLessThan(0.005);
  });
  it('the period of a sampled sine at a fractional period', () => {
    const x = Array.from({ length: 200 }, (_, i) => Math.sin((2 * Math.PI * i) / 33.3));
    expect(Math.abs(periodOf(x, 18, 72, 30)! - 33.3)).toBeLessThan(0.05);
  });
});

describe('foot contacts and step times', () => {
  it('heel strikes alternate, one per foot per stride, at the stride period', () => {
    const g = gaitOf({ cadence: 120, frames: 300, direction: 'right' });
    // 120 steps/min: a stride of 30 frames, a step of 15
    const left = g.footContacts.filter((c) => c.side === 'left').map((c) => c.frame);
    const right = g.footContacts.filter((c) => c.side === 'right').map((c) => c.frame);
    expect(left.slice(1).map((f, i) => f - left[i]!)).toEqual(new Array(left.length - 1).fill(30));
    expect(right.slice(1).map((f, i) => f - right[i]!)).toEqual(new Array(right.length - 1).fill(30));
    expect(Math.abs(right[0]! - left[0]!)).toBe(15);
    expect(g.stepTimeAsymmetry).toBe(0);
    expect(g.notes).toEqual([]);
  });
  it('an uneven gait: the right foot lands 0.4 of a stride after the left, so left steps are 0.6 and right 0.4 of a stride: asymmetry 0.4', () => {
    // stride 30 frames: right steps 12 frames, left steps 18 frames; (18 - 12) / 15 = 0.4
    const g = gaitOf({ cadence: 120, frames: 300, direction: 'left', rightPhase: 0.4 });
    expect(g.stepTimeAsymmetry).toBeCloseTo(0.4, 12);
  });
  it('a local maximum needs a full window, a positive value and 0.1 of prominence', () => {
    expect(contactIndices([0, 0.1, 0.5, 0.1, 0, 0.1, 0.05, 0.06, 0], 2)).toEqual([2]);
    expect(contactIndices([0, 0.1, 0.5, null, 0, 0], 2)).toEqual([]);
    expect(contactIndices([-1, -0.5, -0.2, -0.5, -1], 2)).toEqual([]);
  });
  it('joins consecutive spans walking the same way', () => {
    expect(walkingRuns([{ startFrame: 30, endFrame: 59, forward: 1 }, { startFrame: 0, endFrame: 29, forward: 1 }, { startFrame: 60, endFrame: 89, forward: -1 }, { startFrame: 100, endFrame: 129, forward: -1 }])).toEqual([
      { startFrame: 0, endFrame: 59, forward: 1 },
      { startFrame: 60, endFrame: 89, forward: -1 },
      { startFrame: 100, endFrame: 129, forward: -1 },
    ]);
  });
});

describe('gait not measurable', () => {
  it('no side-view walking: a sentence, nothing made up', () => {
    expect(gaitSummary([], [], [], 30, false)).toEqual({ cadence: null, stepTimeAsymmetry: null, footContacts: [], notes: ['no side-view walking segment: no gait measures'] });
  });
  it('too short a stretch for the periodicity', () => {
    const g = gaitOf({ cadence: 108, frames: 40, direction: 'right' });
    expect(g.cadence).toBeNull();
    expect(g.notes).toContain('cadence: no side-view walking stretch of at least 1.6 s: not measurable');
  });
  it('too few steps for the asymmetry', () => {
    const g = gaitOf({ cadence: 108, frames: 40, direction: 'right' });
    expect(g.stepTimeAsymmetry).toBeNull();
    expect(g.notes.some((n) => /^step-time asymmetry: \d left and \d right steps timed \(two of each needed\): not measurable$/.test(n))).toBe(true);
  });
});
