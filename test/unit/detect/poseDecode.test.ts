import { describe, expect, it } from 'vitest';
import { keypointNames } from '../../../src-main/contract/measurements.js';
import { blazePoseIndexOf, decodeBlazePose } from '../../../src-main/detect/blazePose.js';
import { decodeMoveNetPose } from '../../../src-main/detect/moveNetPose.js';
import { poseModelKeypointNames } from '../../../src-main/detect/poseModelSpecs.js';

describe("decoding the pose models' outputs", () => {
  it('MoveNet SinglePose: y, x, score as fractions of the input become x, y in input pixels and the score', () => {
    const output = new Float32Array(51);
    output.set([0.25, 0.5, 0.9], 0); // nose: y 0.25, x 0.5
    output.set([1, 0, 0.1], 16 * 3); // right ankle: bottom-left corner
    const points = decodeMoveNetPose(output, 256);
    expect(Array.from(points.slice(0, 3))).toEqual([128, 64, Math.fround(0.9)]);
    expect(Array.from(points.slice(48, 51))).toEqual([0, 256, Math.fround(0.1)]);
    expect(() => decodeMoveNetPose(new Float32Array(50), 256)).toThrow('MoveNet SinglePose gives 51 numbers (17 x y, x, score), not 50');
  });

  it("BlazePose: 39 landmarks x (x, y, z, visibility, presence) to the contract's order, score = sigmoid(visibility) x sigmoid(presence) x poseflag", () => {
    const landmarks = new Float32Array(39 * 5);
    for (let i = 0; i < 39; i++) landmarks.set([i, 100 + i, -i, 0, 0], i * 5);
    landmarks.set([10, 20, 0, Math.log(3), Math.log(1 / 3)], 29 * 5); // left heel: sigmoid 0.75 and 0.25
    const points = decodeBlazePose(landmarks, 0.5);
    expect(points).toHaveLength(21 * 3);
    // COCO's left hip is BlazePose's 23, the right ankle its 28; logits 0: score 0.5 x 0.5 x 0.5
    expect(Array.from(points.slice(11 * 3, 11 * 3 + 3))).toEqual([23, 123, 0.125]);
    expect(Array.from(points.slice(16 * 3, 16 * 3 + 3))).toEqual([28, 128, 0.125]);
    expect(points[17 * 3]).toBe(10);
    expect(points[17 * 3 + 1]).toBe(20);
    expect(points[17 * 3 + 2]).toBeCloseTo(0.75 * 0.25 * 0.5, 6);
    // the toes are the "foot index" landmarks 31 and 32
    expect(Array.from(points.slice(20 * 3, 20 * 3 + 2))).toEqual([32, 132]);
    expect(keypointNames.map((n) => blazePoseIndexOf[n])).toEqual([0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]);
    expect(() => decodeBlazePose(new Float32Array(194), 1)).toThrow('BlazePose gives 195 landmark numbers');
  });

  it('a model without feet gives the first 17 names', () => {
    expect(poseModelKeypointNames('movenet-thunder')).toEqual(keypointNames.slice(0, 17));
    expect(poseModelKeypointNames('blazepose-full')).toEqual([...keypointNames]);
  });
});
