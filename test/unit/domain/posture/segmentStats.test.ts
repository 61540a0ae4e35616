import { describe, expect, it } from 'vitest';
import { frameMeasureNames, type FrameMeasureName } from '../../../../src-main/domain/posture/frameMeasures.js';
import { segmentMeasures, stat } from '../../../../src-main/domain/posture/segmentStats.js';

const none = (n: number) => new Array<number | null>(n).fill(null);
function values(fill: Partial<Record<FrameMeasureName, Array<number | null>>>, n: number): Record<FrameMeasureName, Array<number | null>> {
  return Object.fromEntries(frameMeasureNames.map((k) => [k, fill[k] ?? none(n)])) as Record<FrameMeasureName, Array<number | null>>;
}

describe('segment statistics', () => {
  it('mean, sample SD, min, max, n; SD 0 for one value', () => {
    expect(stat([1, 2, 3, 6])).toEqual({ mean: 3, sd: Math.sqrt(14 / 3), min: 1, max: 6, n: 4 });
    expect(stat([4])).toEqual({ mean: 4, sd: 0, min: 4, max: 4, n: 1 });
    expect(stat([])).toBeNull();
  });
  it('max hip flexion and hip range over the sides seen; knee range per side', () => {
    const left = [10, 20, 30, -5];
    const right = [0, 15, 25, 5];
    const s = segmentMeasures(values({ hipFlexionLeft: left, hipFlexionRight: right, kneeFlexionLeft: [5, 50, 20, null], trunkLean: [3, 3, 3, 3] }, 4), 4);
    expect(s.stats.maxHipFlexion).toEqual({ mean: 27.5, sd: Math.sqrt(12.5), min: 25, max: 30, n: 2 });
    expect(s.stats.hipRange).toEqual({ mean: 30, sd: Math.sqrt(50), min: 25, max: 35, n: 2 });
    expect(s.stats.kneeRangeLeft).toEqual({ mean: 45, sd: 0, min: 45, max: 45, n: 1 });
    expect(s.stats.kneeFlexionLeft).toEqual({ mean: 25, sd: Math.sqrt(525), min: 5, max: 50, n: 3 });
    expect(s.stats.trunkLean).toEqual({ mean: 3, sd: 0, min: 3, max: 3, n: 4 });
    expect(s.stats.kneeRangeRight).toBeUndefined();
  });
  it('a measure on fewer than half the frames is not given, with a sentence; one hip side seen is enough', () => {
    const s = segmentMeasures(values({ hipFlexionLeft: [10, 20, null, null, null], hipFlexionRight: [1, 2, 3, null, null] }, 5), 5);
    expect(s.stats.hipFlexionLeft).toBeUndefined();
    expect(s.stats.maxHipFlexion).toEqual({ mean: 3, sd: 0, min: 3, max: 3, n: 1 });
    expect(s.notes).toContain('Hip flexion, left: measurable on 2 of 5 frames (fewer than half): not given');
    expect(s.notes).toContain('Trunk lean: not measurable on any frame (its keypoints were not confident)');
  });
  it('no hip seen: no maximum or range, with a sentence', () => {
    const s = segmentMeasures(values({}, 3), 3);
    expect(s.stats).toEqual({});
    expect(s.notes).toContain('Maximum hip flexion and hip range: neither hip seen on half the frames: not given');
  });
});
