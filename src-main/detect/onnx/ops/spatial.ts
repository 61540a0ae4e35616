import type { AttributeValue } from '../../../runtime/onnxProto.js';
import { attrInts, attrText, type TfNode } from '../tfGraph.js';
import type { OpContext, OpTable } from './opContext.js';

/**
 * Ops on the image plane: convolutions (plain, depthwise, with fused bias and activation),
 * max pooling and resizing. ONNX runs them on NCHW tensors, so each is wrapped in a Transpose
 * from NHWC and back (GraphBuilder.nchw); onnxruntime removes the pairs that meet.
 */

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

function convolution({ b, node, inputs, out }: OpContext): void {
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

function resize({ b, node, x, out, outShape }: OpContext): void {
  const op = node.op;
  const [n, h, w, c] = outShape() as [number, number, number, number];
  const halfPixel = node.attr?.half_pixel_centers?.b === true;
  const alignCorners = node.attr?.align_corners?.b === true;
  const mode = alignCorners ? 'align_corners' : halfPixel ? (op === 'ResizeBilinear' ? 'half_pixel' : 'tf_half_pixel_for_nn') : 'asymmetric';
  b.nchw(node, x(0), out, (t) => {
    const y = b.temp(`${node.name}/resize`);
    b.emit('Resize', [t, '', '', b.int64s([n, c, h, w])], [y], {
      mode: { kind: 'string', value: op === 'ResizeBilinear' ? 'linear' : 'nearest' },
      coordinate_transformation_mode: { kind: 'string', value: mode },
      ...(op === 'ResizeNearestNeighbor' ? { nearest_mode: { kind: 'string', value: alignCorners ? 'round_prefer_ceil' : 'floor' } } : {}),
    });
    return y;
  });
}

export const spatialOps: OpTable = {
  _FusedConv2D: convolution,
  Conv2D: convolution,
  FusedDepthwiseConv2dNative: convolution,
  DepthwiseConv2dNative: convolution,

  MaxPool: ({ b, node, x, out }) => {
    checkNhwc(node);
    const [, kh, kw] = attrInts(node.attr?.ksize);
    const [, sh, sw] = attrInts(node.attr?.strides);
    b.nchw(node, x(0), out, (t) => {
      const y = b.temp(`${node.name}/pool`);
      b.emit('MaxPool', [t], [y], { kernel_shape: { kind: 'ints', value: [kh!, kw!] }, strides: { kind: 'ints', value: [sh!, sw!] }, auto_pad: samePadding(node) });
      return y;
    });
  },

  ResizeBilinear: resize,
  ResizeNearestNeighbor: resize,
};
