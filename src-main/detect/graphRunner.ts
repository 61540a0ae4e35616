import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import { loadModelFiles, type ModelName } from './modelFiles.js';
import { detectorCacheDir } from './onnx/conversionCache.js';
import { ConvertedGraph, signatureOutputs, type GraphSignature } from './onnx/convertedGraph.js';
import { graphModelFromFiles, graphNodes, loadTf, startTf, startTfForConversion, type BackendChoice } from './tfRuntime.js';

/**
 * One detector or pose model graph, ready to run on frames: the same RGB bytes in and the same output out
 * whether onnxruntime (the graph converted to ONNX) or a tfjs backend runs it, so the
 * detectors and pose models decode one way. `backend` says which, for the recorded result.
 */
export interface GraphRunner {
  readonly backend: string;
  /** The verified model files' one digest (LoadedModelFiles.sha256Both), for provenance. */
  readonly modelSha256: string;
  /** `rgb`: height x width x 3 bytes. Returns the signature's output as floats. */
  run(rgb: Uint8Array, height: number, width: number): Promise<Float32Array>;
  /** Every output of the signature (the first is run's), as floats. */
  runOutputs(rgb: Uint8Array, height: number, width: number): Promise<Float32Array[]>;
  /** Gets ready for frames of this size (onnxruntime: the converted session), so the first frame does not wait. */
  prepare(height: number, width: number): Promise<void>;
  /** Releases the session(s); resolves once onnxruntime has let go of them. */
  dispose(): Promise<void>;
}

/** Loads a detector's or pose model's graph (files verified against the lock) on the backend chosen for `choice`. */
export async function loadGraphRunner(name: ModelName, signature: GraphSignature, choice: BackendChoice): Promise<GraphRunner> {
  const runtime = await startTf(choice);
  const files = loadModelFiles(name);
  if (runtime.backend === 'onnxruntime') {
    const converted = new ConvertedGraph(
      {
        model: name,
        sha256: files.sha256,
        loadGraph: async () => {
          await startTfForConversion();
          return { tf: await loadTf(), model: await graphModelFromFiles(files), nodes: graphNodes(files) };
        },
      },
      signature,
      { cacheDir: detectorCacheDir() },
    );
    return {
      backend: runtime.description,
      modelSha256: files.sha256Both,
      run: (rgb, height, width) => converted.run(rgb, height, width),
      runOutputs: (rgb, height, width) => converted.runOutputs(rgb, height, width),
      prepare: async (height, width) => {
        await converted.session(height, width);
      },
      dispose: () => converted.dispose(),
    };
  }
  const tf = await loadTf();
  const model = await graphModelFromFiles(files);
  const outputs = signatureOutputs(signature);
  const scale = signature.inputScale;
  const runOutputs = async (rgb: Uint8Array, height: number, width: number): Promise<Float32Array[]> => {
    const raw = tf.tidy(() => {
      const pixels = signature.inputType === 'int32' ? Int32Array.from(rgb) : scale === undefined ? Float32Array.from(rgb) : Float32Array.from(rgb, (v) => v * scale);
      const result = model.execute(tf.tensor(pixels, [1, height, width, 3], signature.inputType), outputs);
      return Array.isArray(result) ? result : [result];
    }) as TfTensor[];
    // asynchronous read: the webgpu backend cannot read synchronously in Node (no OffscreenCanvas)
    const values = (await Promise.all(raw.map((t) => t.data()))) as Float32Array[];
    tf.dispose(raw);
    return values;
  };
  return {
    backend: runtime.description,
    modelSha256: files.sha256Both,
    run: async (rgb, height, width) => (await runOutputs(rgb, height, width))[0]!,
    runOutputs,
    prepare: async () => {},
    dispose: async () => model.dispose(),
  };
}
