import { onnxTypeOf } from '../graphBuilder.js';
import { OnnxType } from '../../../runtime/onnxProto.js';
import type { OpConverter, OpTable } from './opContext.js';

/**
 * Element-wise ops: arithmetic, comparisons, activations, casts and selection. Most are one
 * ONNX op; floor division and modulo take a few, to round as TensorFlow does.
 */

const binary =
  (onnxOp: string): OpConverter =>
  ({ b, x, out }) =>
    b.emit(onnxOp, [x(0), x(1)], [out]);

const unary =
  (onnxOp: string): OpConverter =>
  ({ b, x, out }) =>
    b.emit(onnxOp, [x(0)], [out]);

// broadcasting as numpy, as tfjs does (TensorFlow's row-wise Select with a vector condition is not supported by tfjs either)
const select: OpConverter = ({ b, x, out }) => b.emit('Where', [x(0), x(1), x(2)], [out]);

export const elementwiseOps: OpTable = {
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  AddV2: binary('Add'),
  Add: binary('Add'),
  RealDiv: binary('Div'),
  Minimum: binary('Min'),
  Maximum: binary('Max'),
  Less: binary('Less'),
  Greater: binary('Greater'),
  GreaterEqual: binary('GreaterOrEqual'),
  LessEqual: binary('LessOrEqual'),
  Equal: binary('Equal'),
  LogicalAnd: binary('And'),
  Sigmoid: unary('Sigmoid'),
  Abs: unary('Abs'),
  Exp: unary('Exp'),
  Reciprocal: unary('Reciprocal'),
  Identity: unary('Identity'),
  Relu: unary('Relu'),
  Sqrt: unary('Sqrt'),
  Neg: unary('Neg'),
  Floor: unary('Floor'),

  Cast: ({ b, x, out }) => {
    const to = onnxTypeOf[b.fact(out).dtype];
    b.emit('Cast', [x(0)], [out], { to: { kind: 'int', value: OnnxType[to] } });
  },

  Relu6: ({ b, x, out }) => b.emit('Clip', [x(0), b.constant([0], 'float', []), b.constant([6], 'float', [])], [out]),

  SquaredDifference: ({ b, node, x, out }) => {
    const d = b.temp(`${node.name}/diff`);
    b.emit('Sub', [x(0), x(1)], [d]);
    b.emit('Mul', [d, d], [out]);
  },

  FloorDiv: ({ b, node, inputs, x, out }) => {
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
    b.emit('Div', [a, x(1)], [out]);
  },

  FloorMod: ({ b, node, x, out }) => {
    if (b.fact(out).dtype !== 'float32') return b.emit('Mod', [x(0), x(1)], [out], { fmod: { kind: 'int', value: 0 } }); // integers: the divisor's sign, as TensorFlow
    // floats: a - floor(a / b) * b (ONNX's float Mod is C's fmod, the dividend's sign)
    const [q, f, p] = ['q', 'floor', 'product'].map((h) => b.temp(`${node.name}/${h}`)) as [string, string, string];
    b.emit('Div', [x(0), x(1)], [q]);
    b.emit('Floor', [q], [f]);
    b.emit('Mul', [f, x(1)], [p]);
    b.emit('Sub', [x(0), p], [out]);
  },

  AddN: ({ b, inputs, x, out }) => b.emit('Sum', inputs.map((_, i) => x(i)), [out]),

  Select: select,
  SelectV2: select,
};
