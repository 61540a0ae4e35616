import { xoshiro128ss } from '../stats/prng.js';

/**
 * What a temporal filter does to keypoint-like signals, measured on seeded synthetic signals
 * at 30 frames a second in trunk lengths (the unit the keypoint filter works in), so the
 * choice of the default filter (keypointFilter.ts) rests on numbers anyone can recompute:
 *
 * - jitter of a still point: a constant plus Gaussian noise of SD 0.01 trunk lengths (about
 *   3 px on a 300 px trunk) over 300 frames; the SD of the output's frame-to-frame differences;
 * - jitter of a moving point: a 1 Hz sine of amplitude 0.3 (a knee's swing at walking pace)
 *   plus the same noise; the SD of the frame-to-frame differences of output minus the clean sine;
 * - the sine's gain and lag: amplitude and delay (frames) of the output's 1 Hz component;
 * - step lag: 0 up to frame 59, 1 from frame 60; frames from the input's half-way point (59.5)
 *   to where the output crosses 0.5 (linear interpolation between frames);
 * - ramp lag: 0 up to frame 60, then rising 1 trunk length a second; the mean shortfall over
 *   frames 120..179 divided by the slope, in frames.
 *
 * Figures are rounded to 4 decimals.
 */

export interface FilterFigures {
  jitterConstant: number;
  jitterSine: number;
  sineGain: number;
  sineLagFrames: number;
  stepLagFrames: number;
  rampLagFrames: number;
}

/** A filter of consecutive samples at 30 fps (null: gap). */
export type SeriesFilter = (values: ReadonlyArray<number | null>) => Array<number | null>;

export const figuresFps = 30;
export const figuresNoiseSd = 0.01;

/** Seeded standard normal numbers (Box-Muller on xoshiro128**). */
export function gaussianNoise(seed: number): () => number {
  const rng = xoshiro128ss(seed);
  return () => {
    const u = 1 - rng.next(); // (0, 1]
    const v = rng.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4 + 0; // + 0: no -0

function sdOfDifferences(values: readonly number[]): number {
  const d = values.slice(1).map((v, i) => v - values[i]!);
  const mean = d.reduce((s, x) => s + x, 0) / d.length;
  return Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (d.length - 1));
}

const filled = (out: Array<number | null>): number[] => out.map((v) => {
  if (v === null) throw new Error('a filter left a gap in a signal without gaps');
  return v;
});

export function measureFilter(filter: SeriesFilter, seed = 1): FilterFigures {
  const n = 300;
  const noise = gaussianNoise(seed);
  const constant = Array.from({ length: n }, () => figuresNoiseSd * noise());
  const omega = (2 * Math.PI) / figuresFps; // 1 Hz in radians per frame
  const clean = Array.from({ length: n }, (_, i) => 0.3 * Math.sin(omega * i));
  const sine = clean.map((c) => c + figuresNoiseSd * noise());

  const outConstant = filled(filter(constant));
  const outSine = filled(filter(sine));
  const residual = outSine.map((v, i) => v - clean[i]!);

  // the output's 1 Hz component over whole cycles, away from the start: a sin + b cos
  let a = 0;
  let b = 0;
  let ss = 0;
  for (let i = 60; i < 270; i++) {
    a += outSine[i]! * Math.sin(omega * i);
    b += outSine[i]! * Math.cos(omega * i);
    ss += Math.sin(omega * i) ** 2;
  }
  a /= ss;
  b /= ss;
  const gain = Math.hypot(a, b) / 0.3;
  const sineLag = Math.atan2(-b, a) / omega;

  const step = Array.from({ length: 120 }, (_, i) => (i >= 60 ? 1 : 0));
  const outStep = filled(filter(step));
  let cross = Number.NaN;
  for (let i = 1; i < outStep.length; i++) {
    if (outStep[i - 1]! < 0.5 && outStep[i]! >= 0.5) {
      cross = i - 1 + (0.5 - outStep[i - 1]!) / (outStep[i]! - outStep[i - 1]!);
      break;
    }
  }

  const slope = 1 / figuresFps;
  const ramp = Array.from({ length: 240 }, (_, i) => (i > 60 ? (i - 60) * slope : 0));
  const outRamp = filled(filter(ramp));
  let shortfall = 0;
  for (let i = 120; i < 180; i++) shortfall += ramp[i]! - outRamp[i]!;

  return {
    jitterConstant: round4(sdOfDifferences(outConstant)),
    jitterSine: round4(sdOfDifferences(residual)),
    sineGain: round4(gain),
    sineLagFrames: round4(sineLag),
    stepLagFrames: round4(cross - 59.5),
    rampLagFrames: round4(shortfall / 60 / slope),
  };
}
