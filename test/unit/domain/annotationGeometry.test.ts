import { describe, expect, it } from 'vitest';
import { angleAt, annotationValue, tiltFromImageVertical } from '../../../src-main/domain/annotationGeometry.js';

describe('what a drawn line, angle or vertical reference measures', () => {
  it('the angle at the vertex, whichever order the rays were clicked in', () => {
    expect(angleAt({ x: 10, y: 0 }, { x: 0, y: 0 }, { x: 0, y: 10 })).toBeCloseTo(90, 12);
    expect(angleAt({ x: 0, y: 10 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBeCloseTo(90, 12);
    expect(angleAt({ x: 10, y: 0 }, { x: 0, y: 0 }, { x: 10, y: 10 })).toBeCloseTo(45, 12);
    expect(angleAt({ x: 10, y: 0 }, { x: 0, y: 0 }, { x: -10, y: 0 })).toBeCloseTo(180, 12);
    expect(angleAt({ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 1, y: 1 })).toBeUndefined();
  });

  it('the tilt of a line from the image vertical: clockwise (top to the right) positive, either end first', () => {
    expect(tiltFromImageVertical({ x: 100, y: 0 }, { x: 100, y: 50 })).toBe(0);
    expect(tiltFromImageVertical({ x: 110, y: 0 }, { x: 100, y: 10 })).toBeCloseTo(45, 12);
    expect(tiltFromImageVertical({ x: 100, y: 10 }, { x: 110, y: 0 })).toBeCloseTo(45, 12);
    expect(tiltFromImageVertical({ x: 90, y: 0 }, { x: 100, y: Math.tan((80 * Math.PI) / 180) * 10 })).toBeCloseTo(-10, 9);
    expect(tiltFromImageVertical({ x: 3, y: 3 }, { x: 3, y: 3 })).toBeUndefined();
  });

  it('each kind of annotation', () => {
    expect(annotationValue({ kind: 'line', a: { x: 0, y: 0 }, b: { x: 3, y: 4 } })).toBe(5);
    expect(annotationValue({ kind: 'angle', a: { x: 1, y: 0 }, vertex: { x: 0, y: 0 }, b: { x: 0, y: 1 } })).toBeCloseTo(90, 12);
    expect(annotationValue({ kind: 'vertical', a: { x: 0, y: 0 }, b: { x: 0, y: 9 } })).toBe(0);
    expect(annotationValue({ kind: 'line', a: { x: 2, y: 2 }, b: { x: 2, y: 2 } })).toBeUndefined();
  });
});
