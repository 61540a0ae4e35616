import type { FrameDetections } from '../detectionTypes.js';
import type { TrackPoint } from './tracker.js';

/**
 * The reference code's rule (Walk_Video_PyTorch, batch_detection.py), kept for ablation:
 * the first time people are found, keep the shorter box (the patient walks farther from the
 * camera than the accompanying doctor); afterwards keep the box whose centre x is nearest the
 * previous centre; if only one box is found and its centre jumps more than `maxJumpPx`, drop
 * it; frames without a kept box are dropped.
 */
export function paperHeuristic(frames: readonly FrameDetections[], options: { minScore?: number; maxJumpPx?: number } = {}): TrackPoint[] {
  const minScore = options.minScore ?? 0.3;
  const maxJump = options.maxJumpPx ?? 100;
  const kept: TrackPoint[] = [];
  let previousX: number | undefined;
  for (const f of frames) {
    const people = f.people.filter((p) => p.score >= minScore);
    if (people.length === 0) continue;
    const cx = (b: { x1: number; x2: number }) => (b.x1 + b.x2) / 2;
    let chosen = people[0]!;
    if (previousX === undefined) {
      for (const p of people) if (p.box.y2 - p.box.y1 < chosen.box.y2 - chosen.box.y1) chosen = p;
    } else if (people.length > 1) {
      for (const p of people) if (Math.abs(cx(p.box) - previousX) < Math.abs(cx(chosen.box) - previousX)) chosen = p;
    } else if (Math.abs(cx(chosen.box) - previousX) > maxJump) {
      continue;
    }
    previousX = cx(chosen.box);
    kept.push({ frame: f.frame, box: chosen.box, score: chosen.score, keypoints: chosen.keypoints });
  }
  return kept;
}
