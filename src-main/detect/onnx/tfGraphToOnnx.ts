/**
 * Converts a tfjs graph model (TensorFlow ops, NHWC) into an ONNX model for one fixed input
 * size, so onnxruntime's native kernels run it instead of tfjs in WebAssembly.
 *
 * Static by design: every tensor's shape is known from one evaluation of the graph at that
 * input size (`GraphFacts`, made with tfjs), so everything that depends only on shapes
 * (Shape, Size, Range, Fill and what is computed from them) is folded into constants, and
 * Reshape, Squeeze, ExpandDims and StridedSlice end in a Reshape to the shape tfjs produced.
 *
 * Layout: tensors stay NHWC as in TensorFlow; each convolution, pooling and resize is wrapped
 * in a Transpose to NCHW and back, and onnxruntime's transpose optimizer removes the pairs that
 * meet. TensorFlow's int32 tensors become int64 (the type ONNX wants for indices and shapes);
 * the model's input is uint8 (RGB bytes as decoded, `<input>__uint8`), cast at once to the
 * graph's type (and scaled, for a graph that takes pixels / 255). Unknown ops, paddings or fused activations throw a sentence naming the node:
 * a model is converted whole or not at all.
 *
 * Each TensorFlow op type has a converter in `opTable`, by family in ops/ (element-wise,
 * reductions, shaping, spatial); each gets the node and the graph being written (OpContext)
 * and emits its ONNX nodes through GraphBuilder, whose counter numbers what it names.
 */
import { GraphBuilder, onnxTypeOf } from './graphBuilder.js';
import { encodeOnnxModel, OnnxType } from '../../runtime/onnxProto.js';
import { elementwiseOps } from './ops/elementwise.js';
import type { OpConverter, OpTable } from './ops/opContext.js';
import { reductionOps } from './ops/reduction.js';
import { shapingOps } from './ops/shaping.js';
import { spatialOps } from './ops/spatial.js';
import { dataInputs, outputCount, outputName, type GraphFacts, type TfNode } from './tfGraph.js';

// the graph's types and helpers live in tfGraph.ts; still exported here, where callers found them
export { outputCount, outputName, type GraphFacts, type TensorFact, type TfDtype, type TfNode } from './tfGraph.js';

export interface ConversionRequest {
  nodes: readonly TfNode[];
  /**
   * The graph's input placeholder and its (fixed) NHWC shape. `scale`: the bytes, cast to the
   * graph's float type, are multiplied by it first (BlazePose takes pixels / 255); absent, the
   * cast bytes go in as they are.
   */
  input: { name: string; shape: [number, number, number, number]; scale?: number | undefined };
  /** Tensors to return, by graph name. */
  outputs: readonly string[];
  facts: GraphFacts;
  producer: string;
}

/**
 * Which tensors can be computed without the input's pixels: constants, shapes and sizes (the
 * input size is fixed), and every op whose inputs are all such.
 */
export function constantNodes(nodes: readonly TfNode[]): Set<string> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const known = new Map<string, boolean>();
  const visit = (name: string): boolean => {
    const cached = known.get(name);
    if (cached !== undefined) return cached;
    const node = byName.get(name);
    if (!node) throw new Error(`the graph refers to a node "${name}" it does not contain`);
    known.set(name, false); // cycles are not constant
    let constant: boolean;
    if (node.op === 'Const') constant = true;
    else if (node.op === 'Placeholder') constant = false;
    else if (node.op === 'Shape' || node.op === 'Size') constant = true;
    else constant = dataInputs(node).every((i) => visit(i.split(':')[0]!));
    known.set(name, constant);
    return constant;
  };
  for (const n of nodes) visit(n.name);
  return new Set([...known].filter(([, c]) => c).map(([n]) => n));
}

/** Ops whose conversion reads the shape or type of their output. */
const outputFactOps = new Set(['Cast', 'FloorDiv', 'FloorMod', 'Reshape', 'Squeeze', 'ExpandDims', 'Pack', 'ConcatV2', 'ResizeBilinear', 'ResizeNearestNeighbor', 'StridedSlice']);
/** Ops whose conversion reads the shape of an input: which one. */
const inputFactOps: Record<string, number> = { Unpack: 0, Split: 1, ArgMax: 0, Max: 0, Sum: 0, Mean: 0, GatherV2: 0, StridedSlice: 0, FloorDiv: 0 };

