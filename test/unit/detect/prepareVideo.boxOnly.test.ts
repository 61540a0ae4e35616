import { describe, expect, it } from 'vitest';
import { paperScoreThreshold, planStage1 } from '../../../src-main/detect/prepareVideo.js';
import type { DetectionRun } from '../../../src-main/domain/detectionTypes.js';
import { box, frames, person } from '../../helpers/syntheticDetections.js';

/**
 * Stage 1's middle on box-only detections, as CenterNet gives them (no keypoints): a walker
 * crossing from right to left at CenterNet-like scores (0.7) and a person jumping in place
 * on the left at 0.4.
 */
const run: DetectionRun = {
  width: 1280,
  height: 720,
  fps: 30,
  frameCount: 90,
  detector: 'centernet',
  backend: 'test',
  frames: frames(90, (f) => {
    const up = 60 * Math.abs(Math.sin((f * Math.PI) / 20));
    return [person(box(300, 250 - up, 380, 500 - up), 0.4), person(box(1100 - f * 8, 200, 1180 - f * 8, 560), 0.7)];
  }),
};

describe('stage 1 with a box-only detector (CenterNet)', () => {
  it('the paper rule takes 0.5 as the confident-person score for CenterNet (0.3 MoveNet, 0.8 Faster R-CNN)', () => {
    expect(paperScoreThreshold('centernet')).toBe(0.5);
    expect(paperScoreThreshold('movenet-multipose')).toBe(0.3);
    expect(paperScoreThreshold('faster-rcnn')).toBe(0.8);
  });

  it('walker mode follows the walker from boxes alone', () => {
    const { pick, plan, tracks } = planStage1(run, { mode: 'pad', size: 256 });
    expect(tracks).toHaveLength(2);
    expect(pick.selection).toBe('walker');
    expect(pick.points.map((p) => p.box.x1).slice(0, 3)).toEqual([1100, 1092, 1084]);
    expect(pick.points.every((p) => p.keypoints.length === 0)).toBe(true);
    expect(plan.coverage).toEqual({ frames: 90, detected: 90, interpolated: 0, betweenDetections: 0, missing: 0 });
  });

  it('paper mode keeps only boxes scoring above 0.5: the walker, not the 0.4 jumper', () => {
    const { pick } = planStage1(run, { mode: 'pad', size: 256, patient: 'paper' });
    expect(pick.reason).toContain('above 0.5');
    expect(pick.points).toHaveLength(90);
    expect(pick.points[0]!.box.x1).toBe(1100);
  });
});
