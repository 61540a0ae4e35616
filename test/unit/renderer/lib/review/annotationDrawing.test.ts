import { describe, expect, it } from 'vitest';
import { angleArc, formatAnnotationValue, imagePointAt, pointsNeeded, pointsOf, shapeOf, toolNames, valueAnchor } from '../../../../../src-renderer/lib/review/annotationDrawing.js';
import { containFit } from '../../../../../src-renderer/lib/review/overlayGeometry.js';

describe('clicks on the letterboxed original', () => {
  it('become points of the picture, to a tenth of a pixel', () => {
    const half = containFit(1280, 720, 640, 360);
    expect(imagePointAt(half, 1280, 720, 100, 50)).toEqual({ x: 200, y: 100 });
    expect(imagePointAt(half, 1280, 720, 33.3333, 0)).toEqual({ x: 66.7, y: 0 });
  });

  it('outside the picture (the letterbox bands) are no point', () => {
    const boxed = containFit(1280, 720, 640, 480); // 60 px bands above and below
    expect(imagePointAt(boxed, 1280, 720, 100, 50)).toBeNull();
    expect(imagePointAt(boxed, 1280, 720, 100, 70)).toEqual({ x: 200, y: 20 });
    expect(imagePointAt({ scale: 0, x: 0, y: 0 }, 1280, 720, 1, 1)).toBeNull();
  });
});

describe('shapes from clicks', () => {
  const a = { x: 1, y: 2 };
  const b = { x: 3, y: 4 };
  const c = { x: 5, y: 6 };

  it('needs two points for a line or a vertical and three for an angle (end, vertex, end)', () => {
    expect(pointsNeeded).toEqual({ line: 2, angle: 3, vertical: 2 });
    expect(toolNames).toEqual({ line: 'Line', angle: 'Angle', vertical: 'Vertical reference' });
    expect(shapeOf('line', [a])).toBeNull();
    expect(shapeOf('line', [a, b])).toEqual({ kind: 'line', a, b });
    expect(shapeOf('vertical', [a, b])).toEqual({ kind: 'vertical', a, b });
    expect(shapeOf('angle', [a, b])).toBeNull();
    expect(shapeOf('angle', [a, b, c])).toEqual({ kind: 'angle', a, vertex: b, b: c });
    expect(pointsOf({ kind: 'angle', a, vertex: b, b: c })).toEqual([a, b, c]);
    expect(pointsOf({ kind: 'line', a, b })).toEqual([a, b]);
  });
});

describe('what is written and drawn', () => {
  it('writes values in words: degrees, pixels, the tilt of a vertical reference', () => {
    expect(formatAnnotationValue('angle', 90)).toBe('90.0°');
    expect(formatAnnotationValue('line', 152.34)).toBe('152.3 px');
    expect(formatAnnotationValue('vertical', 2.14)).toBe('2.1° clockwise from the image vertical');
    expect(formatAnnotationValue('vertical', -3)).toBe('3.0° counter-clockwise from the image vertical');
    expect(formatAnnotationValue('vertical', 0.01)).toBe('0.0° (the image vertical)');
    expect(formatAnnotationValue('vertical', 2.14, 'ja')).toBe('画像の鉛直から時計回りに 2.1°');
    expect(formatAnnotationValue('angle', 90, 'ja')).toBe('90.0°');
  });

  it('arcs an angle at its vertex, a third of its shorter ray at most', () => {
    const right = { kind: 'angle' as const, a: { x: 100, y: 0 }, vertex: { x: 0, y: 0 }, b: { x: 0, y: 30 } };
    expect(angleArc(right, 40)).toBe('M 10 0 A 10 10 0 0 1 0 10');
    expect(angleArc({ ...right, b: { x: 0, y: 300 } }, 20)).toBe('M 20 0 A 20 20 0 0 1 0 20');
  });

  it('writes the value beside the vertex of an angle and past the middle of a line', () => {
    expect(valueAnchor({ kind: 'angle', a: { x: 0, y: 0 }, vertex: { x: 50, y: 50 }, b: { x: 100, y: 0 } }, 10)).toEqual({ x: 60, y: 40 });
    expect(valueAnchor({ kind: 'line', a: { x: 0, y: 0 }, b: { x: 100, y: 50 } }, 10)).toEqual({ x: 60, y: 25 });
  });
});
