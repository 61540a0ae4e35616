import { describe, expect, it } from 'vitest';
import { analysisNeeds, type CurrentResults, type Expected } from '../../../../src-main/domain/analysis/analysisNeeds.js';

const stage1 = (outputVideoIds: number[]) => ({ outputVideoIds });
const stage2 = (classifiedVideoId: number, id: string, sha256: string) => ({ classifiedVideoId, model: { id, sha256 } });
const measured = (version = 1, verticalReferenceDeg = 0) => ({ version, verticalReferenceDeg });
const now: Expected = { measurementVersion: 1, verticalReferenceDeg: 0, models: [{ id: 'm0', sha256: 'hash0' }] };
const noModel: Expected = { ...now, models: [] };
const needs = (current: Partial<CurrentResults>, expected = now) => analysisNeeds({ stage1: null, measurement: null, stage2: null, ...current }, expected);

describe('the steps a video still needs (the rules "Analyse all" had in the renderer, and the measures)', () => {
  it('every step before stage 1 has run, with or without a model', () => {
    expect(needs({})).toEqual(['stage1', 'measure', 'stage2']);
    expect(needs({}, noModel)).toEqual(['stage1', 'measure', 'stage2']);
  });

  it('nothing when its measures are of this stage 1 and its stage 2 came from this clip and the same model file', () => {
    expect(needs({ stage1: stage1([11]), measurement: measured(), stage2: stage2(11, 'm0', 'hash0') })).toEqual([]);
  });

  it('stage 2 after stage 1 alone, after stage 1 ran again since, and after the model file was replaced or removed', () => {
    expect(needs({ stage1: stage1([12]), measurement: measured() })).toEqual(['stage2']);
    expect(needs({ stage1: stage1([14]), measurement: measured(), stage2: stage2(99, 'm0', 'hash0') })).toEqual(['stage2']);
    expect(needs({ stage1: stage1([15]), measurement: measured(), stage2: stage2(15, 'm0', 'an older file') })).toEqual(['stage2']);
    expect(needs({ stage1: stage1([16]), measurement: measured(), stage2: stage2(16, 'removed model', 'hash9') })).toEqual(['stage2']);
  });

  it('the measures when none are of this stage 1, when another version of the code made them, or against another vertical reference', () => {
    expect(needs({ stage1: stage1([11]), stage2: stage2(11, 'm0', 'hash0') })).toEqual(['measure']);
    expect(needs({ stage1: stage1([11]), measurement: measured(0), stage2: stage2(11, 'm0', 'hash0') })).toEqual(['measure']);
    expect(needs({ stage1: stage1([11]), measurement: measured(1, 0), stage2: stage2(11, 'm0', 'hash0') }, { ...now, verticalReferenceDeg: 2.5 })).toEqual(['measure']);
    expect(needs({ stage1: stage1([11]) })).toEqual(['measure', 'stage2']);
  });

  it('without a model, stage 1 and the measures are all there is to do', () => {
    expect(needs({ stage1: stage1([11]), measurement: measured() }, noModel)).toEqual([]);
    expect(needs({ stage1: stage1([11]) }, noModel)).toEqual(['measure']);
  });
});
