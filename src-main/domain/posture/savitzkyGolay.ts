/**
 * Savitzky-Golay smoothing (Savitzky & Golay 1964): each sample is replaced by the value at its
 * own position of the least-squares polynomial of degree `order` through the `window` samples
 * centred on it. Zero-phase (it uses as many future samples as past ones, which an offline
 * video allows), and exact for any polynomial of degree <= order, so a steady movement or a
 * smooth turn passes with no lag.
 *
 * Gaps: a null sample stays null, and each run between gaps is smoothed on its own. Near a
 * run's ends the window is cut to the samples of the run (an asymmetric fit of the same
 * degree), and a run too short for the degree is fitted with the highest degree it allows.
 */

export interface SavitzkyGolayParams {
  /** Odd number of samples, >= 3. */
  window: number;
  /** Polynomial degree, < window. */
  order: number;
}

/** Solves the small dense system a x = b by Gaussian elimination with partial pivoting (a is changed). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < n; k++) a[r]![k]! -= f * a[c]![k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r]![k]! * x[k]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}

/**
 * The weights w_j (j from `from` to `to`, offsets from the sample) whose sum of w_j * v_j is
 * the fitted polynomial's value at offset 0: the first row of (A'A)^-1 A'.
 */
function fitWeights(from: number, to: number, order: number): number[] {
  const m = order + 1;
  const ata = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let t = from; t <= to; t++) {
    for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) ata[r]![c]! += t ** (r + c);
  }
  // e0' (A'A)^-1, by solving the symmetric system (A'A) y = e0
  const e0 = new Array<number>(m).fill(0);
  e0[0] = 1;
  const y = solve(ata, e0);
  const w: number[] = [];
  for (let t = from; t <= to; t++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += y[r]! * t ** r;
    w.push(s);
  }
  return w;
}

export function checkSavitzkyGolay(params: SavitzkyGolayParams): void {
  if (!Number.isInteger(params.window) || params.window < 3 || params.window % 2 === 0) throw new RangeError(`a Savitzky-Golay window is an odd number >= 3, not ${params.window}`);
  if (!Number.isInteger(params.order) || params.order < 0 || params.order >= params.window) throw new RangeError(`a Savitzky-Golay degree is a whole number below the window, not ${params.order}`);
}

/** Smooths consecutive samples; null samples are gaps. */
export function savitzkyGolay(values: ReadonlyArray<number | null>, params: SavitzkyGolayParams): Array<number | null> {
  checkSavitzkyGolay(params);
  const half = (params.window - 1) / 2;
  const out = values.map((v) => v ?? null);
  const cache = new Map<string, number[]>();
  let i = 0;
  while (i < values.length) {
    if (values[i] === null || values[i] === undefined) {
      i++;
      continue;
    }
    let end = i;
    while (end + 1 < values.length && values[end + 1] !== null && values[end + 1] !== undefined) end++;
    // the run i..end
    for (let s = i; s <= end; s++) {
      const from = Math.max(i, s - half) - s;
      const to = Math.min(end, s + half) - s;
      const order = Math.min(params.order, to - from);
      if (order === 0 && to === from) continue; // a run of one sample: as it is
      const key = `${from},${to},${order}`;
      let w = cache.get(key);
      if (!w) {
        w = fitWeights(from, to, order);
        cache.set(key, w);
      }
      let acc = 0;
      for (let t = from; t <= to; t++) acc += w[t - from]! * (values[s + t] as number);
      out[s] = acc;
    }
    i = end + 1;
  }
  return out;
}
