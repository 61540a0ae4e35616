import { describe, expect, it } from 'vitest';
import { decodeCenterNet, intersectionOverUnion } from '../../../src-main/detect/centerNetDecode.js';

/** Rows as the model's tower_0/detections gives them: x1, y1, x2, y2 (input pixels), score, class. */
const rows = (...r: number[][]) => Float32Array.from(r.flat());

describe('CenterNet output decoding', () => {
  it('keeps people (class 0) above the score, as fractions of the input, strongest first', () => {
    const out = decodeCenterNet(
      rows(
        [128, 64, 256, 448, 0.5, 0], // person
        [0, 0, 64, 64, 0.9, 2], // a car: not a person
        [320, 96, 384, 480, 0.75, 0], // person, stronger
        [10, 10, 20, 20, 0.25, 0], // person below the threshold
      ),
      { inputSize: 512, minScore: 0.3 },
    );
    expect(out).toEqual([
      { x1: 0.625, y1: 0.1875, x2: 0.75, y2: 0.9375, score: 0.75 },
      { x1: 0.25, y1: 0.125, x2: 0.5, y2: 0.875, score: 0.5 },
    ]);
  });

  it('removes a weaker duplicate peak of the same person (IoU above 0.4) and keeps a neighbour', () => {
    const out = decodeCenterNet(
      rows(
        [100, 100, 200, 300, 0.8, 0],
        [110, 100, 210, 300, 0.6, 0], // IoU 180/220 = 0.818 with the first: dropped
        [190, 100, 290, 300, 0.5, 0], // IoU 10/190 = 0.053: kept
      ),
      { inputSize: 400, minScore: 0.1 },
    );
    expect(out).toEqual([
      { x1: 0.25, y1: 0.25, x2: 0.5, y2: 0.75, score: 0.800000011920929 },
      { x1: 0.475, y1: 0.25, x2: 0.725, y2: 0.75, score: 0.5 },
    ]);
  });

  it('clamps boxes to the input square and drops empty ones', () => {
    const out = decodeCenterNet(rows([-8, -4, 520, 256, 0.5, 0], [300, 300, 300, 310, 0.9, 0]), { inputSize: 512, minScore: 0.2 });
    expect(out).toEqual([{ x1: 0, y1: 0, x2: 1, y2: 0.5, score: 0.5 }]);
  });

  it('stops at maxDetected and returns nothing for no people', () => {
    const many = rows(...Array.from({ length: 5 }, (_, i) => [i * 100, 0, i * 100 + 50, 100, 0.9 - i * 0.1, 0]));
    expect(decodeCenterNet(many, { inputSize: 500, minScore: 0.1, maxDetected: 2 }).map((b) => b.x1)).toEqual([0, 0.2]);
    expect(decodeCenterNet(rows([0, 0, 10, 10, 0.9, 56]), { inputSize: 512, minScore: 0.1 })).toEqual([]);
    expect(decodeCenterNet(new Float32Array(0), { inputSize: 512, minScore: 0.1 })).toEqual([]);
  });

  it('refuses output that is not whole rows, and a bad input size, in words', () => {
    expect(() => decodeCenterNet(new Float32Array(7), { inputSize: 512, minScore: 0.1 })).toThrow('CenterNet output has 7 values, not a whole number of 6-value rows');
    expect(() => decodeCenterNet(new Float32Array(6), { inputSize: 0, minScore: 0.1 })).toThrow('CenterNet input size must be positive, not 0');
  });

  it('intersection over union on worked examples', () => {
    const a = { x1: 0, y1: 0, x2: 2, y2: 2, score: 1 };
    expect(intersectionOverUnion(a, { x1: 1, y1: 1, x2: 3, y2: 3, score: 1 })).toBe(1 / 7);
    expect(intersectionOverUnion(a, a)).toBe(1);
    expect(intersectionOverUnion(a, { x1: 2, y1: 0, x2: 4, y2: 2, score: 1 })).toBe(0);
  });
});
