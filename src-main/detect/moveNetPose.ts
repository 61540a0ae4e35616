import { cocoKeypointCount } from '../contract/measurements.js';

/**
 * MoveNet SinglePose (Thunder, Lightning): output [1, 1, 17, 3], per COCO keypoint y, x and
 * score, y and x as fractions of the square input. Decoded to 17 x (x, y, score) with x and y
 * in input pixels (0..inputSize), the form every pose model's decoder gives.
 */
export function decodeMoveNetPose(output: ArrayLike<number>, inputSize: number): Float32Array {
  if (output.length !== cocoKeypointCount * 3) throw new Error(`MoveNet SinglePose gives ${cocoKeypointCount * 3} numbers (17 x y, x, score), not ${output.length}`);
  const points = new Float32Array(cocoKeypointCount * 3);
  for (let k = 0; k < cocoKeypointCount; k++) {
    points[k * 3] = output[k * 3 + 1]! * inputSize;
    points[k * 3 + 1] = output[k * 3]! * inputSize;
    points[k * 3 + 2] = output[k * 3 + 2]!;
  }
  return points;
}
