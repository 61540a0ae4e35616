import type { ModelName } from './modelFiles.js';
import { ConvertedGraph, type GraphSignature } from './onnx/convertedGraph.js';
import { loadDetectorGraph, tf, type BackendChoice } from './tfRuntime.js';

/**
 * One detector graph, ready to run on frames: the same RGB bytes in and the same output out
 * whether onnxruntime (the graph converted to ONNX) or a tfjs backend runs it, so the
 * detectors decode one way. `backend` says which, for the recorded result.
 */
export interface GraphRunner {
  readonly backend: string;
  /** `rgb`: height x width x 3 bytes. Returns the signature's output as floats. */
  run(rgb: Uint8Array, height: number, width: number): Promise<Float32Array>;
  dispose(): void;
}

export async function loadGraphRunner(name: ModelName, signature: GraphSignature, choice: BackendChoice): Promise<GraphRunner> {
  const { model, nodes, runtime } = await loadDetectorGraph(name, choice);
  if (runtime.backend === 'onnxruntime') {
    const converted = new ConvertedGraph(model, nodes, signature);
    return {
      backend: runtime.description,
      run: (rgb, height, width) => converted.run(rgb, height, width),
      dispose: () => {
        void converted.dispose();
        model.dispose();
      },
    };
  }
  return {
    backend: runtime.description,
    async run(rgb, height, width) {
      const raw = tf.tidy(() => {
        const pixels = signature.inputType === 'int32' ? Int32Array.from(rgb) : Float32Array.from(rgb);
        return model.execute(tf.tensor(pixels, [1, height, width, 3], signature.inputType), signature.output) as tf.Tensor;
      });
      // asynchronous read: the webgpu backend cannot read synchronously in Node (no OffscreenCanvas)
      const values = (await raw.data()) as Float32Array;
      raw.dispose();
      return values;
    },
    dispose: () => model.dispose(),
  };
}
