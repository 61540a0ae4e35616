import { decodeBlazePose } from './blazePose.js';
import { loadGraphRunner } from './graphRunner.js';
import { decodeMoveNetPose } from './moveNetPose.js';
import { poseModelSpecs, type PoseModelName } from './poseModelSpecs.js';
import type { BackendChoice } from './tfRuntime.js';

/**
 * A single-person pose model behind one interface: a square RGB crop in, the contract's
 * keypoints out (x, y in the crop's input pixels, score). Loaded like the detectors: files
 * verified against resources/models.lock.json (a missing or altered file is refused with
 * MODEL_FILE_MISSING or MODEL_FILE_ALTERED), the tfjs graph converted to ONNX once per user
 * (the conversion cache) and run by onnxruntime on one thread.
 */
export interface PoseModel {
  readonly name: PoseModelName;
  readonly inputSize: number;
  /** How many keypoints estimate gives (17, or 21 with heels and toes). */
  readonly keypoints: number;
  /** What runs it, e.g. "onnxruntime (cpu)". */
  readonly backend: string;
  /** SHA-256 of the model's two files one after the other (`cat x.json x.bin | sha256sum`). */
  readonly sha256: string;
  /** `rgb`: inputSize x inputSize x 3 bytes. Returns keypoints x (x, y, score), x and y in input pixels. */
  estimate(rgb: Uint8Array): Promise<Float32Array>;
  /** Makes the session (converts or reads the cached graph), so the first frame does not wait. */
  prepare(): Promise<void>;
  /** Releases the session; resolves once it is released. */
  dispose(): Promise<void>;
}

export async function loadPoseModel(name: PoseModelName, backend: BackendChoice = 'onnxruntime'): Promise<PoseModel> {
  const spec = poseModelSpecs[name];
  const graph = await loadGraphRunner(name, spec.signature, backend);
  const size = spec.inputSize;
  return {
    name,
    inputSize: size,
    keypoints: spec.keypoints,
    backend: graph.backend,
    sha256: graph.modelSha256,
    async estimate(rgb) {
      if (rgb.length !== size * size * 3) throw new Error(`${name} needs a ${size}x${size} RGB crop (${size * size * 3} bytes), got ${rgb.length} bytes`);
      if (spec.family === 'movenet') return decodeMoveNetPose(await graph.run(rgb, size, size), size);
      const [landmarks, flag] = await graph.runOutputs(rgb, size, size);
      return decodeBlazePose(landmarks!, flag![0]!);
    },
    prepare: () => graph.prepare(size, size),
    dispose: () => graph.dispose(),
  };
}
