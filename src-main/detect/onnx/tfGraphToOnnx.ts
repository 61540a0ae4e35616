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
 * graph's type. Unknown ops, paddings or fused activations throw a sentence naming the node:
 * a model is converted whole or not at all.
 */
import { GraphBuilder, onnxTypeOf } from './graphBuilder.js';
import { encodeOnnxModel, OnnxType, type AttributeValue } from './onnxProto.js';
import { attrInts, attrText, dataInputs, outputCount, outputName, type GraphFacts, type TfNode } from './tfGraph.js';

// the graph's types and helpers live in tfGraph.ts; still exported here, where callers found them
export { outputCount, outputName, type GraphFacts, type TensorFact, type TfDtype, type TfNode } from './tfGraph.js';


export interface ConversionRequest {
  nodes: readonly TfNode[];
  /** The graph's input placeholder and its (fixed) NHWC shape. */
  input: { name: string; shape: [number, number, number, number] };
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



const binaryOps: Record<string, string> = {
  Sub: 'Sub', Mul: 'Mul', AddV2: 'Add', Add: 'Add', RealDiv: 'Div', Minimum: 'Min', Maximum: 'Max',
  Less: 'Less', Greater: 'Greater', GreaterEqual: 'GreaterOrEqual', LessEqual: 'LessOrEqual', Equal: 'Equal', LogicalAnd: 'And',
};
const unaryOps: Record<string, string> = { Sigmoid: 'Sigmoid', Abs: 'Abs', Exp: 'Exp', Reciprocal: 'Reciprocal', Identity: 'Identity', Relu: 'Relu', Sqrt: 'Sqrt', Neg: 'Neg', Floor: 'Floor' };

function samePadding(node: TfNode): AttributeValue {
  const padding = attrText(node.attr?.padding);
  if (padding === 'SAME') return { kind: 'string', value: 'SAME_UPPER' }; // TensorFlow puts the odd pixel at the end
  if (padding === 'VALID') return { kind: 'string', value: 'VALID' };
  throw new Error(`${node.name} (${node.op}) has padding "${padding}", which this conversion does not handle`);
}

function checkNhwc(node: TfNode): void {
  const format = attrText(node.attr?.data_format) || 'NHWC';
  if (format !== 'NHWC') throw new Error(`${node.name} (${node.op}) is in ${format} layout; only NHWC is handled`);
}

function convert(b: GraphBuilder, node: TfNode): void {
  const inputs = dataInputs(node);
  const x = (i: number) => b.ref(inputs[i]!);
  const out = outputName(node.name, 0);
  const outShape = () => b.fact(out).shape;
  const op = node.op;
  if (binaryOps[op]) return b.emit(binaryOps[op], [x(0), x(1)], [out]);
  if (unaryOps[op]) return b.emit(unaryOps[op], [x(0)], [out]);
  switch (op) {
    case 'Cast': {
      const to = onnxTypeOf[b.fact(out).dtype];
      return b.emit('Cast', [x(0)], [out], { to: { kind: 'int', value: OnnxType[to] } });
    }
    case 'Relu6':
      return b.emit('Clip', [x(0), b.constant([0], 'float', []), b.constant([6], 'float', [])], [out]);
    case 'SquaredDifference': {
      const d = b.temp(`${node.name}/diff`);
      b.emit('Sub', [x(0), x(1)], [d]);
      return b.emit('Mul', [d, d], [out]);
    }
    case 'FloorDiv': {
      // the type of the input: outputs follow tfjs (see below)
      if (b.fact(inputs[0]!).dtype === 'float32') {
        const q = b.temp(`${node.name}/q`);
        b.emit('Div', [x(0), x(1)], [q]);
        if (b.fact(out).dtype === 'float32') return b.emit('Floor', [q], [out]);
        // tfjs returns int32 from a float FloorDiv (TensorFlow keeps float): follow tfjs, which the models run on
        const f = b.temp(`${node.name}/floor`);
        b.emit('Floor', [q], [f]);
        return b.emit('Cast', [f], [out], { to: { kind: 'int', value: OnnxType.int64 } });
      }
      // integers: ONNX Div truncates towards zero; (a - mod(a, b)) / b floors as TensorFlow does
      const m = b.temp(`${node.name}/mod`);
      const a = b.temp(`${node.name}/floor`);
      b.emit('Mod', [x(0), x(1)], [m], { fmod: { kind: 'int', value: 0 } });
      b.emit('Sub', [x(0), m], [a]);
      return b.emit('Div', [a, x(1)], [out]);
    }
    case 'FloorMod': {
      if (b.fact(out).dtype !== 'float32') return b.emit('Mod', [x(0), x(1)], [out], { fmod: { kind: 'int', value: 0 } }); // integers: the divisor's sign, as TensorFlow
      // floats: a - floor(a / b) * b (ONNX's float Mod is C's fmod, the dividend's sign)
      const [q, f, p] = ['q', 'floor', 'product'].map((h) => b.temp(`${node.name}/${h}`)) as [string, string, string];
      b.emit('Div', [x(0), x(1)], [q]);
      b.emit('Floor', [q], [f]);
      b.emit('Mul', [f, x(1)], [p]);
      return b.emit('Sub', [x(0), p], [out]);
    }
    case 'Mean': {
      const rank = b.fact(inputs[0]!).shape.length;
      const axes = Array.from(b.values(inputs[1]!), (a) => (Number(a) + rank) % rank);
      return b.emit('ReduceMean', [x(0)], [out], { axes: { kind: 'ints', value: axes }, keepdims: { kind: 'int', value: node.attr?.keep_dims?.b ? 1 : 0 } });
    }
    case 'GatherV2': {
      if (Number(node.attr?.batch_dims?.i ?? 0) !== 0) throw new Error(`${node.name} (GatherV2) gathers with batch dimensions, which this conversion does not handle`);
      const rank = b.fact(inputs[0]!).shape.length;
      const axis = (Number(b.values(inputs[2]!)[0]) + rank) % rank;
      return b.emit('Gather', [x(0), x(1)], [out], { axis: { kind: 'int', value: axis } });
    }
    case 'AddN':
      return b.emit('Sum', inputs.map((_, i) => x(i)), [out]);
    case 'Reshape':
    case 'Squeeze':
    case 'ExpandDims':
      return b.reshape(x(0), out, outShape());
    case 'Pack': {
      const rank = outShape().length;
      const axis = (Number(node.attr?.axis?.i ?? 0) + rank) % rank;
      const parts = inputs.map((_, i) => {
        const u = b.temp(`${node.name}/part${i}`);
        b.emit('Unsqueeze', [x(i), b.int64s([axis])], [u]);
        return u;
      });
      return parts.length === 1 ? b.emit('Identity', parts, [out]) : b.emit('Concat', parts, [out], { axis: { kind: 'int', value: axis } });
    }
    case 'Unpack': {
      const rank = b.fact(inputs[0]!).shape.length;
      const axis = (Number(node.attr?.axis?.i ?? 0) + rank) % rank;
      const count = outputCount(node);
      const parts = Array.from({ length: count }, (_, i) => b.temp(`${node.name}/part${i}`));
      b.emit('Split', [x(0)], parts, { axis: { kind: 'int', value: axis } });
      parts.forEach((p, i) => b.emit('Squeeze', [p, b.int64s([axis])], [outputName(node.name, i)]));
      return;
    }
    case 'Split': {
      const rank = b.fact(inputs[1]!).shape.length;
      const axis = (Number(b.values(inputs[0]!)[0]) + rank) % rank;
      const outs = Array.from({ length: outputCount(node) }, (_, i) => outputName(node.name, i));
      return b.emit('Split', [x(1)], outs, { axis: { kind: 'int', value: axis } });
    }
    case 'ConcatV2': {
      const rank = outShape().length;
      const axis = (Number(b.values(inputs.at(-1)!)[0]) + rank) % rank;
      return b.emit('Concat', inputs.slice(0, -1).map((_, i) => x(i)), [out], { axis: { kind: 'int', value: axis } });
    }
    case 'StridedSlice':
      return stridedSlice(b, node, inputs, out);
    case 'Tile':
      return b.emit('Tile', [x(0), b.int64s(Array.from(b.values(inputs[1]!)))], [out]);
    case 'GatherNd':
      return b.emit('GatherND', [x(0), x(1)], [out]);
    case 'TopKV2': {
      const k = Number(b.values(inputs[1]!)[0]);
      return b.emit('TopK', [x(0), b.int64s([k])], [out, outputName(node.name, 1)], { axis: { kind: 'int', value: -1 }, largest: { kind: 'int', value: 1 }, sorted: { kind: 'int', value: 1 } });
    }
    case 'ArgMax': {
      const rank = b.fact(inputs[0]!).shape.length;
      const axis = (Number(b.values(inputs[1]!)[0]) + rank) % rank;
      // first index of the largest value, as TensorFlow
      return b.emit('ArgMax', [x(0)], [out], { axis: { kind: 'int', value: axis }, keepdims: { kind: 'int', value: 0 }, select_last_index: { kind: 'int', value: 0 } });
    }
    case 'Max':
    case 'Sum': {
      const rank = b.fact(inputs[0]!).shape.length;
      const axes = Array.from(b.values(inputs[1]!), (a) => (Number(a) + rank) % rank);
      const keepdims = { kind: 'int', value: node.attr?.keep_dims?.b ? 1 : 0 } as const;
      if (op === 'Max') return b.emit('ReduceMax', [x(0)], [out], { axes: { kind: 'ints', value: axes }, keepdims });
      return b.emit('ReduceSum', [x(0), b.int64s(axes)], [out], { keepdims });
    }
    case 'Select':
    case 'SelectV2':
      // broadcasting as numpy, as tfjs does (TensorFlow's row-wise Select with a vector condition is not supported by tfjs either)
      return b.emit('Where', [x(0), x(1), x(2)], [out]);
    case 'MaxPool': {
      checkNhwc(node);
      const [, kh, kw] = attrInts(node.attr?.ksize);
      const [, sh, sw] = attrInts(node.attr?.strides);
      return b.nchw(node, x(0), out, (t) => {
        const y = b.temp(`${node.name}/pool`);
        b.emit('MaxPool', [t], [y], { kernel_shape: { kind: 'ints', value: [kh!, kw!] }, strides: { kind: 'ints', value: [sh!, sw!] }, auto_pad: samePadding(node) });
        return y;
      });
    }
    case 'ResizeBilinear':
    case 'ResizeNearestNeighbor': {
      const [n, h, w, c] = outShape() as [number, number, number, number];
      const halfPixel = node.attr?.half_pixel_centers?.b === true;
      const alignCorners = node.attr?.align_corners?.b === true;
      const mode = alignCorners ? 'align_corners' : halfPixel ? (op === 'ResizeBilinear' ? 'half_pixel' : 'tf_half_pixel_for_nn') : 'asymmetric';
      return b.nchw(node, x(0), out, (t) => {
        const y = b.temp(`${node.name}/resize`);
        b.emit('Resize', [t, '', '', b.int64s([n, c, h, w])], [y], {
          mode: { kind: 'string', value: op === 'ResizeBilinear' ? 'linear' : 'nearest' },
          coordinate_transformation_mode: { kind: 'string', value: mode },
          ...(op === 'ResizeNearestNeighbor' ? { nearest_mode: { kind: 'string', value: alignCorners ? 'round_prefer_ceil' : 'floor' } } : {}),
        });
        return y;
      });
    }
    case '_FusedConv2D':
    case 'Conv2D':
    case 'FusedDepthwiseConv2dNative':
    case 'DepthwiseConv2dNative':
      return convolution(b, node, inputs, out);
    default:
      throw new Error(`${node.name} uses the TensorFlow op ${op}, which this conversion does not handle`);
  }
}

function stridedSlice(b: GraphBuilder, node: TfNode, inputs: string[], out: string): void {
  const shape = b.fact(inputs[0]!).shape;
  const begin = Array.from(b.values(inputs[1]!), Number);
  const end = Array.from(b.values(inputs[2]!), Number);
  const strides = Array.from(b.values(inputs[3]!), Number);
  const mask = (name: string) => Number(node.attr?.[name]?.i ?? 0);
  if (mask('ellipsis_mask') !== 0) throw new Error(`${node.name} (StridedSlice) uses an ellipsis, which this conversion does not handle`);
  const [beginMask, endMask, shrinkMask, newAxisMask] = [mask('begin_mask'), mask('end_mask'), mask('shrink_axis_mask'), mask('new_axis_mask')];
  const starts: number[] = [];
  const ends: number[] = [];
  const axes: number[] = [];
  const steps: number[] = [];
  let dim = 0;
  for (let i = 0; i < begin.length; i++) {
    const bit = 1 << i;
    if (newAxisMask & bit) continue; // a new axis of length 1: the final reshape adds it
    const size = shape[dim]!;
    const step = strides[i]!;
    let start = beginMask & bit ? (step > 0 ? 0 : size - 1) : begin[i]!;
    let stop = endMask & bit ? (step > 0 ? size : -size - 1) : end[i]!;
    if (shrinkMask & bit) {
      start = start < 0 ? start + size : start;
      stop = start + 1;
    }
    starts.push(start);
    ends.push(stop);
    axes.push(dim);
    steps.push(step);
    dim++;
  }
  const sliced = b.temp(`${node.name}/slice`);
  b.emit('Slice', [b.ref(inputs[0]!), b.int64s(starts), b.int64s(ends), b.int64s(axes), b.int64s(steps)], [sliced]);
  b.reshape(sliced, out, b.fact(out).shape);
}

function convolution(b: GraphBuilder, node: TfNode, inputs: string[], out: string): void {
  checkNhwc(node);
  const depthwise = node.op.includes('Depthwise');
  const filter = b.fact(inputs[1]!);
  const [kh, kw, cin, cm] = filter.shape as [number, number, number, number];
  const w = b.values(inputs[1]!);
  // TensorFlow HWIO (depthwise: H, W, C, multiplier) -> ONNX OIHW (depthwise: C*multiplier, 1, H, W)
  const outChannels = depthwise ? cin * cm : cm;
  const perKernel = depthwise ? 1 : cin;
  const weights = new Float32Array(outChannels * perKernel * kh * kw);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cm; o++) {
          const source = ((y * kw + x) * cin + i) * cm + o;
          const target = depthwise ? ((i * cm + o) * kh + y) * kw + x : ((o * cin + i) * kh + y) * kw + x;
          weights[target] = w[source]!;
        }
  const fused = (node.attr?.fused_ops?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
  const unknown = fused.filter((f) => !['BiasAdd', 'Relu', 'Relu6'].includes(f));
  if (unknown.length > 0) throw new Error(`${node.name} fuses ${unknown.join(', ')}, which this conversion does not handle`);
  const convInputs = [b.constant(weights, 'float', [outChannels, perKernel, kh, kw])];
  if (fused.includes('BiasAdd')) convInputs.push(b.constant(b.values(inputs[2]!), 'float', [outChannels]));
  const [, sh, sw] = attrInts(node.attr?.strides);
  const [, dh, dw] = attrInts(node.attr?.dilations).length ? attrInts(node.attr?.dilations) : [1, 1, 1, 1];
  b.nchw(node, b.ref(inputs[0]!), out, (t) => {
    const y = b.temp(`${node.name}/conv`);
    b.emit('Conv', [t, ...convInputs], [y], {
      kernel_shape: { kind: 'ints', value: [kh, kw] },
      strides: { kind: 'ints', value: [sh ?? 1, sw ?? 1] },
      dilations: { kind: 'ints', value: [dh ?? 1, dw ?? 1] },
      group: { kind: 'int', value: depthwise ? cin : 1 },
      auto_pad: samePadding(node),
    });
    if (fused.includes('Relu6')) {
      const z = b.temp(`${node.name}/relu6`);
      b.emit('Clip', [y, b.constant([0], 'float', []), b.constant([6], 'float', [])], [z]);
      return z;
    }
    if (fused.includes('Relu')) {
      const z = b.temp(`${node.name}/relu`);
      b.emit('Relu', [y], [z]);
      return z;
    }
    return y;
  });
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
  b.emit('Cast', [inputBytes], [request.input.name], { to: { kind: 'int', value: OnnxType[onnxTypeOf[b.fact(request.input.name).dtype]] } });
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
