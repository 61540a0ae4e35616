import { describe, expect, it } from 'vitest';
import { deriveSeed, mulberry32, readerScore, seededClipWindow, seededShuffle } from '../../../../src-main/domain/studies/seededOrder.js';

describe('seeded study randomness', () => {
  it('mulberry32 gives the reference sequence for seed 1', () => {
    const random = mulberry32(1);
    // The widely published first outputs of mulberry32(1).
    expect([random(), random(), random()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it('shuffles reproducibly and differently for different seeds', () => {
    const cases = Array.from({ length: 20 }, (_, i) => `C${i + 1}`);
    const a = seededShuffle(cases, 42);
    expect(seededShuffle(cases, 42)).toEqual(a);
    expect(seededShuffle(cases, 43)).not.toEqual(a);
    expect([...a].sort()).toEqual([...cases].sort());
    expect(cases[0]).toBe('C1'); // input untouched
  });

  it('derives distinct per-reader seeds', () => {
    expect(deriveSeed(7, 'reader:1')).not.toBe(deriveSeed(7, 'reader:2'));
    expect(deriveSeed(7, 'reader:1')).toBe(deriveSeed(7, 'reader:1'));
  });

  it('places a clip window inside the video', () => {
    for (let seed = 0; seed < 50; seed++) {
      const w = seededClipWindow(7.67, 1, seed);
      expect(w.startSec).toBeGreaterThanOrEqual(0);
      expect(w.endSec).toBeLessThanOrEqual(7.67);
      expect(w.endSec - w.startSec).toBeCloseTo(1, 6);
    }
    expect(seededClipWindow(0.8, 1, 3)).toEqual({ startSec: 0, endSec: 0.8 });
  });

  it('maps a call and its confidence to a score for ROC analysis', () => {
    expect(readerScore('ASD', 100)).toBe(1);
    expect(readerScore('ASD', 0)).toBe(0.5);
    expect(readerScore('non-ASD', 100)).toBe(0);
    expect(readerScore('non-ASD', 40)).toBe(0.3);
  });
});
