import { keypointNames, type KeypointName, type PoseTrack } from '../../contract/measurements.js';

/**
 * Reading and writing a PoseTrack: per listed frame `names.length` keypoints of (x, y, score),
 * x and y in original image pixels (y down). Every posture module reads keypoints through
 * these few functions, so the flat layout is known in one place.
 */

export interface Keypoint {
  x: number;
  y: number;
  score: number;
}

/** The left/right keypoint pairs, left first. */
export const leftRightPairs: ReadonlyArray<readonly [KeypointName, KeypointName]> = [
  ['leftEye', 'rightEye'],
  ['leftEar', 'rightEar'],
  ['leftShoulder', 'rightShoulder'],
  ['leftElbow', 'rightElbow'],
  ['leftWrist', 'rightWrist'],
  ['leftHip', 'rightHip'],
  ['leftKnee', 'rightKnee'],
  ['leftAnkle', 'rightAnkle'],
  ['leftHeel', 'rightHeel'],
  ['leftToe', 'rightToe'],
];

/** Throws a sentence when the track's arrays do not fit together. */
export function checkPose(pose: PoseTrack): void {
  const k = pose.names.length;
  if (pose.points.length !== pose.frames.length * k * 3) {
    throw new RangeError(`a pose track of ${pose.frames.length} frames and ${k} keypoints needs ${pose.frames.length * k * 3} numbers, not ${pose.points.length}`);
  }
  for (let i = 1; i < pose.frames.length; i++) {
    if (!(pose.frames[i]! > pose.frames[i - 1]!)) throw new RangeError(`pose track frames must increase: ${pose.frames[i - 1]} then ${pose.frames[i]}`);
  }
  if (!(pose.fps > 0)) throw new RangeError(`a pose track needs a positive frame rate, not ${pose.fps}`);
  if (new Set(pose.names).size !== k) throw new RangeError('a pose track names each keypoint once');
}

/** Position of a keypoint in the track's names, or -1 when the model does not give it. */
export function keypointIndex(pose: PoseTrack, name: KeypointName): number {
  return pose.names.indexOf(name);
}

/** Indices into `pose.names` for every keypoint name (-1: not given). */
export function keypointIndices(pose: PoseTrack): Record<KeypointName, number> {
  const out = {} as Record<KeypointName, number>;
  for (const name of keypointNames) out[name] = pose.names.indexOf(name);
  return out;
}

/** Offset of (x, y, score) of keypoint `k` on the track's `i`-th listed frame. */
export function pointOffset(pose: PoseTrack, i: number, k: number): number {
  return (i * pose.names.length + k) * 3;
}

/** The keypoint `k` on the `i`-th listed frame. */
export function readKeypoint(pose: PoseTrack, i: number, k: number): Keypoint {
  const o = pointOffset(pose, i, k);
  return { x: pose.points[o]!, y: pose.points[o + 1]!, score: pose.points[o + 2]! };
}

/** A copy whose points can be changed without touching the input. */
export function copyPose(pose: PoseTrack): PoseTrack {
  return { fps: pose.fps, width: pose.width, height: pose.height, names: [...pose.names], frames: [...pose.frames], points: [...pose.points] };
}

/** Map from a timeline frame to its position in `pose.frames`. */
export function frameLookup(pose: PoseTrack): Map<number, number> {
  return new Map(pose.frames.map((frame, i) => [frame, i]));
}
