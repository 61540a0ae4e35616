import { boxCentre, boxHeight } from './similarity.js';
import type { Track, TrackPoint } from './tracker.js';

/**
 * Which track is the patient: the person who walks. A walker gets somewhere: the foot point
 * moves steadily across the floor (sideways, or in depth, which shows as a change of apparent
 * height and of the feet's height in the image), for a good part of the time they are seen,
 * at a consistent size. Someone standing gets nowhere; someone jumping (on a box, in place)
 * moves up and down a lot and gets nowhere either. Each track is measured in body heights
 * (its median box height) so near and far people compare fairly.
 *
 * A person can be split into several tracks (lost behind someone for longer than the
 * tracker's patience); after choosing, tracklets that continue the patient's track (no
 * overlap in time, starting near where it ended, similar size) are stitched on.
 */
export interface TrackAssessment {
  id: number;
  /** Frames with a detection (at stride k, at most one in k frames). */
  frames: number;
  /** First to last frame, in seconds. */
  seconds: number;
  /** Median box height in pixels (the unit of the distances below). */
  bodyHeight: number;
  /** Net sideways travel of the box centre, in body heights. */
  sideways: number;
  /** Net travel in depth: |ln(height at end / height at start)| (0.69 = distance doubled or halved). */
  depth: number;
  /** Net travel combined (sideways, feet's image height and depth), in body heights. */
  travel: number;
  /** Share of 1 s windows in which the person moved along the ground. */
  movingShare: number;
  /** Typical up-and-down range of the head within 1 s, beyond a steady trend, in body heights. */
  bounce: number;
  /** Typical change of box height within 1 s, beyond a steady trend, relative to body height. */
  sizeChange: number;
  /** Long enough to be considered. */
  eligible: boolean;
  score: number;
}

export interface PatientOptions {
  fps: number;
  /** Tracks present for less than this are only chosen when nothing else is (default 1 s). */
  minSeconds?: number;
  /** Tracklets are stitched onto the patient across gaps up to this long (default 3 s; 0 = never). */
  maxStitchSeconds?: number;
  /** The detector saw every stride-th frame (default 1): counts of detections are per fps / stride a second. */
  stride?: number;
}

export interface PatientChoice {
  /** The track chosen (or overridden). */
  id: number;
  /** That track plus any tracklets stitched onto it, in time order. */
  trackIds: number[];
  points: TrackPoint[];
  reason: string;
  assessments: TrackAssessment[];
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Range of the residuals of a least-squares line through (x, y) (the trend removed). */
function detrendedRange(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 3) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const r = ys[i]! - (my + slope * (xs[i]! - mx));
    lo = Math.min(lo, r);
    hi = Math.max(hi, r);
  }
  return hi - lo;
}

interface Ends {
  x: number;
  foot: number;
  logH: number;
}

/** Robust start and end of a stretch of points: medians over its first and last fifth (up to 0.5 s). `rate`: detections a second. */
function ends(points: readonly TrackPoint[], rate: number): { start: Ends; end: Ends } {
  const k = Math.max(1, Math.min(Math.round(rate / 2), Math.floor(points.length / 5)));
  const of = (ps: readonly TrackPoint[]): Ends => ({
    x: median(ps.map((p) => boxCentre(p.box).x)),
    foot: median(ps.map((p) => p.box.y2)),
    logH: Math.log(Math.max(1, median(ps.map((p) => boxHeight(p.box))))),
  });
  return { start: of(points.slice(0, k)), end: of(points.slice(-k)) };
}

function travelOf(a: Ends, b: Ends, bodyHeight: number): { sideways: number; depth: number; travel: number } {
  const sideways = Math.abs(b.x - a.x) / bodyHeight;
  const depth = Math.abs(b.logH - a.logH);
  const feet = Math.abs(b.foot - a.foot) / bodyHeight;
  // depth shows both as a change of size and as the feet rising or falling in the image
  return { sideways, depth, travel: Math.hypot(sideways, Math.max(feet, 2 * depth)) };
}

