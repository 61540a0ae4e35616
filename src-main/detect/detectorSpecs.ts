import { detectorNameSchema, type DetectorName } from '../contract/entities.js';
import { aspectInput, letterbox, type Letterbox } from '../domain/letterbox.js';

/**
 * What each of stage 1's person detectors takes and gives, as data: names, the default, input
 * size and shape, score threshold. Kept apart from the factory (detector.ts), so the detector
 * classes, the CLI and the services read the table without importing what loads the models.
 */
export const detectorNames = detectorNameSchema.options;
export type { DetectorName };
export const defaultDetector: DetectorName = 'movenet-multipose';

export function isDetectorName(value: unknown): value is DetectorName {
  return (detectorNames as readonly unknown[]).includes(value);
}

export interface DetectorSpec {
  /** Side of the square RGB input in pixels; for an `aspect` input, its long side. */
  inputSize: number;
  /**
   * `square`: the graph takes only inputSize x inputSize. `aspect`: it takes any width and
   * height in steps of 32 px, and gets the video's aspect (the long side at inputSize, the short
   * side rounded up to 32 px): less padding, less computation, the same scale.
   */
  input: 'square' | 'aspect';
  /** Person score below which detections are dropped unless the caller says otherwise. */
  defaultMinScore: number;
  keypoints: boolean;
  summary: string;
}

export const detectorSpecs: Record<DetectorName, DetectorSpec> = {
  'movenet-multipose': { inputSize: 256, input: 'aspect', defaultMinScore: 0.2, keypoints: true, summary: 'MoveNet MultiPose Lightning: boxes and 17 keypoints, up to 6 people' },
  // the converted graph fixes its input at 1 x 512 x 512 x 3
  centernet: { inputSize: 512, input: 'square', defaultMinScore: 0.3, keypoints: false, summary: 'CenterNet (COCO): person boxes only, no keypoints' },
};

/** Where a video's frames go in the detector's input: the letterbox for this detector and size. */
export function detectorLetterbox(name: DetectorName, sourceWidth: number, sourceHeight: number): Letterbox {
  const spec = detectorSpecs[name];
  if (spec.input === 'square') return letterbox(sourceWidth, sourceHeight, spec.inputSize);
  const { width, height } = aspectInput(sourceWidth, sourceHeight, spec.inputSize);
  return letterbox(sourceWidth, sourceHeight, width, height);
}
