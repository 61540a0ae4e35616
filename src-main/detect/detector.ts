import { detectorNameSchema, type DetectorName } from '../contract/entities.js';
import type { PersonDetection } from '../domain/detectionTypes.js';
import type { Letterbox } from '../domain/letterbox.js';
import type { BackendChoice } from './backendOrder.js';

/**
 * Stage 1's person detectors behind one interface: a letterboxed RGB square in, people in
 * source pixels out. MoveNet MultiPose (default) gives boxes and 17 keypoints; CenterNet
 * gives person boxes only (keypoints empty).
 */
export const detectorNames = detectorNameSchema.options;
export type { DetectorName };
export const defaultDetector: DetectorName = 'movenet-multipose';

export function isDetectorName(value: unknown): value is DetectorName {
  return (detectorNames as readonly unknown[]).includes(value);
}

export interface DetectorSpec {
  /** Side of the square RGB input in pixels. */
  inputSize: number;
  /** Person score below which detections are dropped unless the caller says otherwise. */
  defaultMinScore: number;
  keypoints: boolean;
  summary: string;
}

export const detectorSpecs: Record<DetectorName, DetectorSpec> = {
  'movenet-multipose': { inputSize: 256, defaultMinScore: 0.2, keypoints: true, summary: 'MoveNet MultiPose Lightning: boxes and 17 keypoints, up to 6 people' },
  centernet: { inputSize: 512, defaultMinScore: 0.3, keypoints: false, summary: 'CenterNet (COCO): person boxes only, no keypoints' },
};

export interface Detector {
  readonly name: DetectorName;
  readonly inputSize: number;
  /** The tfjs backend in use, described (e.g. "wasm", "webgpu (google swiftshader ...)"). */
  readonly backend: string;
  /** `rgb`: inputSize x inputSize x 3 bytes (a letterboxed frame). Coordinates come back in source pixels. */
  detect(rgb: Uint8Array, box: Letterbox, minScore?: number): Promise<PersonDetection[]>;
  dispose(): void;
}

/** Loads a detector (model files verified against resources/models.lock.json) on a tfjs backend. */
export async function loadDetector(name: DetectorName = defaultDetector, backend: BackendChoice = 'auto'): Promise<Detector> {
  if (name === 'centernet') {
    const { CenterNet } = await import('./centerNet.js');
    return CenterNet.load(backend);
  }
  if (name === 'movenet-multipose') {
    const { MoveNetMultiPose } = await import('./moveNetMultiPose.js');
    return MoveNetMultiPose.load(backend);
  }
  throw new Error(`unknown detector "${String(name)}" (use ${detectorNames.join(' or ')})`);
}
