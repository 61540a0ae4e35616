import type { Box, FrameDetections, Keypoint } from '../detectionTypes.js';

/**
 * A multi-person tracker: each frame's people are matched to existing tracks by a cost that
 * mixes box overlap (IoU against the track's constant-velocity prediction) and the distance of
 * centres relative to the person's height; matches are made greedily from the best pair
 * (optimal for the few, well-separated people of a gait video). Tracks unmatched for more than
 * `maxMissed` frames end; unmatched people start new tracks. Ids are stable and start at 1.
 */
export interface TrackPoint {
  frame: number;
  box: Box;
  score: number;
  keypoints: Keypoint[];
}

export interface Track {
  id: number;
  points: TrackPoint[];
}

export interface TrackerOptions {
  maxMissed?: number;
  /** Matches whose cost exceeds this are refused (0 = perfect, 1 = no overlap and far away). */
  maxCost?: number;
}

export function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union <= 0 ? 0 : inter / union;
}

const centre = (b: Box) => ({ x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2 });

function predict(track: Track, frame: number): Box {
  const last = track.points.at(-1)!;
  const previous = track.points.at(-2);
  if (!previous) return last.box;
  const dt = last.frame - previous.frame;
  const ahead = frame - last.frame;
  const v = (k: keyof Box) => ((last.box[k] - previous.box[k]) / dt) * ahead;
  return { x1: last.box.x1 + v('x1'), y1: last.box.y1 + v('y1'), x2: last.box.x2 + v('x2'), y2: last.box.y2 + v('y2') };
}

export function matchCost(predicted: Box, candidate: Box): number {
  const a = centre(predicted);
  const b = centre(candidate);
  const height = Math.max(1, predicted.y2 - predicted.y1, candidate.y2 - candidate.y1);
  const distance = Math.min(1, Math.hypot(a.x - b.x, a.y - b.y) / height);
  return 0.5 * (1 - iou(predicted, candidate)) + 0.5 * distance;
}

export function trackPeople(frames: readonly FrameDetections[], options: TrackerOptions = {}): Track[] {
  const maxMissed = options.maxMissed ?? 15;
  const maxCost = options.maxCost ?? 0.7;
  const active: Track[] = [];
  const all: Track[] = [];
  let nextId = 1;
  for (const f of frames) {
    const live = active.filter((t) => f.frame - t.points.at(-1)!.frame <= maxMissed);
    const pairs: Array<{ t: Track; p: number; cost: number }> = [];
    for (const t of live) {
      const predicted = predict(t, f.frame);
      f.people.forEach((person, p) => {
        const cost = matchCost(predicted, person.box);
        if (cost <= maxCost) pairs.push({ t, p, cost });
      });
    }
    pairs.sort((a, b) => a.cost - b.cost);
    const usedTracks = new Set<Track>();
    const usedPeople = new Set<number>();
    for (const pair of pairs) {
      if (usedTracks.has(pair.t) || usedPeople.has(pair.p)) continue;
      usedTracks.add(pair.t);
      usedPeople.add(pair.p);
      const person = f.people[pair.p]!;
      pair.t.points.push({ frame: f.frame, box: person.box, score: person.score, keypoints: person.keypoints });
    }
    f.people.forEach((person, p) => {
      if (usedPeople.has(p)) return;
      const track: Track = { id: nextId++, points: [{ frame: f.frame, box: person.box, score: person.score, keypoints: person.keypoints }] };
      all.push(track);
      active.push(track);
    });
    active.splice(0, active.length, ...active.filter((t) => f.frame - t.points.at(-1)!.frame <= maxMissed));
  }
  return all;
}
