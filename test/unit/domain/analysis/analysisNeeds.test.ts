import { describe, expect, it } from 'vitest';
import { analysisNeeds } from '../../../../src-main/domain/analysis/analysisNeeds.js';

const stage1 = (outputVideoIds: number[]) => ({ outputVideoIds });
const stage2 = (classifiedVideoId: number, id: string, sha256: string) => ({ classifiedVideoId, model: { id, sha256 } });
const installed = [{ id: 'm0', sha256: 'hash0' }];

describe('what a video still needs (moved here from the renderer with its cases)', () => {
  it('both stages before stage 1 has run, with or without a model', () => {
    expect(analysisNeeds(null, null, installed)).toBe('both stages');
    expect(analysisNeeds(null, null, [])).toBe('both stages');
  });

  it('nothing when its current stage 2 came from this clip and the same model file', () => {
    expect(analysisNeeds(stage1([11]), stage2(11, 'm0', 'hash0'), installed)).toBe('nothing');
  });

  it('stage 2 after stage 1 alone, after stage 1 ran again since, and after the model file was replaced', () => {
    expect(analysisNeeds(stage1([12]), null, installed)).toBe('stage 2');
    expect(analysisNeeds(stage1([14]), stage2(99, 'm0', 'hash0'), installed)).toBe('stage 2');
    expect(analysisNeeds(stage1([15]), stage2(15, 'm0', 'an older file'), installed)).toBe('stage 2');
    expect(analysisNeeds(stage1([16]), stage2(16, 'removed model', 'hash9'), installed)).toBe('stage 2');
  });

  it('without a model, a stage 1 result is all there is to do', () => {
    expect(analysisNeeds(stage1([11]), null, [])).toBe('nothing');
  });
});
