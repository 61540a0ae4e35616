/**
 * Shapes shared by stage 1's detector, tracker, patient choice and crop plan.
 * All coordinates are in original video pixels (after rotation), origin top-left.
 */

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** One COCO-17 keypoint: position in original pixels and the detector's confidence 0..1. */
export interface Keypoint {
  x: number;
  y: number;
  score: number;
}

/** COCO keypoint order used by MoveNet (index = position in `keypoints`). */
export const cocoKeypointNames = [
  'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
  'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
  'left_wrist', 'right_wrist', 'left_hip', 'right_hip',
  'left_knee', 'right_knee', 'left_ankle', 'right_ankle',
] as const;

/** One person found in one frame. `keypoints` is empty for box-only detectors. */
export interface PersonDetection {
  box: Box;
  score: number;
  keypoints: Keypoint[];
}

/** Everything the detector found on one frame of the 30 fps timeline. */
export interface FrameDetections {
  /** Index on the 30 fps output timeline (0-based). */
  frame: number;
  /** Time in seconds of that frame (frame / 30). */
  time: number;
  people: PersonDetection[];
}

/** Facts about the decoded frames the detections refer to. */
export interface DetectionRun {
  /** Display width and height of the source after rotation. */
  width: number;
  height: number;
  fps: number;
  /**
   * The detector saw every `stride`-th frame of the timeline (0, k, 2k, ...): `frames` lists
   * those only. Absent = 1, every frame.
   */
  stride?: number;
  /** Length of the whole timeline (detected or not). */
  frameCount: number;
  detector: string;
  backend: string;
  frames: FrameDetections[];
}
