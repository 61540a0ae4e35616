import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tf } from '../tfRuntime.js';
import { outputCount, outputName, type GraphFacts, type TensorFact, type TfDtype, type TfNode } from './tfGraph.js';
import { constantNodes, factsNeeded } from './tfGraphToOnnx.js';

/**
 * The tensors of a tfjs graph model the ONNX conversion reads, at one input size, evaluated
 * once with tfjs on a black frame: every constant and every result of shape arithmetic with
 * its values (what the conversion folds), and the shapes and types it asks for (factsNeeded).
 * Runs on whatever tfjs backend is started (wasm: about 0.1 s).
 */
export function evaluateGraphFacts(tf: Tf, model: GraphModel, nodes: readonly TfNode[], input: { name: string; shape: number[]; dtype: 'int32' | 'float32' }, outputs: readonly string[]): GraphFacts {
  const constants = constantNodes(nodes);
  const needed = factsNeeded(nodes, outputs);
  const tensors = new Map<string, TensorFact>();
  const fact = (t: Tensor, keepValues: boolean): TensorFact => ({
    shape: t.shape.slice(),
    dtype: t.dtype as TfDtype,
    ...(keepValues ? { values: t.dataSync() as Float32Array | Int32Array | Uint8Array } : {}),
  });
  const weights = model.weights;
  const computed: string[] = [];
  for (const node of nodes) {
    if (node.op === 'Placeholder') continue;
    if (node.op === 'Const') {
      const value = weights[node.name]?.[0];
      if (!value) throw new Error(`the constant ${node.name} has no value in the model's weights`);
      tensors.set(node.name, fact(value, true));
      continue;
    }
    for (let i = 0; i < outputCount(node); i++) {
      const name = outputName(node.name, i);
      if (constants.has(node.name) || needed.has(name)) computed.push(name);
    }
  }
  const results = tf.tidy(() => {
    const probe = tf.zeros(input.shape, input.dtype);
    const executed = model.execute({ [input.name]: probe }, computed);
    // tfjs returns a lone tensor, not a list, when one tensor is asked for
    return Array.isArray(executed) ? executed : [executed];
  });
  try {
    computed.forEach((name, i) => tensors.set(name, fact(results[i]!, constants.has(name.split(':')[0]!))));
  } finally {
    tf.dispose(results);
  }
  tensors.set(input.name, { shape: input.shape, dtype: input.dtype as TfDtype });
  return { tensors };
}
