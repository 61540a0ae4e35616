import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/svelte';
import RocChart from '../../../../src-renderer/views/studies/RocChart.svelte';
import type { StudyResults } from '../../../../src-main/contract/entities.js';

type Rater = NonNullable<StudyResults['comparison']>['raters'][number];
afterEach(() => cleanup());

const interval = (estimate: number) => ({ estimate, lower: estimate, upper: estimate });
function rater(name: string, isModel: boolean, roc: Rater['roc'], sensitivity: number, specificity: number): Rater {
  return {
    rater: name, isModel, cases: 4, positives: 2, negatives: 2, callsFrom: 'call column', confusion: { tp: 1, fn: 1, fp: 0, tn: 2 },
    accuracy: interval(0.75), sensitivity: interval(sensitivity), specificity: interval(specificity), precision: interval(1), f1: interval(0.67),
    balancedAccuracy: interval(0.75), auroc: roc ? { ...interval(0.875), variance: 0.01 } : null, averagePrecision: null, youden: null, roc, notes: [],
  } as Rater;
}

describe('ROC chart of a study', () => {
  it('draws one curve per rater with a curve, solid for the model and dashed for readers, and each operating point', () => {
    const { container } = render(RocChart, {
      raters: [
        rater('model:m', true, { fpr: [0, 0, 0.5, 1], tpr: [0, 0.5, 1, 1] }, 0.5, 1),
        rater('dr-a', false, { fpr: [0, 0.5, 1], tpr: [0, 1, 1] }, 1, 0.5),
        rater('dr-b', false, null, 0, 1),
      ],
    });
    const lines = container.querySelectorAll('polyline');
    expect(lines).toHaveLength(2);
    // plot area: x = 40 + fpr * 268, y = 12 + (1 - tpr) * 268
    expect(lines[0]!.getAttribute('points')).toBe('40.0,280.0 40.0,146.0 174.0,12.0 308.0,12.0');
    expect(lines[0]!.hasAttribute('stroke-dasharray')).toBe(false);
    expect(lines[1]!.getAttribute('stroke-dasharray')).toBe('6 3');
    const dots = [...container.querySelectorAll('circle')].map((c) => [c.getAttribute('cx'), c.getAttribute('cy')]);
    expect(dots).toEqual([['40', '146'], ['174', '12']]);
    expect(container.textContent).toContain('model:m (model) · AUROC 0.875');
    expect(container.textContent).not.toContain('dr-b');
  });

  it('says why there is no curve', () => {
    const { container } = render(RocChart, { raters: [] });
    expect(container.textContent).toContain('No curve yet: no rater has rated both classes.');
  });
});
