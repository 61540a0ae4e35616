import type { Box, FrameDetections, Keypoint } from '../detectionTypes.js';
import { solveAssignment } from './assignment.js';
import { boxCentre, boxHeight, boxWidth, iou, keypointSimilarity } from './similarity.js';

export { iou } from './similarity.js';

/**
 * A multi-person tracker (SORT-like, with poses). Each track keeps a constant-velocity
 * estimate of its box centre (an alpha-beta filter: the box follows the detection, the
 * velocity follows the prediction error). On every frame each live track is predicted
 * forward, and tracks and detections are matched by an optimal assignment on a cost that
 * mixes box overlap (IoU with the prediction), closeness of centres relative to body height,
 * agreement of size and, when both have keypoints, an OKS-like pose similarity. Pairs above
 * `maxCost` are never matched. A track that finds no detection coasts on its velocity for up
 * to `maxMissed` frames, then ends. An unmatched detection starts a tentative track, which
 * is confirmed (and only then given an id) after `minHits` detections; ids are 1, 2, 3...
 * in order of confirmation, so they are the same every time the same detections are tracked.
 */
export interface TrackPoint {
  frame: number;
  box: Box;
  score: number;
  keypoints: Keypoint[];
}

export interface Track {
  id: number;
  /** The track's detections in frame order (frames where it coasted are not listed). */
  points: TrackPoint[];
}

export interface TrackerOptions {
  /** Frames a track may go without a detection before it ends (default 15 = 0.5 s at 30 fps). */
  maxMissed?: number;
  /** Matches whose cost exceeds this are refused (0 = identical, 1 = nothing in common). Default 0.75. */
  maxCost?: number;
  /** Detections needed before a track is confirmed and reported (default 3). */
  minHits?: number;
  /** Detections below this score are ignored (default 0: the detector already filtered). */
  minScore?: number;
  /** Velocity gain of the alpha-beta filter once the track is established (default 0.35). */
  velocityGain?: number;
}

interface LiveTrack {
  id: number; // 0 while tentative
  points: TrackPoint[];
  vx: number;
  vy: number;
  hits: number;
  lastFrame: number;
}

/** Where a track's box is expected on `frame`: shifted by its velocity, same size. */
function predictBox(t: LiveTrack, frame: number): Box {
  const last = t.points.at(-1)!.box;
  const dt = frame - t.lastFrame;
  const dx = t.vx * dt;
  const dy = t.vy * dt;
  return { x1: last.x1 + dx, y1: last.y1 + dy, x2: last.x2 + dx, y2: last.y2 + dy };
}

/**
 * Cost of giving detection `box`/`keypoints` to a track predicted at `predicted` (its last
 * pose shifted by `shift`). 0 = same place, size and pose; 1 = unrelated.
 */
export function matchCost(
  predicted: Box,
  box: Box,
  options: { lastKeypoints?: readonly Keypoint[]; keypoints?: readonly Keypoint[]; shiftX?: number; shiftY?: number; missed?: number } = {},
): number {
  const hp = Math.max(1, boxHeight(predicted));
  const hd = Math.max(1, boxHeight(box));
  const height = Math.max(hp, hd);
  const a = boxCentre(predicted);
  const b = boxCentre(box);
  // uncertainty grows while a track coasts
  const spread = 0.35 + 0.03 * (options.missed ?? 0);
  const distance = Math.hypot(a.x - b.x, a.y - b.y) / height;
  const proximity = Math.exp(-((distance / spread) ** 2) / 2);
  const sizeRatio = Math.log(hd / hp);
  const widthRatio = Math.log(Math.max(1, boxWidth(box)) / Math.max(1, boxWidth(predicted)));
  const sizeSimilarity = Math.exp(-((sizeRatio / 0.2) ** 2) / 2) * (0.7 + 0.3 * Math.exp(-((widthRatio / 0.5) ** 2) / 2));
  const overlap = iou(predicted, box);
  const pose =
    options.lastKeypoints && options.keypoints
      ? keypointSimilarity(options.lastKeypoints, options.keypoints, boxWidth(predicted) * boxHeight(predicted), { shiftX: options.shiftX ?? 0, shiftY: options.shiftY ?? 0 })
      : undefined;
  const similarity = pose === undefined ? 0.4 * overlap + 0.4 * proximity + 0.2 * sizeSimilarity : 0.3 * overlap + 0.3 * proximity + 0.15 * sizeSimilarity + 0.25 * pose;
  return 1 - similarity;
}

