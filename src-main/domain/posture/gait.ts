import type { GaitSummary } from '../../contract/measurements.js';
import { hipMidpoint, median, trunkLength, type BodyFrame } from './body.js';
import type { ForwardSign } from './sceneGeometry.js';
import type { Side } from './viewDirection.js';

/**
 * Gait from the side-view walking frames: the frames of sagittal segments with a walking
 * direction, joined into runs of consecutive segments walking the same way.
 *
 * - **The foot signal**, per side: how far the foot is ahead of the hip midpoint, forward
 *   positive, in trunk lengths (the run's median trunk length). The foot is the heel when the
 *   pose model gives heels, the ankle otherwise. Being relative to the pelvis, it holds with a
 *   camera that pans with the patient.
 * - **Foot contacts** (heel strikes), per side, after Zeni et al. (Gait & Posture 2008): the
 *   moments the foot is furthest ahead of the pelvis, i.e. local maxima of the foot signal
 *   that are positive, the largest within 0.25 s either side (every frame of that window
 *   present, inside the run), and at least 0.1 trunk lengths above the window's minimum.
 * - **Cadence** from the periodicity of the feet: per run, the normalised autocorrelation
 *   (Pearson over the frame pairs present) of the difference between the feet's signals
 *   (one foot's signal when the other is missing on more than a third of the run's frames), at
 *   lags for 50-200 steps per minute; the stride period is the first local peak of at least
 *   0.5, refined to a fraction of a frame by a parabola through the peak and its neighbours;
 *   each lag needs 1 s of frame pairs, so a run shorter than the shortest stride searched
 *   (0.6 s) plus 1 s is not used, and a long stride needs a run of its length plus 1 s.
 *   Cadence = 2 steps per stride x 60 / stride seconds, the runs' periods averaged weighted by
 *   their length.
 * - **Step times**: between consecutive contacts of opposite feet in a run, the step named by
 *   the foot that lands; asymmetry = (mean left - mean right) / mean of all, given with at
 *   least two steps of each side.
 */

export interface WalkingSpan {
  startFrame: number;
  endFrame: number;
  forward: ForwardSign;
}

export const contactHalfWindowSec = 0.25;
export const minContactProminence = 0.1;
export const minPeriodicity = 0.5;
export const cadenceRange = { min: 50, max: 200 } as const;

interface Run {
  startFrame: number;
  endFrame: number;
  forward: ForwardSign;
}

/** Consecutive spans walking the same way, joined. */
export function walkingRuns(spans: readonly WalkingSpan[]): Run[] {
  const sorted = [...spans].sort((a, b) => a.startFrame - b.startFrame);
  const runs: Run[] = [];
  for (const s of sorted) {
    const last = runs[runs.length - 1];
    if (last && last.endFrame + 1 === s.startFrame && last.forward === s.forward) last.endFrame = s.endFrame;
    else runs.push({ ...s });
  }
  return runs;
}

