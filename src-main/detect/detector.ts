import type { PersonDetection } from '../domain/detectionTypes.js';
import type { Letterbox } from '../domain/letterbox.js';
import type { BackendChoice } from './backendOrder.js';
import { defaultDetector, detectorNames, type DetectorName } from './detectorSpecs.js';

/**
 * Stage 1's person detectors behind one interface: a letterboxed RGB frame in, people in
 * source pixels out. MoveNet MultiPose (default) gives boxes and 17 keypoints; CenterNet
 * gives person boxes only (keypoints empty). What each takes is in detectorSpecs.ts.
 */
export interface Detector {
  readonly name: DetectorName;
  readonly inputSize: number;
  /** What runs the graph, described (e.g. "onnxruntime (cpu)", "wasm", "webgpu (google swiftshader ...)"). */
  readonly backend: string;
  /** `rgb`: box.inputWidth x box.inputHeight x 3 bytes (a letterboxed frame, see detectorLetterbox). Coordinates come back in source pixels. */
  detect(rgb: Uint8Array, box: Letterbox, minScore?: number): Promise<PersonDetection[]>;
  /** Gets ready for frames letterboxed this way (onnxruntime: the converted graph's session), so the first frame does not wait. */
  prepare(box: Letterbox): Promise<void>;
  /** Releases what runs the graph; resolves once it is released. */
  dispose(): Promise<void>;
}

/**
 * Loads a detector (model files verified against resources/models.lock.json) on the backend
 * chosen (see backendOrder.ts). The detector classes do not import this file (with the dynamic
 * imports below that would be an import circle): returning them as a Detector here is what
 * checks that they fit the interface.
 */
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
