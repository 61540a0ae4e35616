/**
 * The angle overlay on the original player: the patient's trunk, head, thigh and knee lines on
 * one frame of the measurement step's pose track, each with the reference it is measured
 * against, a small arc between the two and the value the back end measured for that frame.
 * Nothing here measures: the numbers are the per-frame series of `measurements.frames`, the
 * keypoints only place them. Coordinates are original pixels (x right, y down). No DOM.
 */
import type { KeypointName, MeasureName, MeasureSegment, MeasurementFrames, ViewKind } from '../../../src-main/contract/measurements.js';
import { translatorFor } from '../../../src-main/contract/i18n/translator.js';
import type { Language } from '../../../src-main/contract/i18n/languages.js';

export interface Pt {
  x: number;
  y: number;
}

export interface ScoredPt extends Pt {
  score: number;
}

/** Frame lookups over the pose track and the per-frame series, built once per load. */
export class PoseIndex {
  private readonly poseRow: Map<number, number>;
  private readonly seriesRow: Map<number, number>;
  private readonly nameAt: Map<KeypointName, number>;
  private readonly stride: number;

  constructor(readonly frames: MeasurementFrames) {
    const pose = frames.pose;
    this.stride = pose.names.length * 3;
    if (pose.points.length !== pose.frames.length * this.stride) {
      throw new Error(`The pose track holds ${pose.points.length} numbers for ${pose.frames.length} frames; ${this.stride} per frame were expected.`);
    }
    for (const [name, values] of Object.entries(frames.series.values)) {
      if (values.length !== frames.series.frames.length) throw new Error(`The series of ${name} has ${values.length} values for ${frames.series.frames.length} frames.`);
    }
    this.poseRow = new Map(pose.frames.map((f, i) => [f, i]));
    this.seriesRow = new Map(frames.series.frames.map((f, i) => [f, i]));
    this.nameAt = new Map(pose.names.map((n, i) => [n, i]));
  }

  get width(): number {
    return this.frames.pose.width;
  }

  get height(): number {
    return this.frames.pose.height;
  }

  /** True when the pose track has keypoints on this timeline frame. */
  hasPose(frame: number): boolean {
    return this.poseRow.has(frame);
  }

  /** A keypoint on a frame, or null when the frame has no keypoints or the model gives no such point. */
  point(frame: number, name: KeypointName): ScoredPt | null {
    const row = this.poseRow.get(frame);
    const k = this.nameAt.get(name);
    if (row === undefined || k === undefined) return null;
    const p = this.frames.pose.points;
    const at = row * this.stride + k * 3;
    return { x: p[at]!, y: p[at + 1]!, score: p[at + 2]! };
  }

  /** The back end's value of a per-frame measure on a frame, or null when it is not measured there. */
  value(frame: number, measure: MeasureName): number | null {
    const row = this.seriesRow.get(frame);
    if (row === undefined) return null;
    const v = this.frames.series.values[measure]?.[row];
    return v === undefined || v === null || !Number.isFinite(v) ? null : v;
  }

  /** The confident keypoints of a frame (for placing a label over the patient). */
  confidentPoints(frame: number, minScore: number): Pt[] {
    return this.frames.pose.names.flatMap((name) => {
      const p = this.point(frame, name);
      return p && p.score >= minScore ? [{ x: p.x, y: p.y }] : [];
    });
  }
}

export type AngleKind = 'trunk' | 'head' | 'thigh' | 'knee';

export interface AngleFigure {
  kind: AngleKind;
  measure: MeasureName;
  side: 'left' | 'right' | null;
  /** The body line, from its base (the arc's centre). */
  line: [Pt, Pt];
  /** What it is measured against, from the same base (drawn dashed). */
  reference: [Pt, Pt];
  /** SVG path of the arc between the reference and the body line. */
  arc: string;
  /** Where the value's text goes. */
  label: Pt;
  value: number;
  text: string;
}

export interface FrameAngles {
  figures: AngleFigure[];
  /** A sentence instead of numbers (a frame whose segment is not sagittal), with where to put it; null when there is none. */
  note: { text: string; at: Pt } | null;
}

