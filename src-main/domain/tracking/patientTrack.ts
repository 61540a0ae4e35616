import type { Box } from '../detectionTypes.js';
import type { Track } from './tracker.js';

/**
 * Which track is the patient: the person who walks. A walker moves steadily along the
 * ground: a large net displacement of the box's foot point, sustained over many frames, with
 * a consistent size. Someone standing, or jumping in place, moves up and down but gets
 * nowhere. Score = net horizontal-or-depth travel (in body heights) x presence (seconds).
 */
export interface TrackAssessment {
  id: number;
  frames: number;
  /** Net travel of the foot point, in median body heights. */
  travel: number;
  /** Up-and-down motion of the box top relative to its travel (jumping, bending). */
  bounce: number;
  score: number;
}

const foot = (b: Box) => ({ x: (b.x1 + b.x2) / 2, y: b.y2 });

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!;
}

export function assessTracks(tracks: readonly Track[], fps: number): TrackAssessment[] {
  return tracks.map((t) => {
    const heights = t.points.map((p) => p.box.y2 - p.box.y1);
    const h = Math.max(1, median(heights));
    const k = Math.max(1, Math.floor(t.points.length / 5));
    const startPts = t.points.slice(0, k).map((p) => foot(p.box));
    const endPts = t.points.slice(-k).map((p) => foot(p.box));
    const start = { x: median(startPts.map((p) => p.x)), y: median(startPts.map((p) => p.y)) };
    const end = { x: median(endPts.map((p) => p.x)), y: median(endPts.map((p) => p.y)) };
    // depth walking (toward or away from the camera) shows as a change of apparent height
    const heightChange = Math.abs(median(t.points.slice(-k).map((p) => p.box.y2 - p.box.y1)) - median(t.points.slice(0, k).map((p) => p.box.y2 - p.box.y1))) / h;
    const travel = Math.hypot(end.x - start.x, end.y - start.y) / h + heightChange;
    const tops = t.points.map((p) => p.box.y1);
    const bounce = (Math.max(...tops) - Math.min(...tops)) / h;
    const seconds = t.points.length / fps;
    const score = travel * Math.sqrt(seconds) / (1 + Math.max(0, bounce - travel));
    return { id: t.id, frames: t.points.length, travel, bounce, score };
  });
}

export function choosePatient(tracks: readonly Track[], fps: number): { id: number; reason: string; assessments: TrackAssessment[] } | undefined {
  const assessments = assessTracks(tracks, fps).sort((a, b) => b.score - a.score);
  const best = assessments[0];
  if (!best) return undefined;
  return {
    id: best.id,
    reason: `track ${best.id} travels ${best.travel.toFixed(1)} body heights over ${(best.frames / fps).toFixed(1)} s, more steadily than the ${assessments.length - 1} other track(s)`,
    assessments,
  };
}
