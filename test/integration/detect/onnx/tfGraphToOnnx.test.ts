import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import * as tf from '../../../../src-main/detect/tfSubset.js';
import { evaluateGraphFacts } from '../../../../src-main/detect/onnx/graphFacts.js';
import { constantNodes, tfGraphToOnnx, type TfNode } from '../../../../src-main/detect/onnx/tfGraphToOnnx.js';

/**
 * The tfjs -> ONNX conversion op by op, on small TensorFlow graphs written here: onnxruntime
 * running the converted model must give what tfjs (cpu backend, the reference the detectors
 * were written against) gives for the same graph, exactly for integers and within 1e-5 for
 * floats. The cases are the awkward ones: StridedSlice masks and negative strides, floor
 * division of negative numbers, TensorFlow's row-wise Select, SAME padding at stride 2 on an
 * odd size, depthwise multipliers, half-pixel resizing, and shape arithmetic folded away.
 */

type Dtype = 'float32' | 'int32' | 'bool';
interface ConstSpec {
  values: number[];
  shape: number[];
  dtype?: Dtype;
}

const tfType = { float32: 'DT_FLOAT', int32: 'DT_INT32', bool: 'DT_BOOL' } as const;
const ints = (...i: number[]) => ({ list: { i: i.map(String) } });
const int = (i: number) => ({ i: String(i) });
const str = (s: string) => ({ s: Buffer.from(s).toString('base64') });
const b = (v: boolean) => ({ b: v });

function op(name: string, opName: string, input: string[], attr: Record<string, unknown> = {}): TfNode {
  return { name, op: opName, input, attr: attr as TfNode['attr'] };
}

/** A tfjs graph model from nodes plus constants, and its nodes for the converter. */
async function graph(inputDtype: 'float32' | 'int32', inputShape: number[], nodes: TfNode[], consts: Record<string, ConstSpec>) {
  const constNodes: TfNode[] = Object.entries(consts).map(([name, c]) => ({
    name,
    op: 'Const',
    attr: { dtype: { type: tfType[c.dtype ?? 'float32'] }, value: { tensor: { dtype: tfType[c.dtype ?? 'float32'], tensorShape: { dim: c.shape.map((s) => ({ size: String(s) })) } } } } as TfNode['attr'],
  }));
  const placeholder: TfNode = { name: 'x', op: 'Placeholder', attr: { dtype: { type: tfType[inputDtype] }, shape: { shape: { dim: inputShape.map((s) => ({ size: String(s) })) } } } as TfNode['attr'] };
  const all = [placeholder, ...constNodes, ...nodes];
  const buffers = Object.values(consts).map((c) => (c.dtype === 'int32' ? new Int32Array(c.values) : c.dtype === 'bool' ? new Uint8Array(c.values) : new Float32Array(c.values)));
  const weightData = new Uint8Array(buffers.reduce((n, a) => n + a.byteLength, 0));
  let at = 0;
  for (const a of buffers) {
    weightData.set(new Uint8Array(a.buffer), at);
    at += a.byteLength;
  }
  const model = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: { node: all, versions: { producer: 808 } } as unknown as tf.io.ModelJSON['modelTopology'],
      weightSpecs: Object.entries(consts).map(([name, c]) => ({ name, shape: c.shape, dtype: c.dtype ?? 'float32' })),
      weightData: weightData.buffer,
    }),
  );
  return { model, nodes: all };
}

/** Runs the graph on `pixels` (bytes) with tfjs and with onnxruntime after conversion; returns both outputs. */
async function bothWays(inputDtype: 'float32' | 'int32', shape: number[], nodes: TfNode[], consts: Record<string, ConstSpec>, outputs: string[], pixels: number[]) {
  await tf.setBackend('cpu');
  const { model, nodes: all } = await graph(inputDtype, shape, nodes, consts);
  const input = tf.tensor(pixels, shape, inputDtype);
  const executed = model.execute({ x: input }, outputs);
  const reference = (Array.isArray(executed) ? executed : [executed]).map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
  const facts = evaluateGraphFacts(tf, model, all, { name: 'x', shape, dtype: inputDtype }, outputs);
  const bytes = tfGraphToOnnx({ nodes: all, input: { name: 'x', shape: shape as [number, number, number, number] }, outputs, facts, producer: 'test' });
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ x__uint8: new ort.Tensor('uint8', Uint8Array.from(pixels), shape) });
  const converted = outputs.map((o) => ({ shape: [...result[o]!.dims].map(Number), values: Array.from(result[o]!.data as ArrayLike<number | bigint | boolean>, Number) }));
  await session.release();
  model.dispose();
  return { reference, converted };
}