export function trackPeople(frames: readonly FrameDetections[], options: TrackerOptions = {}): Track[] {
  const maxMissed = options.maxMissed ?? 15;
  const maxCost = options.maxCost ?? 0.75;
  const minHits = options.minHits ?? 3;
  const minScore = options.minScore ?? 0;
  const gain = options.velocityGain ?? 0.35;
  let live: LiveTrack[] = [];
  const confirmed: LiveTrack[] = [];
  let nextId = 1;

  const ordered = [...frames].sort((a, b) => a.frame - b.frame);
  for (const f of ordered) {
    live = live.filter((t) => f.frame - t.lastFrame <= maxMissed);
    const people = f.people.filter((p) => p.score >= minScore && p.box.x2 > p.box.x1 && p.box.y2 > p.box.y1);
    // confirmed tracks first, so an established identity wins a tie with a tentative one
    live.sort((a, b) => (a.id === 0 ? 1 : 0) - (b.id === 0 ? 1 : 0) || a.id - b.id);
    const predictions = live.map((t) => predictBox(t, f.frame));
    const cost = live.map((t, i) => {
      const last = t.points.at(-1)!;
      const shiftX = t.vx * (f.frame - t.lastFrame);
      const shiftY = t.vy * (f.frame - t.lastFrame);
      return people.map((p) => {
        const c = matchCost(predictions[i]!, p.box, { lastKeypoints: last.keypoints, keypoints: p.keypoints, shiftX, shiftY, missed: f.frame - t.lastFrame - 1 });
        // a tentative track is slightly less attractive than a confirmed one
        return t.id === 0 ? c + 0.02 : c;
      });
    });
    const matches = solveAssignment(cost, maxCost);
    const taken = new Set<number>();
    for (const m of matches) {
      const t = live[m.row]!;
      const person = people[m.col]!;
      taken.add(m.col);
      const dt = f.frame - t.lastFrame;
      const predicted = boxCentre(predictions[m.row]!);
      const measured = boxCentre(person.box);
      // alpha-beta update: position = the detection; velocity corrected by the prediction error
      const k = t.hits === 1 ? 1 : Math.max(gain, 1 / t.hits);
      t.vx += (k * (measured.x - predicted.x)) / dt;
      t.vy += (k * (measured.y - predicted.y)) / dt;
      t.points.push({ frame: f.frame, box: person.box, score: person.score, keypoints: person.keypoints });
      t.lastFrame = f.frame;
      t.hits++;
      if (t.id === 0 && t.hits >= minHits) {
        t.id = nextId++;
        confirmed.push(t);
      }
    }
    const claimed = matches.map((m) => people[m.col]!.box);
    const unmatched = people.map((person, i) => ({ person, i })).filter(({ i }) => !taken.has(i));
    unmatched.sort((a, b) => b.person.score - a.person.score || a.i - b.i);
    for (const { person } of unmatched) {
      // a second detection of someone already matched or just born (a duplicate) starts nothing
      if (claimed.some((b) => iou(b, person.box) > 0.6)) continue;
      claimed.push(person.box);
      const t: LiveTrack = { id: 0, points: [{ frame: f.frame, box: person.box, score: person.score, keypoints: person.keypoints }], vx: 0, vy: 0, hits: 1, lastFrame: f.frame };
      if (minHits <= 1) {
        t.id = nextId++;
        confirmed.push(t);
      }
      live.push(t);
    }
  }
  return confirmed.map((t) => ({ id: t.id, points: t.points }));
}
