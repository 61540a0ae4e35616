import { describe, expect, it } from 'vitest';
import { formatPrepareSummary } from '../../../src-main/cli/prepareSummary.js';
import type { PreparedFile } from '../../../src-main/detect/prepareFolder.js';

/** A prepared video as prepareFolder reports it, with only what the summary reads filled in. */
function prepared(relativePath: string, stride: number, coverage: { frames: number; detected: number; interpolated: number; betweenDetections: number; missing: number }): PreparedFile {
  const outputFrames = coverage.detected + coverage.interpolated + coverage.betweenDetections;
  return {
    input: `/data/${relativePath}`,
    relativePath,
    group: relativePath.split('/')[0]!,
    output: `/out/${relativePath}`,
    error: null,
    seconds: 4,
    result: {
      stride,
      detector: 'movenet-multipose',
      backend: 'wasm x2 threads',
      coverage,
      outputFrames,
      fps: 30,
      selection: 'walker',
      patientTrackId: 2,
      patientTrackIds: [2],
      segments: [{ startFrame: 0, endFrame: outputFrames - 1, startSec: 0, endSec: outputFrames / 30, detected: coverage.detected, interpolated: coverage.interpolated, betweenDetections: coverage.betweenDetections, outputStartFrame: 0 }],
    } as unknown as PreparedFile['result'],
  };
}

describe('the prepare summary table', () => {
  it('shows the stride and counts frames between detections apart from detected and gap-filled ones', () => {
    const text = formatPrepareSummary([
      prepared('ASD/a.mp4', 5, { frames: 300, detected: 57, interpolated: 3, betweenDetections: 240, missing: 0 }),
      prepared('ASD/b.mp4', 1, { frames: 300, detected: 270, interpolated: 15, betweenDetections: 0, missing: 15 }),
    ]);
    expect(text.split('\n')).toEqual([
      'video      status  patient  frames  stride  seen  between  filled  segments   time  speed  note',
      '---------  ------  -------  ------  ------  ----  -------  ------  --------  -----  -----  ----',
      'ASD/a.mp4  ok      track 2     300       5   19%      80%      1%         1  4.0 s   2.5x',
      'ASD/b.mp4  ok      track 2     285       1   90%       0%      5%         1  4.0 s   2.5x',
      '',
      'ASD/: 2 of 2 prepared',
      'detector: movenet-multipose on wasm x2 threads',
    ]);
  });
});
