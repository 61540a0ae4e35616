import * as ort from 'onnxruntime-node';

/** A model input or output as onnxruntime reads it: a tensor with its element type and shape (symbolic dimensions as names), or another value. */
export type ValueMetadata = ort.InferenceSession.ValueMetadata;

export interface ModelMetadata {
  inputNames: readonly string[];
  outputNames: readonly string[];
  inputMetadata: readonly ValueMetadata[];
  outputMetadata: readonly ValueMetadata[];
  /** The version of onnxruntime that loaded the model, for the bundle's check record. */
  runtimeVersion: string;
}

/**
 * Loads a model file on the CPU provider, with onnxruntime's own log silenced, reads its
 * inputs and outputs and releases it: the load check of a model bundle. Throws what
 * onnxruntime throws when the file does not load.
 */
export async function readModelMetadata(modelPath: string): Promise<ModelMetadata> {
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], logSeverityLevel: 4 });
  try {
    return {
      inputNames: session.inputNames,
      outputNames: session.outputNames,
      inputMetadata: session.inputMetadata,
      outputMetadata: session.outputMetadata,
      runtimeVersion: ort.env.versions.common,
    };
  } finally {
    await session.release();
  }
}
