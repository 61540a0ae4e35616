import { describe, expect, it } from 'vitest';
import { markBoxAt } from '../../../../src-renderer/views/studies/patientMark.js';
import { formatLocalDateTime, formatPercent } from '../../../../src-renderer/lib/format.js';
import { aurocText } from '../../../../src-renderer/views/studies/raterFigures.js';

const mark = { fps: 30, width: 1920, height: 1080, frames: [60, 45, 46], boxes: [900, 300, 1200, 1050, 300, 150, 600, 900, 330, 150, 630, 900] };

describe("the patient's mark at a time", () => {
  it('takes frame round(t * fps) and the nearest listed frame, in any order', () => {
    expect(markBoxAt(mark, 1.5)).toEqual({ frame: 45, x1: 300, y1: 150, x2: 600, y2: 900 });
    expect(markBoxAt(mark, 1.53)).toMatchObject({ frame: 46 }); // 45.9 rounds to 46
    expect(markBoxAt(mark, 1.9)).toMatchObject({ frame: 60 }); // 57: 60 is nearer than 46
    expect(markBoxAt(mark, 1.75)).toMatchObject({ frame: 46 }); // 52.5 -> 53: 46 is 7 away, 60 is 7 away; the earlier frame wins, whatever the order
  });

  it('draws nothing more than half a second from any listed frame, or on a malformed mark', () => {
    expect(markBoxAt(mark, 3)).toBeNull(); // frame 90, 30 frames past 60
    expect(markBoxAt({ ...mark, frames: [] , boxes: [] }, 1.5)).toBeNull();
    expect(markBoxAt({ ...mark, boxes: [1, 2, 3] }, 1.5)).toBeNull();
    expect(markBoxAt(mark, Number.NaN)).toBeNull();
  });
});

describe('display formats of the study screens', () => {
  it('writes a moment in local time as day, short month, year and a 24-hour clock', () => {
    expect(formatLocalDateTime(new Date(2026, 11, 30, 14, 5).toISOString())).toBe('30 Dec 2026 14:05');
    expect(formatLocalDateTime(new Date(2027, 0, 3, 9, 0).toISOString())).toBe('3 Jan 2027 09:00');
    expect(formatLocalDateTime(null)).toBe('—');
    expect(formatLocalDateTime('not a date')).toBe('—');
    expect(formatPercent(0.734)).toBe('73%');
    expect(formatPercent(null)).toBe('—');
  });

  it('keeps an AUROC estimate whose interval is undefined', () => {
    const base = { roc: { fpr: [0, 0, 1], tpr: [0, 1, 1] } } as any;
    expect(aurocText({ ...base, auroc: { estimate: 0.9, lower: 0.8, upper: 0.95, variance: 0.001 } })).toBe('0.900 (0.800–0.950)');
    expect(aurocText({ ...base, auroc: { estimate: 0.9, lower: null, upper: null, variance: null } })).toBe('0.900 (CI undefined)');
    expect(aurocText({ ...base, auroc: { estimate: 0.9, lower: Number.NaN, upper: 1, variance: 0 } })).toBe('0.900 (CI undefined)');
    expect(aurocText({ ...base, auroc: null })).toBe('—');
    expect(aurocText({ roc: null, auroc: null } as any)).toBe('—');
  });
});