export interface AngleOptions {
  trunk: boolean;
  head: boolean;
  thigh: boolean;
  knee: boolean;
  /** Keypoints scoring below this are not used (the measurement step's own threshold). */
  minScore: number;
  /** The vertical the angles were measured against: degrees from the image vertical, clockwise positive. */
  verticalDeg: number;
  /** Image pixels per CSS pixel, so arcs and labels keep their size on screen. */
  unit: number;
  /** The language of the overlay's words (English when not given). */
  language?: Language;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const sub = (a: Pt, b: Pt): Pt => ({ x: a.x - b.x, y: a.y - b.y });
const add = (a: Pt, b: Pt): Pt => ({ x: a.x + b.x, y: a.y + b.y });
const times = (a: Pt, k: number): Pt => ({ x: a.x * k, y: a.y * k });
const length = (a: Pt) => Math.hypot(a.x, a.y);
const unitOf = (a: Pt): Pt | null => {
  const l = length(a);
  return l > 0 ? { x: a.x / l, y: a.y / l } : null;
};

/** The image's "up" for a vertical tilted `deg` clockwise from the image vertical (its upper end to the right). */
export function upDirection(deg: number): Pt {
  const r = (deg * Math.PI) / 180;
  // rounded to 1e-9, so 90 degrees gives (1, 0) and not (1, -6e-17); `+ 0` turns -0 into 0
  const clean = (n: number) => Math.round(n * 1e9) / 1e9 + 0;
  return { x: clean(Math.sin(r)), y: clean(-Math.cos(r)) };
}

/**
 * An SVG path of the arc of radius r around `centre` from direction `from` to direction `to`,
 * the short way (at most 180 degrees); an empty string when a direction has no length. With
 * y down, a positive cross product means `to` lies clockwise of `from` on screen: sweep 1.
 */
export function arcPath(centre: Pt, from: Pt, to: Pt, r: number): string {
  const u = unitOf(from);
  const v = unitOf(to);
  if (!u || !v || !(r > 0)) return '';
  const start = add(centre, times(u, r));
  const end = add(centre, times(v, r));
  const sweep = u.x * v.y - u.y * v.x > 0 ? 1 : 0;
  return `M ${round2(start.x)} ${round2(start.y)} A ${round2(r)} ${round2(r)} 0 0 ${sweep} ${round2(end.x)} ${round2(end.y)}`;
}

/** Where the value of an angle goes: out along the bisector of its two directions, past the arc. */
export function labelPoint(centre: Pt, from: Pt, to: Pt, distance: number): Pt {
  const u = unitOf(from) ?? { x: 0, y: -1 };
  const v = unitOf(to) ?? u;
  // two opposite directions have no bisector: go square to them
  const b = unitOf(add(u, v)) ?? { x: -u.y, y: u.x };
  return { x: round2(centre.x + b.x * distance), y: round2(centre.y + b.y * distance) };
}

/**
 * Where the value of a narrow angle goes: on the bisector (labelPoint), pushed square to it
 * past the body line until `clearance` from the bisector, so the text does not sit on the
 * lines (a wide angle has room inside and is not pushed).
 */
export function outsideLabel(centre: Pt, from: Pt, to: Pt, distance: number, clearance: number): Pt {
  const on = labelPoint(centre, from, to, distance);
  const u = unitOf(from);
  const v = unitOf(to);
  if (!u || !v) return on;
  const half = Math.acos(Math.max(-1, Math.min(1, u.x * v.x + u.y * v.y))) / 2;
  const push = clearance - distance * Math.tan(half);
  if (!(push > 0)) return on;
  const b = unitOf(add(u, v)) ?? { x: -u.y, y: u.x };
  // square to the bisector, towards the body line (to the right of it when the two coincide)
  const across = unitOf(sub(v, times(b, v.x * b.x + v.y * b.y))) ?? { x: -b.y, y: b.x };
  return { x: round2(on.x + across.x * push), y: round2(on.y + across.y * push) };
}

/** A value in degrees as the overlay writes it. */
export const degreesText = (value: number): string => `${value.toFixed(1)}°`;

/** What a segment's view means for the angles, in words. */
export function viewWords(view: ViewKind, language: Language = 'en'): string {
  return translatorFor(language).t(viewWordKeys[view]);
}

const viewWordKeys = {
  sagittal: 'review.views.sagittal',
  frontal: 'review.views.frontal',
  oblique: 'review.views.oblique',
  unknown: 'review.views.unknown',
} as const satisfies Record<ViewKind, string>;

/** The 1 s segment holding a frame, or undefined. */
export function segmentOfFrame(segments: readonly MeasureSegment[], frame: number): MeasureSegment | undefined {
  return segments.find((s) => frame >= s.startFrame && frame <= s.endFrame);
}

/** Midpoint of the confident points of a left/right pair (one alone when the other is hidden), or null. */
function pairMid(index: PoseIndex, frame: number, left: KeypointName, right: KeypointName, minScore: number): Pt | null {
  const seen = [index.point(frame, left), index.point(frame, right)].filter((p): p is ScoredPt => p !== null && p.score >= minScore);
  if (seen.length === 0) return null;
  return { x: seen.reduce((s, p) => s + p.x, 0) / seen.length, y: seen.reduce((s, p) => s + p.y, 0) / seen.length };
}

function confident(index: PoseIndex, frame: number, name: KeypointName, minScore: number): Pt | null {
  const p = index.point(frame, name);
  return p && p.score >= minScore ? { x: p.x, y: p.y } : null;
}

/** One figure: a body line from `base` to `tip`, measured against the direction `refDir` from the same base. */
function figure(kind: AngleKind, measure: MeasureName, side: 'left' | 'right' | null, base: Pt, tip: Pt, refDir: Pt, value: number, unit: number): AngleFigure | null {
  const body = sub(tip, base);
  const l = length(body);
  const ref = unitOf(refDir);
  if (l === 0 || !ref) return null;
  const r = Math.max(14 * unit, Math.min(0.3 * l, 40 * unit));
  // the right side's values further out, so a left and a right angle at the same joint do not overlap
  const distance = r + (side === 'right' ? 34 : 16) * unit;
  return {
    kind,
    measure,
    side,
    line: [base, tip],
    reference: [base, { x: round2(base.x + ref.x * l), y: round2(base.y + ref.y * l) }],
    arc: arcPath(base, ref, body, r),
    label: outsideLabel(base, ref, body, distance, 22 * unit),
    value,
    text: degreesText(value),
  };
}

const sides = ['left', 'right'] as const;
const cap = (side: 'left' | 'right') => (side === 'left' ? 'Left' : 'Right');

/**
 * The figures to draw on a frame. Nothing on a frame without keypoints; on a frame whose 1 s
 * segment is not sagittal, a note instead of numbers; otherwise each chosen angle whose
 * keypoints are confident and whose value the back end measured on that frame.
 */
export function anglesAt(index: PoseIndex, frame: number, segments: readonly MeasureSegment[], options: AngleOptions): FrameAngles {
  const none: FrameAngles = { figures: [], note: null };
  if (!index.hasPose(frame)) return none;
  const { minScore, unit } = options;
  const segment = segmentOfFrame(segments, frame);
  if (segment && segment.view !== 'sagittal') {
    const points = index.confidentPoints(frame, minScore);
    if (points.length === 0) return none;
    const top = Math.min(...points.map((p) => p.y));
    const x = points.reduce((s, p) => s + p.x, 0) / points.length;
    const words = viewWords(segment.view, options.language);
    const view = `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
    return { figures: [], note: { text: translatorFor(options.language ?? 'en').t('review.views.noAngles', { view }), at: { x: round2(x), y: round2(Math.max(14 * unit, top - 12 * unit)) } } };
  }
  const up = upDirection(options.verticalDeg);
  const hip = pairMid(index, frame, 'leftHip', 'rightHip', minScore);
  const shoulder = pairMid(index, frame, 'leftShoulder', 'rightShoulder', minScore);
  const figures: AngleFigure[] = [];
  const push = (f: AngleFigure | null) => f && figures.push(f);
  const v = (m: MeasureName) => index.value(frame, m);

  const trunk = v('trunkLean');
  if (options.trunk && hip && shoulder && trunk !== null) push(figure('trunk', 'trunkLean', null, hip, shoulder, up, trunk, unit));

  const head = v('headForward');
  if (options.head && head !== null) {
    // the better-seen side: both points confident, the higher summed score
    const pairs = sides.flatMap((side) => {
      const s = index.point(frame, `${side}Shoulder`);
      const e = index.point(frame, `${side}Ear`);
      return s && e && s.score >= minScore && e.score >= minScore ? [{ s, e, score: s.score + e.score }] : [];
    });
    const best = pairs.sort((a, b) => b.score - a.score)[0];
    if (best) push(figure('head', 'headForward', null, { x: best.s.x, y: best.s.y }, { x: best.e.x, y: best.e.y }, up, head, unit));
  }

  // the trunk line pointing down from the hips: what a thigh is measured against
  const down = hip && shoulder ? sub(hip, shoulder) : null;
  for (const side of sides) {
    const h = confident(index, frame, `${side}Hip`, minScore);
    const k = confident(index, frame, `${side}Knee`, minScore);
    const thigh = v(`hipFlexion${cap(side)}`);
    if (options.thigh && h && k && down && thigh !== null) push(figure('thigh', `hipFlexion${cap(side)}`, side, h, k, down, thigh, unit));
    const a = confident(index, frame, `${side}Ankle`, minScore);
    const knee = v(`kneeFlexion${cap(side)}`);
    if (options.knee && h && k && a && knee !== null) push(figure('knee', `kneeFlexion${cap(side)}`, side, k, a, sub(k, h), knee, unit));
  }
  return { figures, note: null };
}