/**
 * The computed tensors whose facts the conversion reads (besides constants, which are all
 * read): evaluating only these keeps the evaluation's memory at about one run of the graph,
 * where keeping every activation would hold them all at once.
 */
export function factsNeeded(nodes: readonly TfNode[], outputs: readonly string[]): Set<string> {
  const needed = new Set(outputs);
  for (const node of nodes) {
    if (outputFactOps.has(node.op)) for (let i = 0; i < outputCount(node); i++) needed.add(outputName(node.name, i));
    const input = inputFactOps[node.op];
    if (input !== undefined) needed.add(dataInputs(node)[input]!);
  }
  return needed;
}

/** The op families in one table; an op type in two families is a mistake, caught when this module loads. */
function opTableOf(...families: OpTable[]): OpTable {
  const table: Record<string, OpConverter> = {};
  for (const family of families) {
    for (const [op, converter] of Object.entries(family)) {
      if (Object.hasOwn(table, op)) throw new Error(`the TensorFlow op ${op} has two converters`);
      table[op] = converter;
    }
  }
  return table;
}

/** Every TensorFlow op the conversion handles, by type. */
const opTable = opTableOf(elementwiseOps, reductionOps, shapingOps, spatialOps);

function convert(b: GraphBuilder, node: TfNode): void {
  // own properties only: an op named like an Object method ("toString") is not in the table
  const converter = Object.hasOwn(opTable, node.op) ? opTable[node.op] : undefined;
  if (!converter) throw new Error(`${node.name} uses the TensorFlow op ${node.op}, which this conversion does not handle`);
  const inputs = dataInputs(node);
  const out = outputName(node.name, 0);
  converter({ b, node, inputs, x: (i) => b.ref(inputs[i]!), out, outShape: () => b.fact(out).shape });
}

/** The ONNX model (protobuf bytes) computing `outputs` from a uint8 NHWC input of the request's size. */
export function tfGraphToOnnx(request: ConversionRequest): Uint8Array {
  const constants = constantNodes(request.nodes);
  const b = new GraphBuilder(request.facts, constants);
  const byName = new Map(request.nodes.map((n) => [n.name, n]));
  // only what the outputs need, in an order where every input comes first
  const ordered: TfNode[] = [];
  const placed = new Set<string>();
  const place = (name: string) => {
    if (placed.has(name)) return;
    placed.add(name);
    const node = byName.get(name);
    if (!node) throw new Error(`the graph has no node "${name}"`);
    if (constants.has(name) || node.op === 'Placeholder') return;
    for (const i of dataInputs(node)) place(i.split(':')[0]!);
    ordered.push(node);
  };
  for (const o of request.outputs) place(o.split(':')[0]!);
  // the input arrives as bytes and takes the graph's type (float pixels, or int32 -> int64) at once
  const inputBytes = `${request.input.name}__uint8`;
  const inputType = onnxTypeOf[b.fact(request.input.name).dtype];
  const scale = request.input.scale;
  if (scale === undefined) {
    b.emit('Cast', [inputBytes], [request.input.name], { to: { kind: 'int', value: OnnxType[inputType] } });
  } else {
    if (inputType !== 'float') throw new Error(`the input ${request.input.name} is ${b.fact(request.input.name).dtype}: only a float input can be scaled`);
    const cast = `${request.input.name}__float`;
    b.emit('Cast', [inputBytes], [cast], { to: { kind: 'int', value: OnnxType.float } });
    b.emit('Mul', [cast, b.constant([scale], 'float', [])], [request.input.name]);
  }
  for (const node of ordered) convert(b, node);
  return encodeOnnxModel({
    graphName: 'converted',
    producer: request.producer,
    opset: 13,
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: [{ name: inputBytes, type: 'uint8', dims: request.input.shape }],
    outputs: request.outputs.map((name) => ({ name, type: onnxTypeOf[b.fact(name).dtype], dims: b.fact(name).shape })),
  });
}
