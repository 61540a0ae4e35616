import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Mt19937, NumpyRandomState } from '../../../../src-main/domain/folds/numpyRandomState.js';

const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../fixtures/stats/sklearn_folds.json'), 'utf8')) as {
  numpy: string;
  randomState: Array<{ seed: number; uint32: number[]; permutation10: number[]; permutation1000: number[] }>;
};

describe(`MT19937 and RandomState equal numpy ${fixture.numpy} bit for bit`, () => {
  it('the reference output of init_genrand(5489): 3499211612, 581869302, ...', () => {
    const mt = new Mt19937(5489);
    expect([mt.nextUint32(), mt.nextUint32(), mt.nextUint32()]).toEqual([3499211612, 581869302, 3890346734]);
  });
  for (const r of fixture.randomState) {
    it(`RandomState(${r.seed}): raw 32-bit draws, permutation(10), permutation(1000)`, () => {
      const rs = new NumpyRandomState(r.seed);
      expect(r.uint32.map(() => rs.nextUint32())).toEqual(r.uint32);
      expect(new NumpyRandomState(r.seed).permutation(10)).toEqual(r.permutation10);
      expect(new NumpyRandomState(r.seed).permutation(1000)).toEqual(r.permutation1000);
    });
  }
  it('refuses seeds numpy refuses', () => {
    expect(() => new NumpyRandomState(-1)).toThrow(RangeError);
    expect(() => new NumpyRandomState(2 ** 32)).toThrow(RangeError);
    expect(() => new NumpyRandomState(1.5)).toThrow(RangeError);
  });
});
