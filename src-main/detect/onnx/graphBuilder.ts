import type { AttributeValue, OnnxNode, OnnxTensor, OnnxTypeName } from '../../runtime/onnxProto.js';
import type { GraphFacts, TensorFact, TfDtype, TfNode } from './tfGraph.js';

/** TensorFlow's types in ONNX: int32 becomes int64, the type ONNX wants for indices and shapes. */
export const onnxTypeOf: Record<TfDtype, OnnxTypeName> = { float32: 'float', int32: 'int64', bool: 'bool' };

function bytesOf(values: ArrayLike<number>, type: OnnxTypeName): Uint8Array {
  // float weights are used as they are (a view, no copy): they are megabytes
  if (type === 'float' && values instanceof Float32Array) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (type === 'float') return new Uint8Array(Float32Array.from(values).buffer);
  if (type === 'int64') return new Uint8Array(BigInt64Array.from(Array.from(values, (v) => BigInt(Math.trunc(v)))).buffer);
  if (type === 'int32') return new Uint8Array(Int32Array.from(values).buffer);
  return Uint8Array.from(values, (v) => (v ? 1 : 0));
}

/**
 * The ONNX graph being written: nodes in the order emitted, initializers (the graph's
 * constants on first use, and the converter's own), and the facts of the TensorFlow graph.
 * Names made here (constants, temporaries) take a number from one counter, so the same
 * conversion always writes the same names.
 */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly initialized = new Set<string>();
  private counter = 0;

  constructor(
    private readonly facts: GraphFacts,
    private readonly constants: Set<string>,
  ) {}

  fact(tensor: string): TensorFact {
    const fact = this.facts.tensors.get(tensor);
    if (!fact) throw new Error(`no shape is known for "${tensor}" (it was not evaluated)`);
    return fact;
  }

  isConstant(tensor: string): boolean {
    return this.constants.has(tensor.split(':')[0]!);
  }

  /** The values of a constant tensor (a shape, an axis, a weight...). */
  values(tensor: string): ArrayLike<number> {
    const fact = this.fact(tensor);
    if (!this.isConstant(tensor) || !fact.values) throw new Error(`"${tensor}" must be a constant for this conversion, and it depends on the input`);
    return fact.values;
  }

  /** The ONNX name for a graph tensor used as an input: constants become initializers on first use. */
  ref(tensor: string): string {
    if (!this.isConstant(tensor)) return tensor;
    if (!this.initialized.has(tensor)) {
      const fact = this.fact(tensor);
      const type = onnxTypeOf[fact.dtype];
      this.initializers.push({ name: tensor, type, dims: fact.shape, data: bytesOf(this.values(tensor), type) });
      this.initialized.add(tensor);
    }
    return tensor;
  }

  constant(values: ArrayLike<number>, type: OnnxTypeName, dims: readonly number[]): string {
    const name = `const_${this.counter++}`;
    this.initializers.push({ name, type, dims, data: bytesOf(values, type) });
    return name;
  }

  int64s(values: readonly number[]): string {
    return this.constant(values, 'int64', [values.length]);
  }

  temp(hint: string): string {
    return `${hint}__${this.counter++}`;
  }

  emit(opType: string, inputs: readonly string[], outputs: readonly string[], attributes?: Record<string, AttributeValue>): void {
    this.nodes.push({ opType, inputs, outputs, ...(attributes ? { attributes } : {}) });
  }

  reshape(input: string, output: string, shape: readonly number[]): void {
    this.emit('Reshape', [input, this.int64s(shape)], [output]);
  }

  /** NHWC in, `body` runs on NCHW, NHWC out. */
  nchw(node: TfNode, input: string, output: string, body: (x: string) => string): void {
    const x = this.temp(`${node.name}/nchw_in`);
    this.emit('Transpose', [input], [x], { perm: { kind: 'ints', value: [0, 3, 1, 2] } });
    const y = body(x);
    this.emit('Transpose', [y], [output], { perm: { kind: 'ints', value: [0, 2, 3, 1] } });
  }
}
