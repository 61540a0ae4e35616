import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { framesInWindow, temporalSubsampleIndices, uniformClipWindows } from '../../../src-main/domain/clipSampling.js';

const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/models/subsample_indices.json'), 'utf8')) as { torch: string; indices: Record<string, number[]> };

describe('stage 2 clip sampling', () => {
  it(`temporal subsample indices equal torch ${fixture.torch} for every clip length and T`, () => {
    for (const [key, expected] of Object.entries(fixture.indices)) {
      const [t, frames] = key.split(':').map(Number);
      expect(temporalSubsampleIndices(t!, frames!), key).toEqual(expected);
    }
  });

  it('cuts the video into consecutive windows that fit', () => {
    expect(uniformClipWindows(7.666667, 2)).toEqual([
      { index: 0, startSec: 0, endSec: 2 },
      { index: 1, startSec: 2, endSec: 4 },
      { index: 2, startSec: 4, endSec: 6 },
    ]);
    expect(uniformClipWindows(0.9, 1)).toEqual([]);
    expect(uniformClipWindows(3, 1)).toHaveLength(3);
  });

  it('takes the frames whose time lies in [start, end)', () => {
    const times = Array.from({ length: 60 }, (_, i) => i / 30);
    expect(framesInWindow(times, { startSec: 1, endSec: 2 })).toEqual(Array.from({ length: 30 }, (_, i) => 30 + i));
    const fifteen = Array.from({ length: 71 }, (_, i) => i / 15);
    expect(framesInWindow(fifteen, { startSec: 0, endSec: 1 })).toHaveLength(15);
  });
});
