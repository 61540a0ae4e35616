import { describe, expect, it } from 'vitest';
import { placeReadingWindow } from '../../../../src-main/domain/studies/readingWindow.js';
import { mulberry32 } from '../../../../src-main/domain/studies/seededOrder.js';

describe('placeReadingWindow: a reading clip inside the patient segments', () => {
  it('places the window from the seed over every admissible start, and maps it onto the person-centred clip', () => {
    // segments of 30 and 90 frames: a 1 s (30 frame) window has 1 start in the first, 61 in the second
    const segments = [{ startFrame: 30, endFrame: 59 }, { startFrame: 90, endFrame: 179 }];
    const pick = Math.floor(mulberry32(7)() * 62);
    const w = placeReadingWindow(segments, 1, 7)!;
    const first = pick === 0 ? 30 : 90 + pick - 1;
    const inClip = pick === 0 ? 0 : 30 + pick - 1;
    expect(w).toEqual({
      original: { startSec: Math.round((first / 30) * 1000) / 1000, endSec: Math.round(((first + 30) / 30) * 1000) / 1000 },
      personCentred: { startSec: Math.round((inClip / 30) * 1000) / 1000, endSec: Math.round(((inClip + 30) / 30) * 1000) / 1000 },
      shortened: false,
    });
  });

  it('never crosses a gap: over 2000 seeds every window lies inside one segment', () => {
    const segments = [{ startFrame: 0, endFrame: 44 }, { startFrame: 100, endFrame: 160 }, { startFrame: 300, endFrame: 310 }];
    const seen = new Set<number>();
    for (let seed = 0; seed < 2000; seed++) {
      const w = placeReadingWindow(segments, 1, seed)!;
      const a = Math.round(w.original.startSec * 30);
      const b = Math.round(w.original.endSec * 30) - 1;
      expect(segments.some((s) => a >= s.startFrame && b <= s.endFrame)).toBe(true);
      seen.add(a);
    }
    // every admissible start is reached: 16 in the first segment, 32 in the second, none in the 11-frame third
    expect(seen.size).toBe(16 + 32);
  });

  it("uses stage 1's recorded clip offsets when given", () => {
    const w = placeReadingWindow([{ startFrame: 200, endFrame: 229, outputStartFrame: 12 }], 1, 1)!;
    expect(w.original).toEqual({ startSec: 6.667, endSec: 7.667 });
    expect(w.personCentred).toEqual({ startSec: 0.4, endSec: 1.4 });
  });

  it('shows the longest segment whole when none is long enough, and says so', () => {
    const w = placeReadingWindow([{ startFrame: 0, endFrame: 9 }, { startFrame: 50, endFrame: 69 }], 1, 3)!;
    expect(w).toEqual({ original: { startSec: 1.667, endSec: 2.333 }, personCentred: { startSec: 0.333, endSec: 1 }, shortened: true });
    expect(placeReadingWindow([], 1, 3)).toBeUndefined();
  });
});
