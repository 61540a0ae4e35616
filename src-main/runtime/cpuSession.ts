import * as ort from 'onnxruntime-node';

/**
 * A plain onnxruntime CPU session over model bytes held in memory, with its options in one
 * place: stage 1 runs its converted detector graphs with it, the measurement step its converted
 * pose models (detect/onnx/convertedGraph.ts).
 * Stage 2's sessions over model files, on the provider chosen, are in openSession.ts.
 */
export interface CpuSession {
  /** Runs `input` (uint8 bytes of `dims`) and returns `output` as floats. */
  runBytes(input: string, bytes: Uint8Array, dims: readonly number[], output: string): Promise<Float32Array>;
  /** The same with several outputs, in the order asked for. */
  runBytesOutputs(input: string, bytes: Uint8Array, dims: readonly number[], outputs: readonly string[]): Promise<Float32Array[]>;
  release(): Promise<void>;
}

export async function openCpuSession(model: Uint8Array, threads: number): Promise<CpuSession> {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    // all: includes the NCHWc layout that makes MoveNet 1.7x faster than 'extended' here
    graphOptimizationLevel: 'all',
    // no busy-waiting threads: other workers and ffmpeg need the cores
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  return {
    async runBytes(input, bytes, dims, output) {
      const results = await session.run({ [input]: new ort.Tensor('uint8', bytes, dims) });
      return results[output]!.data as Float32Array;
    },
    async runBytesOutputs(input, bytes, dims, outputs) {
      const results = await session.run({ [input]: new ort.Tensor('uint8', bytes, dims) }, [...outputs]);
      return outputs.map((o) => results[o]!.data as Float32Array);
    },
    release: () => session.release(),
  };
}

/** Whether onnxruntime-node's native binding loads on this machine. */
export async function onnxRuntimeLoads(): Promise<boolean> {
  try {
    await import('onnxruntime-node');
    return true;
  } catch {
    return false; // no native binary for this platform
  }
}
