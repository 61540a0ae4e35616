import type { FrameDetections, PersonDetection } from '../detectionTypes.js';
import type { TrackPoint } from './tracker.js';

/**
 * The reference code's rule (Walk_Video_PyTorch, project/prepare_video/batch_detection.py,
 * `get_frame_box`), kept as an ablation mode. Per frame, people scoring above `minScore`
 * (the reference: > 0.8, some versions 0.9 or 0.95), in descending score order as
 * detectron2 returns them:
 * - exactly two: the first time anyone is kept, keep the shorter box (the patient walks
 *   farther from the camera than the accompanying doctor; on equal heights the first box);
 *   afterwards keep the box whose centre x is nearest the previous kept centre (on a tie the
 *   second box);
 * - exactly one: keep it if nothing was kept yet or its centre x is less than `maxJumpPx`
 *   (100) from the previous kept centre, otherwise drop the frame;
 * - none, or three and more: drop the frame.
 * Every kept box becomes the new previous centre. Dropped frames are left out of the clip.
 */
export interface PaperHeuristicOptions {
  /** Detections must score strictly above this (default 0.8). */
  minScore?: number;
  /** A lone box whose centre moved this far (px) or more is dropped (default 100). */
  maxJumpPx?: number;
}

const centreX = (p: PersonDetection) => p.box.x1 + (p.box.x2 - p.box.x1) / 2;
const height = (p: PersonDetection) => p.box.y2 - p.box.y1;

export function paperHeuristic(frames: readonly FrameDetections[], options: PaperHeuristicOptions = {}): TrackPoint[] {
  const minScore = options.minScore ?? 0.8;
  const maxJump = options.maxJumpPx ?? 100;
  const kept: TrackPoint[] = [];
  let previousX: number | undefined;
  for (const f of [...frames].sort((a, b) => a.frame - b.frame)) {
    const people = f.people.filter((p) => p.score > minScore).sort((a, b) => b.score - a.score);
    let chosen: PersonDetection | undefined;
    if (people.length === 2) {
      const [a, b] = people as [PersonDetection, PersonDetection];
      if (previousX === undefined) chosen = height(a) > height(b) ? b : a;
      else chosen = Math.abs(centreX(a) - previousX) < Math.abs(centreX(b) - previousX) ? a : b;
    } else if (people.length === 1) {
      const only = people[0]!;
      if (previousX === undefined || Math.abs(centreX(only) - previousX) < maxJump) chosen = only;
    }
    if (!chosen) continue;
    previousX = centreX(chosen);
    kept.push({ frame: f.frame, box: chosen.box, score: chosen.score, keypoints: chosen.keypoints });
  }
  return kept;
}