function expectSame(run: Awaited<ReturnType<typeof bothWays>>, tolerance = 0): void {
  run.reference.forEach((r, i) => {
    const c = run.converted[i]!;
    expect(c.shape).toEqual(r.shape);
    expect(c.values.length).toBe(r.values.length);
    const worst = Math.max(0, ...r.values.map((v, k) => Math.abs(v - c.values[k]!)));
    expect(worst).toBeLessThanOrEqual(tolerance);
  });
}

const ramp = (n: number, step = 7) => Array.from({ length: n }, (_, i) => (i * step) % 256);

describe('tfjs graph -> ONNX conversion, op by op against tfjs', () => {
  it('StridedSlice: begin, end, shrink and new-axis masks, negative indices, steps, and a negative stride (MoveNet and CenterNet use stride 1 only)', async () => {
    const slice = (name: string, masks: { begin?: number; end?: number; shrink?: number; newAxis?: number }) =>
      op(name, 'StridedSlice', ['cast', `${name}/b`, `${name}/e`, `${name}/s`], { begin_mask: int(masks.begin ?? 0), end_mask: int(masks.end ?? 0), shrink_axis_mask: int(masks.shrink ?? 0), new_axis_mask: int(masks.newAxis ?? 0), ellipsis_mask: int(0) });
    const spec = (name: string, begin: number[], end: number[], strides: number[]) => ({
      [`${name}/b`]: { values: begin, shape: [begin.length], dtype: 'int32' as const },
      [`${name}/e`]: { values: end, shape: [end.length], dtype: 'int32' as const },
      [`${name}/s`]: { values: strides, shape: [strides.length], dtype: 'int32' as const },
    });
    const nodes = [
      op('cast', 'Cast', ['x'], { DstT: { type: 'DT_FLOAT' } }),
      slice('newAxis', { begin: 0b011, end: 0b011, newAxis: 0b100 }), // x[:, :, newaxis]
      slice('reversed', { shrink: 0b1001 }), // x[0, 1:0:-1, 2:0:-1, 1]: checked against TensorFlow's rule below (tfjs-cpu gets it wrong)
      slice('negative', { end: 0b0010 }), // x[0:1, -1:, 1:3, -3:-1]
      slice('stepped', { begin: 0b1011, end: 0b1011 }), // x[:, :, 0:3:2, ::1]
    ];
    const consts = {
      ...spec('newAxis', [0, 0, 0], [0, 0, 0], [1, 1, 1]),
      ...spec('reversed', [0, 1, 2, 1], [1, 0, 0, 2], [1, -1, -1, 1]),
      ...spec('negative', [0, -1, 1, -3], [1, 0, 3, -1], [1, 1, 1, 1]),
      ...spec('stepped', [0, 0, 0, 0], [0, 0, 3, 0], [1, 1, 2, 1]),
    };
    const run = await bothWays('int32', [1, 2, 3, 4], nodes, consts, ['newAxis', 'reversed', 'negative', 'stepped'], ramp(24));
    // x[0, 1, 2, 1] and x[0, 1, 1, 1] of the ramp (value = 7 * flat index): 7 * 21 and 7 * 17
    expect(run.converted[1]).toEqual({ shape: [1, 2], values: [147, 119] });
    run.reference.splice(1, 1);
    run.converted.splice(1, 1);
    expectSame(run);
  });

  it('FloorDiv and FloorMod floor negative integers and floats as tfjs does (a float FloorDiv gives int32 in tfjs)', async () => {
    const nodes = [
      op('i', 'Sub', ['x', 'mid'], {}),
      op('div', 'FloorDiv', ['i', 'three'], {}),
      op('mod', 'FloorMod', ['i', 'three'], {}),
      op('f', 'Cast', ['i'], { DstT: { type: 'DT_FLOAT' } }),
      op('fdiv', 'FloorDiv', ['f', 'minusTwoAndHalf'], {}),
      op('fmod', 'FloorMod', ['f', 'minusTwoAndHalf'], {}),
    ];
    const consts = { mid: { values: [8], shape: [], dtype: 'int32' as const }, three: { values: [3], shape: [], dtype: 'int32' as const }, minusTwoAndHalf: { values: [-2.5], shape: [] } };
    const run = await bothWays('int32', [1, 1, 4, 4], nodes, consts, ['div', 'mod', 'fdiv', 'fmod'], Array.from({ length: 16 }, (_, i) => i));
    expectSame(run, 1e-5);
  });

  it('Select (Where) broadcasts as numpy, as in tfjs', async () => {
    const nodes = [
      op('f', 'Cast', ['x'], { DstT: { type: 'DT_FLOAT' } }),
      op('rows', 'Reshape', ['f', 'shape3x4'], {}),
      op('rowSum', 'Sum', ['rows', 'axis1'], { keep_dims: b(true) }),
      op('big', 'Greater', ['rowSum', 'limit'], {}),
      op('picked', 'Select', ['big', 'rows', 'minusOne'], {}),
    ];
    const consts = {
      shape3x4: { values: [3, 4], shape: [2], dtype: 'int32' as const },
      axis1: { values: [1], shape: [1], dtype: 'int32' as const },
      limit: { values: [200], shape: [] },
      minusOne: { values: [-1], shape: [] },
    };
    expectSame(await bothWays('int32', [1, 1, 3, 4], nodes, consts, ['picked'], [1, 2, 3, 4, 90, 80, 70, 60, 5, 5, 5, 5]));
  });

  it('Pack, Unpack, Split and ConcatV2 with negative axes; TopK, GatherNd, ArgMax and reductions', async () => {
    const nodes = [
      op('f', 'Cast', ['x'], { DstT: { type: 'DT_FLOAT' } }),
      op('m', 'Reshape', ['f', 'shape2x6'], {}),
      op('parts', 'Unpack', ['m'], { num: int(2), axis: int(-2) }),
      op('packed', 'Pack', ['parts:1', 'parts'], { axis: int(-1), N: int(2) }),
      op('halves', 'Split', ['splitDim', 'm'], { num_split: int(2) }),
      op('joined', 'ConcatV2', ['halves:1', 'halves', 'concatAxis'], { N: int(2) }),
      op('flat', 'Reshape', ['f', 'shape12'], {}),
      op('top', 'TopKV2', ['flat', 'k'], { sorted: b(true) }),
      op('where', 'Reshape', ['top:1', 'shape4x1'], {}),
      op('gathered', 'GatherNd', ['flat', 'where'], {}),
      op('arg', 'ArgMax', ['m', 'axis1'], { output_type: { type: 'DT_INT32' } }),
      op('max', 'Max', ['m', 'axis1'], { keep_dims: b(true) }),
      op('mean', 'Mean', ['m', 'axis0'], { keep_dims: b(false) }),
      op('col', 'GatherV2', ['m', 'colIndex', 'axis1scalar'], { batch_dims: int(0) }),
    ];
    const consts = {
      shape2x6: { values: [2, 6], shape: [2], dtype: 'int32' as const },
      shape12: { values: [12], shape: [1], dtype: 'int32' as const },
      shape4x1: { values: [4, 1], shape: [2], dtype: 'int32' as const },
      splitDim: { values: [-1], shape: [], dtype: 'int32' as const },
      concatAxis: { values: [-1], shape: [], dtype: 'int32' as const },
      k: { values: [4], shape: [], dtype: 'int32' as const },
      axis1: { values: [1], shape: [], dtype: 'int32' as const },
      axis0: { values: [0], shape: [1], dtype: 'int32' as const },
      axis1scalar: { values: [1], shape: [], dtype: 'int32' as const },
      colIndex: { values: [5, 0], shape: [2], dtype: 'int32' as const },
    };
    const outputs = ['packed', 'joined', 'top', 'top:1', 'gathered', 'arg', 'max', 'mean', 'col'];
    expectSame(await bothWays('int32', [1, 1, 2, 6], nodes, consts, outputs, [9, 200, 3, 77, 5, 6, 18, 2, 250, 4, 1, 100]), 1e-5);
  });

  it('convolutions: SAME at stride 2 on an odd size, depthwise with a multiplier, fused bias and Relu6; MaxPool; half-pixel and corner-aligned resizing', async () => {
    const conv = { values: Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => Math.sin(i) * 0.05), shape: [3, 3, 3, 4] };
    const bias = { values: [0.5, -1, 2, -0.25], shape: [4] };
    const dw = { values: Array.from({ length: 3 * 3 * 4 * 2 }, (_, i) => Math.cos(i) * 0.1), shape: [3, 3, 4, 2] };
    const dwBias = { values: [0.1, 0.2, -0.3, 0.4, 0, 0, 1, -1], shape: [8] };
    const nodes = [
      op('f', 'Cast', ['x'], { DstT: { type: 'DT_FLOAT' } }),
      op('c1', '_FusedConv2D', ['f', 'conv', 'bias'], { strides: ints(1, 2, 2, 1), padding: str('SAME'), data_format: str('NHWC'), dilations: ints(1, 1, 1, 1), fused_ops: { list: { s: [str('BiasAdd').s, str('Relu6').s] } }, num_args: int(1) }),
      op('d1', 'FusedDepthwiseConv2dNative', ['c1', 'dw', 'dwBias'], { strides: ints(1, 1, 1, 1), padding: str('SAME'), data_format: str('NHWC'), dilations: ints(1, 1, 1, 1), fused_ops: { list: { s: [str('BiasAdd').s, str('Relu').s] } }, num_args: int(1) }),
      op('d2', 'DepthwiseConv2dNative', ['c1', 'dw'], { strides: ints(1, 2, 2, 1), padding: str('VALID'), data_format: str('NHWC'), dilations: ints(1, 1, 1, 1) }),
      op('pool', 'MaxPool', ['d1'], { ksize: ints(1, 3, 3, 1), strides: ints(1, 1, 1, 1), padding: str('SAME'), data_format: str('NHWC') }),
      // the upsampling size computed from the shape, as MoveNet's FPN does: folded away
      op('shape', 'Shape', ['pool'], { out_type: { type: 'DT_INT32' } }),
      op('hw', 'StridedSlice', ['shape', 'one', 'three', 'unit'], { begin_mask: int(0), end_mask: int(0), shrink_axis_mask: int(0), new_axis_mask: int(0), ellipsis_mask: int(0) }),
      op('twice', 'Mul', ['hw', 'two'], {}),
      op('up', 'ResizeBilinear', ['pool', 'twice'], { align_corners: b(false), half_pixel_centers: b(true) }),
      op('upCorners', 'ResizeBilinear', ['d1', 'twice'], { align_corners: b(true), half_pixel_centers: b(false) }),
    ];
    const consts = { conv, bias, dw, dwBias, one: { values: [1], shape: [1], dtype: 'int32' as const }, three: { values: [3], shape: [1], dtype: 'int32' as const }, unit: { values: [1], shape: [1], dtype: 'int32' as const }, two: { values: [2], shape: [], dtype: 'int32' as const } };
    const run = await bothWays('int32', [1, 7, 9, 3], nodes, consts, ['c1', 'd1', 'd2', 'pool', 'up', 'upCorners'], ramp(7 * 9 * 3, 13));
    expect(run.reference[0]!.shape).toEqual([1, 4, 5, 4]); // SAME at stride 2: ceil(7/2) x ceil(9/2)
    expectSame(run, 1e-4);
  });

  it('Pad and PadV2: zeros or a constant value before and after each axis, on floats and integers (BlazePose pads its input and feature maps)', async () => {
    const nodes = [
      op('f', 'Cast', ['x'], { DstT: { type: 'DT_FLOAT' } }),
      op('zeros', 'Pad', ['f', 'hw'], { Tpaddings: { type: 'DT_INT32' } }),
      op('uneven', 'Pad', ['x', 'all'], { Tpaddings: { type: 'DT_INT32' } }),
      op('valued', 'PadV2', ['f', 'hw', 'minusHalf'], { Tpaddings: { type: 'DT_INT32' } }),
      // padding then a VALID stride-2 convolution: BlazePose's ZeroPadding2D before its downsampling
      op('conv', '_FusedConv2D', ['zeros', 'w', 'bias'], { strides: ints(1, 2, 2, 1), padding: str('VALID'), data_format: str('NHWC'), dilations: ints(1, 1, 1, 1), fused_ops: { list: { s: [str('BiasAdd').s, str('Relu6').s] } }, num_args: int(1) }),
    ];
    const consts = {
      hw: { values: [0, 0, 1, 2, 0, 1, 0, 0], shape: [4, 2], dtype: 'int32' as const },
      all: { values: [1, 0, 0, 3, 2, 0, 1, 1], shape: [4, 2], dtype: 'int32' as const },
      minusHalf: { values: [-0.5], shape: [] },
      w: { values: Array.from({ length: 3 * 3 * 2 * 2 }, (_, i) => Math.sin(i) * 0.02), shape: [3, 3, 2, 2] },
      bias: { values: [0.25, -0.5], shape: [2] },
    };
    const run = await bothWays('int32', [1, 3, 4, 2], nodes, consts, ['zeros', 'uneven', 'valued', 'conv'], ramp(24, 11));
    expect(run.reference[0]!.shape).toEqual([1, 6, 5, 2]);
    expect(run.reference[1]!.shape).toEqual([2, 6, 6, 4]);
    expectSame(run, 1e-5);
  });

  it('scales the input bytes inside the graph when asked (BlazePose takes pixels / 255), and refuses to scale an integer input', async () => {
    await tf.setBackend('cpu');
    const shape = [1, 2, 2, 3];
    const { model, nodes: all } = await graph('float32', shape, [op('y', 'Mul', ['x', 'two'], {})], { two: { values: [2], shape: [] } });
    const pixels = [0, 1, 2, 3, 50, 100, 127, 128, 200, 250, 254, 255];
    const executed = model.execute({ x: tf.tensor(pixels.map((p) => p / 255), shape, 'float32') }, 'y') as tf.Tensor;
    const reference = Array.from(executed.dataSync());
    const facts = evaluateGraphFacts(tf, model, all, { name: 'x', shape, dtype: 'float32' }, ['y']);
    const bytes = tfGraphToOnnx({ nodes: all, input: { name: 'x', shape: shape as [number, number, number, number], scale: 1 / 255 }, outputs: ['y'], facts, producer: 'test' });
    const session = await ort.InferenceSession.create(bytes);
    const result = await session.run({ x__uint8: new ort.Tensor('uint8', Uint8Array.from(pixels), shape) });
    const converted = Array.from(result.y!.data as Float32Array);
    await session.release();
    model.dispose();
    // multiplying by 1/255 and dividing by 255 differ by at most one float32 step
    expect(Math.max(...converted.map((v, i) => Math.abs(v - reference[i]!)))).toBeLessThanOrEqual(1e-6);
    expect(converted[11]).toBeCloseTo(2, 6);

    const { model: intModel, nodes: intNodes } = await graph('int32', shape, [op('y', 'Mul', ['x', 'three'], {})], { three: { values: [3], shape: [], dtype: 'int32' } });
    const intFacts = evaluateGraphFacts(tf, intModel, intNodes, { name: 'x', shape, dtype: 'int32' }, ['y']);
    expect(() => tfGraphToOnnx({ nodes: intNodes, input: { name: 'x', shape: shape as [number, number, number, number], scale: 0.5 }, outputs: ['y'], facts: intFacts, producer: 'test' })).toThrow('the input x is int32: only a float input can be scaled');
    intModel.dispose();
  });

  it('folds everything that depends only on shapes into constants', () => {
    const nodes: TfNode[] = [
      { name: 'x', op: 'Placeholder' },
      { name: 'w', op: 'Const' },
      op('s', 'Shape', ['x']),
      op('n', 'Mul', ['s', 'w']),
      op('y', 'Mul', ['x', 'n']),
      op('z', 'Sigmoid', ['y', '^n']),
    ];
    expect([...constantNodes(nodes)].sort()).toEqual(['n', 's', 'w']);
  });

  it('refuses an op it does not know, naming the node', async () => {
    const nodes = [op('f', 'Cast', ['x'], { DstT: { type: 'DT_FLOAT' } }), op('odd', 'Softplus', ['f'], {})];
    await tf.setBackend('cpu');
    const { model, nodes: all } = await graph('int32', [1, 1, 1, 2], nodes, {});
    const facts = evaluateGraphFacts(tf, model, all, { name: 'x', shape: [1, 1, 1, 2], dtype: 'int32' }, ['odd']);
    expect(() => tfGraphToOnnx({ nodes: all, input: { name: 'x', shape: [1, 1, 1, 2] }, outputs: ['odd'], facts, producer: 'test' })).toThrow('odd uses the TensorFlow op Softplus, which this conversion does not handle');
  });

  it('refuses an op named like a property every object has (the op table is looked up by its own keys only)', () => {
    const nodes: TfNode[] = [{ name: 'x', op: 'Placeholder' }, op('odd', 'toString', ['x']), op('odder', 'constructor', ['x'])];
    const facts = { tensors: new Map([['x', { shape: [1, 1, 1, 2], dtype: 'int32' as const }]]) };
    for (const output of ['odd', 'odder']) {
      const opName = output === 'odd' ? 'toString' : 'constructor';
      expect(() => tfGraphToOnnx({ nodes, input: { name: 'x', shape: [1, 1, 1, 2] }, outputs: [output], facts, producer: 'test' })).toThrow(`${output} uses the TensorFlow op ${opName}, which this conversion does not handle`);
    }
  });
});
