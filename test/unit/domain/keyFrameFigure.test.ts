import { describe, expect, it } from 'vitest';
import type { Video } from '../../../src-main/contract/entities.js';
import type { KeypointName } from '../../../src-main/contract/measurements.js';
import { figureRegion, keypointsOnFrame, latestMeasuredVideo, postureLines } from '../../../src-main/domain/posture/keyFrameFigure.js';

const points = (entries: Array<[KeypointName, number, number]>) => new Map(entries.map(([name, x, y]) => [name, { x, y }]));

describe('the key frame figure', () => {
  it('reads one frame of the pose track, confident keypoints only', () => {
    const pose = { fps: 30, width: 640, height: 480, names: ['leftHip', 'rightHip'] as KeypointName[], frames: [4, 9], points: [1, 2, 0.9, 3, 4, 0.1, 10, 20, 0.5, 30, 40, 0.8] };
    expect([...keypointsOnFrame(pose, 9, 0.3)]).toEqual([['leftHip', { x: 10, y: 20 }], ['rightHip', { x: 30, y: 40 }]]);
    expect([...keypointsOnFrame(pose, 4, 0.3)]).toEqual([['leftHip', { x: 1, y: 2 }]]);
    expect(keypointsOnFrame(pose, 5, 0.3).size).toBe(0);
  });

  it('draws the trunk from the hip midpoint to the shoulder midpoint, and the vertical 30% of the trunk above the shoulders', () => {
    const lines = postureLines(points([['leftHip', 100, 300], ['rightHip', 110, 300], ['leftShoulder', 120, 100], ['rightShoulder', 130, 100], ['leftEar', 140, 60], ['leftKnee', 100, 400], ['leftAnkle', 95, 500]]));
    expect(lines.vertical).toEqual({ a: { x: 105, y: 300 }, b: { x: 105, y: 40 } });
    expect(lines.segments).toEqual([
      { part: 'trunk', a: { x: 105, y: 300 }, b: { x: 125, y: 100 } },
      { part: 'head', a: { x: 125, y: 100 }, b: { x: 140, y: 60 } },
      { part: 'left', a: { x: 100, y: 300 }, b: { x: 100, y: 400 } },
      { part: 'left', a: { x: 100, y: 400 }, b: { x: 95, y: 500 } },
    ]);
  });

  it('leaves out a line whose end was not seen, and has no vertical without shoulders', () => {
    const lines = postureLines(points([['rightHip', 10, 30], ['rightKnee', 12, 50]]));
    expect(lines.vertical).toBeNull();
    expect(lines.segments).toEqual([{ part: 'right', a: { x: 10, y: 30 }, b: { x: 12, y: 50 } }]);
  });

  it('frames the keypoints with 35% room, widened to the figure’s aspect', () => {
    // extent 100 wide, 400 tall → 135 × 540; aspect 3/4 wants 405 wide
    expect(figureRegion(points([['nose', 100, 100], ['leftAnkle', 200, 500]]), 3 / 4)).toEqual({ x: -52.5, y: 30, width: 405, height: 540 });
    // extent 400 wide, 100 tall → 540 × 135; aspect 3/4 wants 720 tall
    expect(figureRegion(points([['nose', 0, 0], ['leftAnkle', 400, 100]]), 3 / 4)).toEqual({ x: -70, y: -310, width: 540, height: 720 });
    expect(figureRegion(new Map(), 1)).toBeNull();
  });

  it('leads with the newest visit that has a measured original, its last import; undated videos count as older', () => {
    const video = (id: number, recordedOn: string | null, kind: Video['kind'] = 'original') => ({ id, kind, recordedOn, sourceVideoId: kind === 'original' ? null : 1 }) as Video;
    const videos = [video(1, '2026-01-10'), video(2, '2026-06-01'), video(3, '2026-06-01'), video(4, null), video(5, '2026-06-01', 'person-centred')];
    expect(latestMeasuredVideo(videos, () => true)?.id).toBe(3);
    expect(latestMeasuredVideo(videos, (id) => id !== 3)?.id).toBe(2);
    expect(latestMeasuredVideo(videos, (id) => id === 1 || id === 4)?.id).toBe(1);
    expect(latestMeasuredVideo(videos, (id) => id === 4)?.id).toBe(4);
    expect(latestMeasuredVideo(videos, () => false)).toBeUndefined();
  });
});
