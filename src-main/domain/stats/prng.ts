/**
 * A small seeded generator for resampling: xoshiro128** (Blackman & Vigna 2018), its four
 * 32-bit words filled from the seed by splitmix32. The same seed gives the same stream on
 * every platform, so a bootstrap interval can be recomputed and audited. Not for cryptography.
 */
export interface SeededRandom {
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform number in [0, 1) with 32 random bits. */
  next(): number;
  /** A uniform integer in 0..n-1 (unbiased, by rejection). */
  below(n: number): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** The generator for a seed: its state is four splitmix32 outputs. */
export function xoshiro128ss(seed: number): SeededRandom {
  if (!Number.isInteger(seed)) throw new RangeError(`a seed is a whole number, not ${seed}`);
  const init = splitmix32(seed);
  return xoshiro128ssFromState([init(), init(), init(), init()]);
}

/** The generator from an explicit state (for checking against the reference implementation). */
export function xoshiro128ssFromState(state: readonly [number, number, number, number]): SeededRandom {
  const s = new Uint32Array(state);
  if (s[0] === 0 && s[1] === 0 && s[2] === 0 && s[3] === 0) s[0] = 1; // the all-zero state is a fixed point
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  };
  return {
    nextUint32,
    next: () => nextUint32() / 4294967296,
    below(n: number): number {
      if (!Number.isInteger(n) || n < 1 || n > 4294967296) throw new RangeError(`below() needs a whole number in 1..2^32, not ${n}`);
      // reject the top partial block so every value is equally likely
      const limit = 4294967296 - (4294967296 % n);
      for (;;) {
        const u = nextUint32();
        if (u < limit) return u % n;
      }
    },
  };
}
