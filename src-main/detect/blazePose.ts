import { keypointNames } from '../contract/measurements.js';

/**
 * BlazePose GHUM (lite, full, heavy) landmarks: the ld_3d output holds 39 landmarks x 5
 * numbers, x, y and z in input pixels, then visibility and presence as logits; the
 * poseflag output is the probability that a pose is in the input at all. Decoded to the
 * contract's order (COCO's 17, then heels and toes) as x, y, score, x and y in input pixels.
 *
 * The score is sigmoid(visibility) x sigmoid(presence) x poseflag, as Human's blazepose.ts
 * scores a landmark (without its rounding down to hundredths).
 */

/** BlazePose's landmark index for each of the contract's keypoints. */
export const blazePoseIndexOf: Record<(typeof keypointNames)[number], number> = {
  nose: 0,
  leftEye: 2,
  rightEye: 5,
  leftEar: 7,
  rightEar: 8,
  leftShoulder: 11,
  rightShoulder: 12,
  leftElbow: 13,
  rightElbow: 14,
  leftWrist: 15,
  rightWrist: 16,
  leftHip: 23,
  rightHip: 24,
  leftKnee: 25,
  rightKnee: 26,
  leftAnkle: 27,
  rightAnkle: 28,
  leftHeel: 29,
  rightHeel: 30,
  // MediaPipe's "foot index": the tip of the foot
  leftToe: 31,
  rightToe: 32,
};

export const blazePoseLandmarks = 39;
const perLandmark = 5;

const sigmoid = (logit: number) => 1 / (1 + Math.exp(-logit));

export function decodeBlazePose(landmarks: ArrayLike<number>, poseFlag: number): Float32Array {
  if (landmarks.length !== blazePoseLandmarks * perLandmark) throw new Error(`BlazePose gives ${blazePoseLandmarks * perLandmark} landmark numbers (39 x x, y, z, visibility, presence), not ${landmarks.length}`);
  const points = new Float32Array(keypointNames.length * 3);
  keypointNames.forEach((name, k) => {
    const o = blazePoseIndexOf[name] * perLandmark;
    points[k * 3] = landmarks[o]!;
    points[k * 3 + 1] = landmarks[o + 1]!;
    points[k * 3 + 2] = sigmoid(landmarks[o + 3]!) * sigmoid(landmarks[o + 4]!) * poseFlag;
  });
  return points;
}