/** Normalised autocorrelation at a lag over pairs both present; null with fewer than `minPairs`. */
function autocorrelation(x: ReadonlyArray<number | null>, lag: number, minPairs: number): number | null {
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let t = 0; t + lag < x.length; t++) {
    const a = x[t];
    const b = x[t + lag];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    n++;
    sa += a;
    sb += b;
  }
  if (n < minPairs) return null;
  const ma = sa / n;
  const mb = sb / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let t = 0; t + lag < x.length; t++) {
    const a = x[t];
    const b = x[t + lag];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    sab += (a - ma) * (b - mb);
    saa += (a - ma) ** 2;
    sbb += (b - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : null;
}

/** The period (frames, fractional) of the first autocorrelation peak >= minPeriodicity in lags lo..hi, or null. */
export function periodOf(x: ReadonlyArray<number | null>, lo: number, hi: number, minPairs: number): number | null {
  const r = new Map<number, number | null>();
  const at = (lag: number) => {
    if (!r.has(lag)) r.set(lag, autocorrelation(x, lag, minPairs));
    return r.get(lag)!;
  };
  for (let lag = lo; lag <= hi; lag++) {
    const prev = at(lag - 1);
    const here = at(lag);
    const next = at(lag + 1);
    if (prev === null || here === null || next === null) continue;
    if (here >= minPeriodicity && here >= prev && here > next) {
      const denom = prev - 2 * here + next;
      return denom < 0 ? lag + (0.5 * (prev - next)) / denom : lag;
    }
  }
  return null;
}

/** Local maxima of a foot signal that are heel strikes (the rule in the header), as indices. */
export function contactIndices(s: ReadonlyArray<number | null>, halfWindow: number): number[] {
  const out: number[] = [];
  for (let t = halfWindow; t + halfWindow < s.length; t++) {
    const v = s[t];
    if (v === null || v === undefined || v <= 0) continue;
    let ok = true;
    let min = v;
    for (let u = t - halfWindow; u <= t + halfWindow && ok; u++) {
      const w = s[u];
      if (w === null || w === undefined) ok = false;
      else if (u < t ? w >= v : w > v) ok = false;
      else if (w < min) min = w;
    }
    if (ok && v - min >= minContactProminence) out.push(t);
  }
  return out;
}

/**
 * Gait over the walking spans. `frames` are the track's listed frames and `bodies` their
 * bodies; `heels` says whether the pose model gives heels.
 */
export function gaitSummary(frames: readonly number[], bodies: readonly BodyFrame[], spans: readonly WalkingSpan[], fps: number, heels: boolean): GaitSummary {
  const notes: string[] = [];
  const footContacts: GaitSummary['footContacts'] = [];
  const runs = walkingRuns(spans);
  if (runs.length === 0) {
    return { cadence: null, stepTimeAsymmetry: null, footContacts, notes: ['no side-view walking segment: no gait measures'] };
  }
  const byFrame = new Map(frames.map((f, i) => [f, bodies[i]!]));
  const half = Math.max(1, Math.round(contactHalfWindowSec * fps));
  const lo = Math.floor((120 * fps) / cadenceRange.max);
  const hi = Math.ceil((120 * fps) / cadenceRange.min);
  const minPairs = Math.round(fps);
  const periods: Array<{ period: number; weight: number }> = [];
  const steps: Record<Side, number[]> = { left: [], right: [] };
  let shortRuns = 0;
  let aperiodic = 0;
  for (const run of runs) {
    const length = run.endFrame - run.startFrame + 1;
    const bs = Array.from({ length }, (_, i) => byFrame.get(run.startFrame + i));
    const trunk = median(bs.map((b) => (b ? trunkLength(b) : null)).filter((t): t is number => t !== null));
    const foot = (side: Side) =>
      bs.map((b) => {
        const hip = b && hipMidpoint(b);
        const p = b && (heels ? b[`${side}Heel`] : b[`${side}Ankle`]);
        return hip && p && trunk ? (run.forward * (p.h - hip.h)) / trunk : null;
      });
    const signal = { left: foot('left'), right: foot('right') };
    const runContacts: Array<{ i: number; side: Side }> = [];
    for (const side of ['left', 'right'] as const) {
      for (const i of contactIndices(signal[side], half)) runContacts.push({ i, side });
    }
    runContacts.sort((a, b) => a.i - b.i);
    for (const c of runContacts) footContacts.push({ frame: run.startFrame + c.i, side: c.side });
    for (let k = 1; k < runContacts.length; k++) {
      const a = runContacts[k - 1]!;
      const b = runContacts[k]!;
      if (a.side !== b.side) steps[b.side].push((b.i - a.i) / fps);
    }
    if (length < lo + 1 + minPairs) {
      shortRuns++;
      continue;
    }
    const present = (x: ReadonlyArray<number | null>) => x.filter((v) => v !== null).length;
    const both = signal.left.map((l, i) => (l !== null && signal.right[i] !== null ? l - signal.right[i]! : null));
    const candidates = present(both) >= (2 * length) / 3 ? [both] : [signal.left, signal.right].sort((a, b) => present(b) - present(a));
    let period: number | null = null;
    for (const c of candidates) {
      period = periodOf(c, lo, hi, minPairs);
      if (period !== null) break;
    }
    if (period === null) aperiodic++;
    else periods.push({ period, weight: length });
  }
  let cadence: number | null = null;
  if (periods.length > 0) {
    const w = periods.reduce((s, p) => s + p.weight, 0);
    const period = periods.reduce((s, p) => s + p.period * p.weight, 0) / w;
    cadence = (120 * fps) / period;
  } else {
    notes.push(
      shortRuns === runs.length
        ? `cadence: no side-view walking stretch of at least ${((lo + 1 + minPairs) / fps).toFixed(1)} s: not measurable`
        : 'cadence: no periodic foot movement found in the side-view walking frames: not measurable',
    );
  }
  if (periods.length > 0 && aperiodic > 0) notes.push(`cadence: ${aperiodic} walking stretch(es) without a periodic foot movement were left out`);
  let stepTimeAsymmetry: number | null = null;
  if (steps.left.length >= 2 && steps.right.length >= 2) {
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    stepTimeAsymmetry = (mean(steps.left) - mean(steps.right)) / mean([...steps.left, ...steps.right]);
  } else {
    notes.push(`step-time asymmetry: ${steps.left.length} left and ${steps.right.length} right steps timed (two of each needed): not measurable`);
  }
  if (footContacts.length === 0) notes.push('no foot contact found in the side-view walking frames');
  return { cadence, stepTimeAsymmetry, footContacts, notes };
}
