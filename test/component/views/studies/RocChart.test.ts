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
  it('draws one curve per rater with a curve: models dashed and underneath, readers solid on top, distinct colours, each operating point', () => {
    const { container } = render(RocChart, {
      raters: [
        rater('dr-a', false, { fpr: [0, 0.5, 1], tpr: [0, 1, 1] }, 1, 0.5),
        rater('model:m', true, { fpr: [0, 0, 0.5, 1], tpr: [0, 0.5, 1, 1] }, 0.5, 1),
        rater('dr-b', false, null, 0, 1),
        rater('dr-c', false, { fpr: [0, 0, 0.5, 1], tpr: [0, 0.5, 1, 1] }, 0.5, 1), // the same curve as the model's
      ],
    });
    const lines = [...container.querySelectorAll('polyline')];
    // drawn in this order: the model first (underneath), then the readers
    expect(lines.map((l) => l.getAttribute('data-rater'))).toEqual(['model:m', 'dr-a', 'dr-c']);
    // plot area: x = 40 + fpr * 268, y = 12 + (1 - tpr) * 268
    expect(lines[0]!.getAttribute('points')).toBe('40.0,280.0 40.0,146.0 174.0,12.0 308.0,12.0');
    expect(lines[0]!.getAttribute('stroke-dasharray')).toBe('6 3');
    expect(lines[1]!.hasAttribute('stroke-dasharray')).toBe(false);
    expect(lines[2]!.hasAttribute('stroke-dasharray')).toBe(false);
    // dr-c lies exactly on the model's curve and is drawn after it, so it stays visible
    expect(lines[2]!.getAttribute('points')).toBe(lines[0]!.getAttribute('points'));
    const colours = lines.map((l) => l.getAttribute('stroke'));
    expect(new Set(colours).size).toBe(3);
    const dots = [...container.querySelectorAll('circle')].map((c) => [c.getAttribute('cx'), c.getAttribute('cy')]);
    expect(dots).toEqual([['40', '146'], ['174', '12'], ['40', '146']]);
    const legend = [...container.querySelectorAll('figcaption li')];
    expect(legend.map((li) => li.textContent)).toEqual(['model:m (model) · AUROC 0.875', 'dr-a · AUROC 0.875', 'dr-c · AUROC 0.875']);
    expect(legend[0]!.querySelector('.swatch')!.classList.contains('dashed')).toBe(true);
    expect(legend[1]!.querySelector('.swatch')!.classList.contains('dashed')).toBe(false);
    expect(container.textContent).not.toContain('dr-b');
  });

  it('gives the AUROC in the legend when only its interval is undefined', () => {
    const r = { ...rater('dr-a', false, { fpr: [0, 0.5, 1], tpr: [0, 1, 1] }, 1, 0.5), auroc: { estimate: 0.75, lower: null, upper: null, variance: null } };
    const { container } = render(RocChart, { raters: [r] });
    expect(container.querySelector('figcaption li')!.textContent).toBe('dr-a · AUROC 0.750');
  });

  it('says why there is no curve', () => {
    const { container } = render(RocChart, { raters: [] });
    expect(container.textContent).toContain('No curve yet: no rater has rated both classes.');
  });
});
