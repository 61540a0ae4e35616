import type { AttributeValue } from '../../../runtime/onnxProto.js';
import { outputName } from '../tfGraph.js';
import { axisIn, type OpContext, type OpTable } from './opContext.js';

/** Ops that reduce axes or pick the largest values: means, sums, maxima, arg-max, top-k. */

/** The axes input (1) of a reduction, non-negative. */
function reducedAxes({ b, inputs }: OpContext): number[] {
  const rank = b.fact(inputs[0]!).shape.length;
  return Array.from(b.values(inputs[1]!), (a) => axisIn(Number(a), rank));
}

const keepdims = ({ node }: OpContext): AttributeValue => ({ kind: 'int', value: node.attr?.keep_dims?.b ? 1 : 0 });

export const reductionOps: OpTable = {
  Mean: (c) => c.b.emit('ReduceMean', [c.x(0)], [c.out], { axes: { kind: 'ints', value: reducedAxes(c) }, keepdims: keepdims(c) }),
  Max: (c) => c.b.emit('ReduceMax', [c.x(0)], [c.out], { axes: { kind: 'ints', value: reducedAxes(c) }, keepdims: keepdims(c) }),
  // opset 13: ReduceSum takes its axes as an input (ReduceMean and ReduceMax still as an attribute)
  Sum: (c) => c.b.emit('ReduceSum', [c.x(0), c.b.int64s(reducedAxes(c))], [c.out], { keepdims: keepdims(c) }),

  ArgMax: ({ b, inputs, x, out }) => {
    const rank = b.fact(inputs[0]!).shape.length;
    const axis = axisIn(Number(b.values(inputs[1]!)[0]), rank);
    // first index of the largest value, as TensorFlow
    b.emit('ArgMax', [x(0)], [out], { axis: { kind: 'int', value: axis }, keepdims: { kind: 'int', value: 0 }, select_last_index: { kind: 'int', value: 0 } });
  },

  TopKV2: ({ b, node, inputs, x, out }) => {
    const k = Number(b.values(inputs[1]!)[0]);
    b.emit('TopK', [x(0), b.int64s([k])], [out, outputName(node.name, 1)], { axis: { kind: 'int', value: -1 }, largest: { kind: 'int', value: 1 }, sorted: { kind: 'int', value: 1 } });
  },
};