export function assessTrack(track: Track, options: PatientOptions): TrackAssessment {
  const { fps } = options;
  const stride = options.stride ?? 1;
  // detections a second
  const rate = fps / stride;
  const points = [...track.points].sort((a, b) => a.frame - b.frame);
  const bodyHeight = Math.max(1, median(points.map((p) => boxHeight(p.box))));
  const first = points[0]?.frame ?? 0;
  const last = points.at(-1)?.frame ?? 0;
  const seconds = (last - first + 1) / fps;
  const whole = ends(points, rate);
  const { sideways, depth, travel } = travelOf(whole.start, whole.end, bodyHeight);

  // 1 s windows, half overlapping
  const window = Math.max(2, Math.round(fps));
  let windows = 0;
  let moving = 0;
  const bounces: number[] = [];
  const sizes: number[] = [];
  for (let from = first; from <= Math.max(first, last - window + 1); from += Math.max(1, window >> 1)) {
    const inside = points.filter((p) => p.frame >= from && p.frame < from + window);
    if (inside.length < Math.max(3, window / stride / 3)) continue;
    windows++;
    const e = ends(inside, rate);
    if (travelOf(e.start, e.end, bodyHeight).travel > 0.15) moving++;
    const frames = inside.map((p) => p.frame);
    bounces.push(detrendedRange(frames, inside.map((p) => p.box.y1)) / bodyHeight);
    sizes.push(detrendedRange(frames, inside.map((p) => boxHeight(p.box))) / bodyHeight);
  }
  const movingShare = windows === 0 ? 0 : moving / windows;
  const bounce = median(bounces);
  const sizeChange = median(sizes);
  const eligible = seconds >= (options.minSeconds ?? 1) && points.length >= Math.min(15, fps / 2) / stride;
  const score =
    (travel * (0.25 + 0.75 * movingShare) * Math.sqrt(Math.min(seconds, 10))) /
    (1 + 4 * Math.max(0, bounce - 0.08) + 2 * Math.max(0, sizeChange - 0.15));
  return { id: track.id, frames: points.length, seconds, bodyHeight, sideways, depth, travel, movingShare, bounce, sizeChange, eligible, score };
}

export function assessTracks(tracks: readonly Track[], options: PatientOptions): TrackAssessment[] {
  return tracks.map((t) => assessTrack(t, options));
}

const f1 = (v: number) => v.toFixed(1);

/** Chooses the walker automatically; undefined when there are no tracks at all. */
export function choosePatient(tracks: readonly Track[], options: PatientOptions): PatientChoice | undefined {
  const assessments = assessTracks(tracks, options);
  if (assessments.length === 0) return undefined;
  const pool = assessments.some((a) => a.eligible) ? assessments.filter((a) => a.eligible) : assessments;
  const ranked = [...pool].sort((a, b) => b.score - a.score || b.frames - a.frames || a.id - b.id);
  let best = ranked[0]!;
  let reason: string;
  if (best.travel < 0.5) {
    // nobody walks: the person seen longest is the best guess
    best = [...pool].sort((a, b) => b.frames - a.frames || a.id - b.id)[0]!;
    reason = `no one walks more than half a body height; track ${best.id} is the person seen longest (${f1((best.frames * (options.stride ?? 1)) / options.fps)} s)`;
  } else {
    const runnerUp = ranked.find((a) => a.id !== best.id);
    reason =
      `track ${best.id} walks ${f1(best.travel)} body heights in ${f1(best.seconds)} s, moving in ${Math.round(best.movingShare * 100)}% of it, ` +
      `bounce ${best.bounce.toFixed(2)}` +
      (runnerUp ? `; next is track ${runnerUp.id} (${f1(runnerUp.travel)} body heights, bounce ${runnerUp.bounce.toFixed(2)})` : '; the only person tracked');
  }
  const main = tracks.find((t) => t.id === best.id)!;
  const stitched = stitchTracklets(main, tracks, options);
  if (stitched.trackIds.length > 1) reason += `; joined with track(s) ${stitched.trackIds.filter((id) => id !== main.id).join(', ')} (the same person, lost for a while)`;
  return { id: main.id, trackIds: stitched.trackIds, points: stitched.points, reason, assessments };
}

