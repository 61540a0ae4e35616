import { describe, expect, it } from 'vitest';
import { planStage1, prepareVideo } from '../../../src-main/detect/prepareVideo.js';
import type { DetectionRun } from '../../../src-main/domain/detectionTypes.js';
import { box, frames, person } from '../../helpers/syntheticDetections.js';

/** 4 s: a walker crossing from right to left, and from the start a shorter person jumping in place on the left. */
const run: DetectionRun = {
  width: 1280,
  height: 720,
  fps: 30,
  frameCount: 120,
  detector: 'movenet-multipose',
  backend: 'test',
  frames: frames(120, (f) => {
    const up = 60 * Math.abs(Math.sin((f * Math.PI) / 20));
    return [
      person(box(300, 250 - up, 380, 500 - up), 0.5),
      ...(f >= 10 && f !== 50 && f !== 51 ? [person(box(1100 - f * 8, 200, 1180 - f * 8, 560), 0.45)] : []),
    ];
  }),
};

describe('planStage1: tracks, patient and crop plan from detections', () => {
  it('walker mode: the walker, with short gaps filled', () => {
    const { pick, plan, tracks } = planStage1(run, { mode: 'pad', size: 256 });
    expect(tracks).toHaveLength(2);
    expect(pick.selection).toBe('walker');
    expect(pick.points[0]!.box.x1).toBe(1100 - 10 * 8);
    expect(plan.segments).toEqual([{ startFrame: 10, endFrame: 119, detected: 108, interpolated: 2, betweenDetections: 0, outputStartFrame: 0 }]);
    expect(plan.coverage).toEqual({ frames: 120, detected: 108, interpolated: 2, betweenDetections: 0, missing: 10 });
  });

  it('stride 3: the same walker from every third frame; frames between detections counted apart from the missed one', () => {
    const strided: DetectionRun = { ...run, stride: 3, frames: run.frames.filter((f) => f.frame % 3 === 0) };
    const { pick, plan, tracks } = planStage1(strided, { mode: 'pad', size: 256 });
    expect(tracks).toHaveLength(2);
    expect(pick.selection).toBe('walker');
    // first seen on detection frame 12; detection frame 51 misses her (a gap-filled frame)
    expect(pick.points[0]!.box.x1).toBe(1100 - 12 * 8);
    expect(pick.points).toHaveLength(35);
    // 12..117 detected every 3rd frame, 118 and 119 (no detection frame follows 117) hold the last box
    expect(plan.segments).toEqual([{ startFrame: 12, endFrame: 119, detected: 35, interpolated: 1, betweenDetections: 72, outputStartFrame: 0 }]);
    expect(plan.coverage).toEqual({ frames: 120, detected: 35, interpolated: 1, betweenDetections: 72, missing: 12 });
    expect(plan.frames.filter((f) => f.betweenDetections).every((f) => f.frame % 3 !== 0)).toBe(true);
    expect(plan.frames.find((f) => f.frame === 51)).toMatchObject({ interpolated: true, betweenDetections: false });
  });

  it('stride 3 and the paper rule: refused in words (the reference detects every frame)', () => {
    const strided: DetectionRun = { ...run, stride: 3, frames: run.frames.filter((f) => f.frame % 3 === 0) };
    expect(() => planStage1(strided, { mode: 'pad', size: 256, patient: 'paper' })).toThrowError(expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringContaining('every frame') }));
  });

  it("paper mode: the reference rule keeps the first lone person, here the one jumping (its known weakness), and drops nothing it can keep", () => {
    const { pick, plan } = planStage1(run, { mode: 'pad', size: 256, patient: 'paper' });
    expect(pick.selection).toBe('paper');
    expect(pick.reason).toContain('above 0.3'); // MoveNet's equivalent of the reference's 0.8
    expect(pick.points[0]!.box.x1).toBe(300);
    expect(plan.coverage.interpolated).toBe(0);
    expect(plan.frames[0]!.canvas.width).toBe(Math.trunc(500) - Math.trunc(250)); // integer geometry
  });

  it('prepareVideo refuses a bad stride, or a stride with the paper rule, in words before touching the file', async () => {
    await expect(prepareVideo('/nonexistent.mp4', '/nonexistent-out.mp4', { mode: 'pad', size: 256, stride: 7 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('the detection stride must be a whole number of frames from 1 to 5 (detect every k-th frame), not 7'),
    });
    await expect(prepareVideo('/nonexistent.mp4', '/nonexistent-out.mp4', { mode: 'pad', size: 256, stride: 3, patient: 'paper' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining("the reference code's rule detects every frame: give no stride (or 1) with it, not 3"),
    });
  });

  it('override: the track asked for; an unknown id is TRACK_NOT_FOUND', () => {
    const { tracks } = planStage1(run, { mode: 'crop', size: 256 });
    const jumper = tracks.find((t) => t.points[0]!.box.x1 === 300)!;
    expect(planStage1(run, { mode: 'crop', size: 256, patient: jumper.id }).pick).toMatchObject({ selection: 'override', patientTrackId: jumper.id });
    expect(() => planStage1(run, { mode: 'crop', size: 256, patient: 42 })).toThrowError(expect.objectContaining({ code: 'TRACK_NOT_FOUND' }));
  });

  it('nobody: NO_PERSON_FOUND', () => {
    const empty: DetectionRun = { ...run, frames: frames(120, () => []) };
    expect(() => planStage1(empty, { mode: 'pad', size: 256 }, 'empty.mp4')).toThrowError(expect.objectContaining({ code: 'NO_PERSON_FOUND', message: expect.stringContaining('empty.mp4') }));
    expect(() => planStage1(empty, { mode: 'pad', size: 256, patient: 'paper' })).toThrowError(expect.objectContaining({ code: 'NO_PERSON_FOUND' }));
  });
});
