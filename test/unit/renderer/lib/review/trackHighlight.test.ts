import { describe, expect, it } from 'vitest';
import { boxStyle, boxesToDraw, scrollTopToShow } from '../../../../../src-renderer/lib/review/trackHighlight.js';
import type { BoxAt } from '../../../../../src-renderer/lib/review/overlayGeometry.js';

const walker: BoxAt = { id: 1, x1: 0, y1: 0, x2: 10, y2: 20, patient: false };
const patient: BoxAt = { id: 2, x1: 5, y1: 0, x2: 15, y2: 20, patient: true };
const third: BoxAt = { id: 3, x1: 9, y1: 0, x2: 19, y2: 20, patient: false };

describe('the selected track on the overlay', () => {
  it('draws the selected box thicker, solid and outlined; the others as before', () => {
    expect(boxStyle(walker, null)).toEqual({ colour: '#aed581', lineWidth: 2, dash: [6, 4], halo: false });
    expect(boxStyle(patient, null)).toEqual({ colour: '#ffd600', lineWidth: 3, dash: [], halo: false });
    expect(boxStyle(walker, 1)).toEqual({ colour: '#aed581', lineWidth: 4, dash: [], halo: true });
    expect(boxStyle(patient, 2)).toEqual({ colour: '#ffd600', lineWidth: 4, dash: [], halo: true });
    expect(boxStyle(walker, 2)).toEqual({ colour: '#aed581', lineWidth: 2, dash: [6, 4], halo: false });
  });

  it('draws the selected box last, and only it while the boxes are hidden', () => {
    expect(boxesToDraw([walker, third, patient], 1, true)).toEqual([third, patient, walker]);
    expect(boxesToDraw([walker, third, patient], null, true)).toEqual([walker, third, patient]);
    expect(boxesToDraw([walker, third, patient], 3, false)).toEqual([third]);
    expect(boxesToDraw([walker, third, patient], null, false)).toEqual([]);
    expect(boxesToDraw([walker, patient], 7, true)).toEqual([walker, patient]);
  });
});

describe('scrolling the list of people to the selected row', () => {
  // a list 100 px high, rows 20 px high
  it('leaves a row in view where it is', () => {
    expect(scrollTopToShow(0, 100, 40, 20)).toBe(0);
    expect(scrollTopToShow(60, 100, 140, 20)).toBe(60);
  });

  it('brings a row above into view at the top, one below at the bottom', () => {
    expect(scrollTopToShow(60, 100, 20, 20)).toBe(20);
    expect(scrollTopToShow(0, 100, 180, 20)).toBe(100);
    expect(scrollTopToShow(0, 100, 90, 20)).toBe(10);
    expect(scrollTopToShow(0, 10, 0, 20)).toBe(0);
  });
});
