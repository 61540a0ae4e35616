import { describe, expect, it } from 'vitest';
import { chartKeyAction } from '../../../../../src-renderer/lib/review/chartKeys.js';

describe('the keys of a chart on the review clock', () => {
  it('arrows choose from the item playing when none is chosen, then step within the items', () => {
    expect(chartKeyAction('ArrowRight', -1, 2, 5)).toEqual({ kind: 'choose', index: 2 });
    expect(chartKeyAction('ArrowRight', -1, -1, 5)).toEqual({ kind: 'choose', index: 0 });
    expect(chartKeyAction('ArrowLeft', -1, -1, 5)).toEqual({ kind: 'choose', index: 4 });
    expect(chartKeyAction('ArrowLeft', -1, 3, 5)).toEqual({ kind: 'choose', index: 3 });
    expect(chartKeyAction('ArrowRight', 4, 0, 5)).toEqual({ kind: 'choose', index: 4 });
    expect(chartKeyAction('ArrowLeft', 0, 0, 5)).toEqual({ kind: 'choose', index: 0 });
    expect(chartKeyAction('ArrowRight', 1, 0, 5)).toEqual({ kind: 'choose', index: 2 });
  });
  it('Home, End, Enter; other keys and an empty chart do nothing', () => {
    expect(chartKeyAction('Home', 3, 1, 5)).toEqual({ kind: 'choose', index: 0 });
    expect(chartKeyAction('End', 0, 1, 5)).toEqual({ kind: 'choose', index: 4 });
    expect(chartKeyAction('Enter', 3, 1, 5)).toEqual({ kind: 'seek', index: 3 });
    expect(chartKeyAction('Enter', -1, -1, 5)).toEqual({ kind: 'seek', index: 0 });
    expect(chartKeyAction('a', 1, 1, 5)).toBeNull();
    expect(chartKeyAction('ArrowRight', -1, -1, 0)).toBeNull();
  });
});
