import { outputCount, outputName } from '../tfGraph.js';
import { axisIn, type OpContext, type OpConverter, type OpTable } from './opContext.js';

/**
 * Ops that rearrange elements without computing on them: reshaping, joining, splitting,
 * slicing, padding, tiling and gathering. Reshape, Squeeze and ExpandDims (and StridedSlice's last
 * step) become a Reshape to the shape tfjs produced, which the evaluation knows.
 */

const reshapeToOutput: OpConverter = ({ b, x, out, outShape }) => b.reshape(x(0), out, outShape());

function stridedSlice({ b, node, inputs, out }: OpContext): void {
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

/**
 * Pad (zeros) and PadV2 (a constant value): TensorFlow's paddings are a constant [rank, 2]
 * tensor of (before, after) per axis; ONNX wants all the befores, then all the afters.
 * BlazePose's ZeroPadding2D layers are Pads.
 */
function pad({ b, node, inputs, x, out }: OpContext): void {
  // [rank, 2]: the rank is read from the paddings (the input's shape is not evaluated)
  const paddings = Array.from(b.values(inputs[1]!), Number);
  const before = paddings.filter((_, i) => i % 2 === 0);
  const after = paddings.filter((_, i) => i % 2 === 1);
  const value = node.op === 'PadV2' ? [x(2)] : [];
  b.emit('Pad', [x(0), b.int64s([...before, ...after]), ...value], [out], { mode: { kind: 'string', value: 'constant' } });
}

export const shapingOps: OpTable = {
  Reshape: reshapeToOutput,
  Squeeze: reshapeToOutput,
  ExpandDims: reshapeToOutput,

  Pack: ({ b, node, inputs, x, out, outShape }) => {
    const rank = outShape().length;
    const axis = axisIn(Number(node.attr?.axis?.i ?? 0), rank);
    const parts = inputs.map((_, i) => {
      const u = b.temp(`${node.name}/part${i}`);
      b.emit('Unsqueeze', [x(i), b.int64s([axis])], [u]);
      return u;
    });
    if (parts.length === 1) b.emit('Identity', parts, [out]);
    else b.emit('Concat', parts, [out], { axis: { kind: 'int', value: axis } });
  },

  Unpack: ({ b, node, inputs, x }) => {
    const rank = b.fact(inputs[0]!).shape.length;
    const axis = axisIn(Number(node.attr?.axis?.i ?? 0), rank);
    const parts = Array.from({ length: outputCount(node) }, (_, i) => b.temp(`${node.name}/part${i}`));
    b.emit('Split', [x(0)], parts, { axis: { kind: 'int', value: axis } });
    parts.forEach((p, i) => b.emit('Squeeze', [p, b.int64s([axis])], [outputName(node.name, i)]));
  },

  Split: ({ b, node, inputs, x }) => {
    // inputs: the axis, then the tensor
    const rank = b.fact(inputs[1]!).shape.length;
    const axis = axisIn(Number(b.values(inputs[0]!)[0]), rank);
    const outs = Array.from({ length: outputCount(node) }, (_, i) => outputName(node.name, i));
    b.emit('Split', [x(1)], outs, { axis: { kind: 'int', value: axis } });
  },

  ConcatV2: ({ b, inputs, x, out, outShape }) => {
    // inputs: the tensors, then the axis
    const rank = outShape().length;
    const axis = axisIn(Number(b.values(inputs.at(-1)!)[0]), rank);
    b.emit('Concat', inputs.slice(0, -1).map((_, i) => x(i)), [out], { axis: { kind: 'int', value: axis } });
  },

  StridedSlice: stridedSlice,

  Pad: pad,
  PadV2: pad,

  Tile: ({ b, inputs, x, out }) => b.emit('Tile', [x(0), b.int64s(Array.from(b.values(inputs[1]!)))], [out]),

  GatherV2: ({ b, node, inputs, x, out }) => {
    if (Number(node.attr?.batch_dims?.i ?? 0) !== 0) throw new Error(`${node.name} (GatherV2) gathers with batch dimensions, which this conversion does not handle`);
    const rank = b.fact(inputs[0]!).shape.length;
    const axis = axisIn(Number(b.values(inputs[2]!)[0]), rank);
    b.emit('Gather', [x(0), x(1)], [out], { axis: { kind: 'int', value: axis } });
  },

  GatherNd: ({ b, x, out }) => b.emit('GatherND', [x(0), x(1)], [out]),
};
