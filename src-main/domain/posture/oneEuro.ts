/**
 * The One Euro filter (Casiez, Roussel & Vogel, CHI 2012): a first-order low-pass whose cutoff
 * rises with the signal's speed, so a still signal is smoothed hard and a moving one follows
 * with little lag. Per sample, with period Te:
 *
 *   dx  = (x - x_prev) / Te,                 x_prev the previous raw sample (as the authors' code)
 *   dx^ = lowpass(dx, alpha(dCutoff)),       alpha(fc) = 1 / (1 + 1 / (2 pi fc Te))
 *   fc  = minCutoff + beta * |dx^|
 *   x^  = lowpass(x, alpha(fc))
 *
 * Causal: it only uses past samples. A null sample is a gap: the output there is null and the
 * filter starts afresh after it (the first sample of a run is passed as it is), so a gap never
 * fills in and a run never inherits the state of the run before it.
 */

export interface OneEuroParams {
  /** Hz: the cutoff of a still signal. */
  minCutoff: number;
  /** Hz per unit of speed (units per second) added to the cutoff. */
  beta: number;
  /** Hz: the cutoff of the speed estimate. */
  dCutoff: number;
}

function alpha(cutoff: number, te: number): number {
  return 1 / (1 + 1 / (2 * Math.PI * cutoff * te));
}

/** Filters samples taken `rate` times a second; null samples are gaps. */
export function oneEuro(values: ReadonlyArray<number | null>, rate: number, params: OneEuroParams): Array<number | null> {
  if (!(rate > 0)) throw new RangeError(`the One Euro filter needs a positive rate, not ${rate}`);
  const te = 1 / rate;
  const aD = alpha(params.dCutoff, te);
  const out = new Array<number | null>(values.length);
  let prevRaw: number | null = null;
  let prevOut = 0;
  let prevD = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] ?? null;
    if (x === null) {
      out[i] = null;
      prevRaw = null;
      continue;
    }
    if (prevRaw === null) {
      prevOut = x;
      prevD = 0;
    } else {
      const d = (x - prevRaw) / te;
      prevD = aD * d + (1 - aD) * prevD;
      const a = alpha(params.minCutoff + params.beta * Math.abs(prevD), te);
      prevOut = a * x + (1 - a) * prevOut;
    }
    prevRaw = x;
    out[i] = prevOut;
  }
  return out;
}
