import { describe, expect, it } from 'vitest';
import { savitzkyGolay } from '../../../../src-main/domain/posture/savitzkyGolay.js';

describe('Savitzky-Golay', () => {
  it("window 5, degree 2 in the interior: the classic weights (-3, 12, 17, 12, -3) / 35", () => {
    const out = savitzkyGolay([0, 0, 0, 0, 35, 0, 0, 0, 0], { window: 5, order: 2 });
    expect(out.slice(2, 7).map((v) => Math.round(v! * 1e9) / 1e9)).toEqual([-3, 12, 17, 12, -3]);
  });
  it('is exact for a polynomial of its degree, also at the run ends', () => {
    const cubic = Array.from({ length: 20 }, (_, i) => 0.01 * i ** 3 - 0.2 * i ** 2 + i - 4);
    savitzkyGolay(cubic, { window: 11, order: 3 }).forEach((v, i) => expect(v).toBeCloseTo(cubic[i]!, 9));
  });
  it('a gap stays a gap; each run is fitted on its own (a run of one sample is left as it is)', () => {
    const out = savitzkyGolay([1, 2, 3, null, 10, null, 4, 4], { window: 5, order: 2 });
    expect(out[3]).toBeNull();
    expect(out[5]).toBeNull();
    expect(out[4]).toBe(10);
    [1, 2, 3].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 12));
    expect(out[6]).toBeCloseTo(4, 12);
    expect(out[7]).toBeCloseTo(4, 12);
  });
  it('refuses an even window and a degree as large as the window', () => {
    expect(() => savitzkyGolay([1], { window: 4, order: 2 })).toThrow('a Savitzky-Golay window is an odd number >= 3, not 4');
    expect(() => savitzkyGolay([1], { window: 5, order: 5 })).toThrow('a Savitzky-Golay degree is a whole number below the window, not 5');
  });
});
