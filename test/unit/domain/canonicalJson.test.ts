import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src-main/domain/canonicalJson.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth, keeps array order, drops undefined members, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, e: null })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1,"e":null}');
  });

  it('gives the same text for the same value however it was built, and numbers round-trip', () => {
    const x = { coefficients: [0.1 + 0.2, -1e-17, 123456789.123456789], name: 'm' };
    const y = JSON.parse(JSON.stringify({ name: 'm', coefficients: x.coefficients }));
    expect(canonicalJson(x)).toBe(canonicalJson(y));
    expect(JSON.parse(canonicalJson(x)).coefficients).toEqual(x.coefficients);
  });
});