/** The patient chosen by the user: one track id, or several (tracklets of the same person). */
export function patientFromTracks(tracks: readonly Track[], ids: number | readonly number[], options: PatientOptions): PatientChoice | { missing: number[] } {
  const wanted = typeof ids === 'number' ? [ids] : [...ids];
  const missing = wanted.filter((id) => !tracks.some((t) => t.id === id));
  if (missing.length > 0 || wanted.length === 0) return { missing };
  const byFrame = new Map<number, TrackPoint>();
  for (const id of wanted) for (const p of tracks.find((t) => t.id === id)!.points) if (!byFrame.has(p.frame)) byFrame.set(p.frame, p);
  return {
    id: wanted[0]!,
    trackIds: wanted,
    points: [...byFrame.values()].sort((a, b) => a.frame - b.frame),
    reason: `track${wanted.length > 1 ? 's' : ''} ${wanted.join(', ')} chosen by the user`,
    assessments: assessTracks(tracks, options),
  };
}

/**
 * Adds to `main` the tracks that continue it: each must fit in a gap of what is already
 * joined (no shared frames), within `maxStitchSeconds` of its neighbours, starting (and
 * ending) near where the person was last (and is next) seen, at a similar size.
 */
export function stitchTracklets(main: Track, tracks: readonly Track[], options: PatientOptions): { trackIds: number[]; points: TrackPoint[] } {
  const maxGap = (options.maxStitchSeconds ?? 3) * options.fps;
  let points = [...main.points].sort((a, b) => a.frame - b.frame);
  const ids = [main.id];
  if (maxGap <= 0) return { trackIds: ids, points };
  const fits = (from: TrackPoint, to: TrackPoint): boolean => {
    const gap = Math.abs(to.frame - from.frame);
    if (gap > maxGap) return false;
    const h = Math.max(boxHeight(from.box), boxHeight(to.box), 1);
    const a = boxCentre(from.box);
    const b = boxCentre(to.box);
    const reach = 0.75 + 1.0 * (gap / options.fps); // a walker covers about a body height per second
    return Math.hypot(a.x - b.x, a.y - b.y) / h <= reach && Math.abs(Math.log(Math.max(1, boxHeight(to.box)) / Math.max(1, boxHeight(from.box)))) <= Math.log(1.5);
  };
  for (;;) {
    let bestTrack: Track | undefined;
    let bestGap = Number.POSITIVE_INFINITY;
    for (const t of tracks) {
      if (ids.includes(t.id) || t.points.length === 0) continue;
      const tp = [...t.points].sort((a, b) => a.frame - b.frame);
      const start = tp[0]!;
      const end = tp.at(-1)!;
      const before = points.filter((p) => p.frame < start.frame).at(-1);
      const after = points.find((p) => p.frame > end.frame);
      if (points.some((p) => p.frame >= start.frame && p.frame <= end.frame)) continue;
      if (!before && !after) continue;
      if (before && !fits(before, start)) continue;
      if (after && !fits(end, after)) continue;
      const gap = Math.min(before ? start.frame - before.frame : Number.POSITIVE_INFINITY, after ? after.frame - end.frame : Number.POSITIVE_INFINITY);
      if (gap < bestGap) {
        bestGap = gap;
        bestTrack = t;
      }
    }
    if (!bestTrack) break;
    ids.push(bestTrack.id);
    points = [...points, ...bestTrack.points].sort((a, b) => a.frame - b.frame);
  }
  return { trackIds: ids, points };
}
