import { describe, expect, it } from 'vitest';
import type { MeasureSegment, MeasureStat, ViewKind } from '../../../../src-main/contract/measurements.js';
import { summariseSegments, summariseVideos } from '../../../../src-main/domain/posture/summaries.js';

const s = (mean: number): MeasureStat => ({ mean, sd: 1, min: mean - 1, max: mean + 1, n: 30 });
function segment(index: number, view: ViewKind, stats: MeasureSegment['stats']): MeasureSegment {
  return { index, startFrame: index * 30, endFrame: index * 30 + 29, startSec: index, endSec: index + 1, view, direction: 'right', quality: 1, stats, notes: [] };
}

describe('a video summary over its side-view segments', () => {
  it('the mean of the segment means, their sample SD and count; other views left out', () => {
    const sum = summariseSegments([
      segment(0, 'sagittal', { trunkLean: s(4), headForward: s(10) }),
      segment(1, 'frontal', {}),
      segment(2, 'sagittal', { trunkLean: s(8) }),
      segment(3, 'sagittal', { trunkLean: s(9), headForward: s(14) }),
    ]);
    expect(sum.measures.trunkLean).toEqual({ mean: 7, sd: Math.sqrt(7), segments: 3 });
    expect(sum.measures.headForward).toEqual({ mean: 12, sd: Math.sqrt(8), segments: 2 });
    expect(sum.sagittalSegments).toBe(3);
    expect(sum.segments).toBe(4);
    expect(sum.measures.hipRange).toBeUndefined();
    expect(sum.notes).toContain('Hip range of motion: not given in any side-view segment');
  });
  it('no side-view segment: no measures, with a sentence', () => {
    expect(summariseSegments([segment(0, 'frontal', {}), segment(1, 'oblique', {})])).toEqual({
      measures: {}, sagittalSegments: 0, segments: 2, notes: ['no segment of this video is a side view: no posture measures'],
    });
    expect(summariseSegments([]).notes).toEqual(['no segment with the patient in view: no measures']);
  });
  it('one side-view segment: SD 0, said', () => {
    const sum = summariseSegments([segment(0, 'sagittal', { trunkLean: s(5) })]);
    expect(sum.measures.trunkLean).toEqual({ mean: 5, sd: 0, segments: 1 });
    expect(sum.notes).toContain('one side-view segment: SDs are 0');
  });
});

describe("a patient's summary over videos", () => {
  it('equals the summary of all their side-view segments pooled', () => {
    const a = [segment(0, 'sagittal', { trunkLean: s(4) }), segment(1, 'sagittal', { trunkLean: s(8) }), segment(2, 'sagittal', { trunkLean: s(9) })];
    const b = [segment(0, 'sagittal', { trunkLean: s(2), headForward: s(10) }), segment(1, 'sagittal', { trunkLean: s(13) })];
    const c = [segment(0, 'frontal', {})];
    const patient = summariseVideos([summariseSegments(a), summariseSegments(b), summariseSegments(c)]);
    const pooled = summariseSegments([...a, ...b, ...c]);
    expect(patient.measures.trunkLean!.mean).toBeCloseTo(pooled.measures.trunkLean!.mean, 12);
    expect(patient.measures.trunkLean!.sd).toBeCloseTo(pooled.measures.trunkLean!.sd, 12);
    // 4, 8, 9, 2, 13: mean 7.2, sum of squares 74.8
    expect(patient.measures.trunkLean).toEqual({ mean: expect.closeTo(7.2, 12), sd: expect.closeTo(Math.sqrt(74.8 / 4), 12), segments: 5 });
    expect(patient.measures.headForward).toEqual({ mean: 10, sd: 0, segments: 1 });
    expect([patient.sagittalSegments, patient.segments]).toEqual([5, 6]);
    expect(patient.notes).toContain('1 of 3 videos have no side-view segment and add nothing');
  });
  it('no video, or none with a side view: sentences, no numbers', () => {
    expect(summariseVideos([])).toEqual({ measures: {}, sagittalSegments: 0, segments: 0, notes: ['no video: no measures'] });
    expect(summariseVideos([summariseSegments([segment(0, 'frontal', {})])]).notes).toEqual(['no video has a side-view segment: no posture measures']);
  });
});
