/**
 * The Mersenne Twister MT19937 (Matsumoto & Nishimura 1998) and the parts of numpy's legacy
 * `RandomState` that scikit-learn's splitters use (integer seeding, bounded integers by
 * masked rejection, Fisher-Yates `shuffle` and `permutation`). With the same integer seed the
 * sequences equal numpy's bit for bit, so folds can be reproduced exactly from a seed
 * written in a paper or a Python notebook. Not for cryptography.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class Mt19937 {
  private readonly mt = new Uint32Array(N);
  private index = N;

  /** Knuth's initialisation (init_genrand), which numpy uses for an integer seed. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`an MT19937 seed is an integer in 0..2^32-1, not ${seed}`);
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1]!;
      this.mt[i] = (Math.imul(1812433253, (prev ^ (prev >>> 30)) >>> 0) + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let k = 0; k < N; k++) {
      const y = (mt[k]! & UPPER_MASK) | (mt[(k + 1) % N]! & LOWER_MASK);
      mt[k] = (mt[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
    }
    this.index = 0;
  }

  /** The next tempered 32-bit output (genrand_int32). */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

/** numpy.random.RandomState(seed), for the operations sklearn's splitters call. */
export class NumpyRandomState {
  private readonly bits: Mt19937;

  constructor(seed: number) {
    this.bits = new Mt19937(seed);
  }

  nextUint32(): number {
    return this.bits.nextUint32();
  }

  /**
   * A uniform integer in 0..max (inclusive) as numpy's legacy `random_interval`: the smallest
   * all-ones mask covering max, and rejection of masked draws above max.
   */
  randomInterval(max: number): number {
    if (!Number.isInteger(max) || max < 0 || max > 0xffffffff) throw new RangeError(`randomInterval needs an integer in 0..2^32-1, not ${max}`);
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const value = (this.nextUint32() & mask) >>> 0;
      if (value <= max) return value;
    }
  }

  /** In-place Fisher-Yates as `RandomState.shuffle` (for a 1-D array or the rows of a 2-D one). */
  shuffle<T>(items: T[]): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      if (i === j) continue;
      const held = items[j]!;
      items[j] = items[i]!;
      items[i] = held;
    }
  }

  /** `RandomState.permutation(n)`: a shuffled 0..n-1. */
  permutation(n: number): number[] {
    const out = Array.from({ length: n }, (_, i) => i);
    this.shuffle(out);
    return out;
  }
}
