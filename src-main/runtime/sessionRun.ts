import * as ort from 'onnxruntime-node';

/**
 * Runs a float32 input of `dims` through a session and returns the named output's values,
 * copied out of onnxruntime's buffer (both tensors are disposed before returning), or
 * undefined when the model returned no output of that name. `data` is used as it is, without a copy.
 */
export async function runFloat32(session: ort.InferenceSession, input: string, data: Float32Array, dims: readonly number[], output: string): Promise<Float32Array | undefined> {
  const tensor = new ort.Tensor('float32', data, dims);
  const results = await session.run({ [input]: tensor });
  tensor.dispose();
  const value = results[output];
  if (!value) return undefined;
  const copy = Float32Array.from(value.data as Float32Array);
  value.dispose();
  return copy;
}
