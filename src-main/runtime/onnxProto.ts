/**
 * Just enough of the ONNX protobuf format to write a model: a model, its graph, nodes with
 * attributes, tensors and value infos. Field numbers are those of onnx/onnx.proto (IR 8).
 * Writing only: the model is handed to onnxruntime as bytes, never read back here. In runtime/,
 * as both stages write ONNX: stage 1 its converted detector graphs, stage 2 its head bundles.
 */

/** ONNX TensorProto.DataType values used here. */
export const OnnxType = { float: 1, uint8: 2, int32: 6, int64: 7, bool: 9 } as const;
export type OnnxTypeName = keyof typeof OnnxType;

/**
 * Protobuf's wire encodings into a list of chunks: nested messages and raw data (tensor
 * bytes, megabytes each) are kept by reference and copied once, into the finished model.
 */
class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private scratch = new Uint8Array(256);
  private used = 0;
  /** Bytes written so far, chunks and scratch. */
  length = 0;

  private flush(): void {
    if (this.used === 0) return;
    this.chunks.push(this.scratch.slice(0, this.used));
    this.used = 0;
  }

  private byte(value: number): void {
    if (this.used === this.scratch.length) this.flush();
    this.scratch[this.used++] = value;
    this.length++;
  }

  private varint(value: bigint | number): void {
    // negative int64 values are written as 10-byte two's complement, as protobuf does
    if (typeof value === 'number' && value >= 0 && value < 2 ** 31) {
      let v = value;
      while (v >= 0x80) {
        this.byte((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      this.byte(v);
      return;
    }
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private key(field: number, wireType: 0 | 2 | 5): void {
    this.varint((field << 3) | wireType);
  }

  private append(data: Uint8Array): void {
    this.flush();
    this.chunks.push(data);
    this.length += data.length;
  }

  int(field: number, value: number | bigint): this {
    this.key(field, 0);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, 5);
    for (const b of new Uint8Array(Float32Array.of(value).buffer)) this.byte(b);
    return this;
  }

  raw(field: number, data: Uint8Array): this {
    this.key(field, 2);
    this.varint(data.length);
    this.append(data);
    return this;
  }

  string(field: number, value: string): this {
    return this.raw(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    inner.flush();
    this.key(field, 2);
    this.varint(inner.length);
    for (const chunk of inner.chunks) this.append(chunk);
    return this;
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'tensor'; value: OnnxTensor };

export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attributes?: Record<string, AttributeValue>;
}

export interface OnnxTensor {
  name: string;
  type: OnnxTypeName;
  dims: readonly number[];
  /** Little-endian element bytes (raw_data). */
  data: Uint8Array;
}

export interface OnnxValueInfo {
  name: string;
  type: OnnxTypeName;
  /** null for a dimension left open (named `d<index>`), a string for an open one of that name. */
  dims: ReadonlyArray<number | string | null>;
}

export interface OnnxModel {
  graphName: string;
  producer: string;
  opset: number;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
}

/** TensorProto: dims 1, data_type 2, name 8, raw_data 9. */
function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, OnnxType[t.type]);
  w.string(8, t.name);
  w.raw(9, t.data);
}

/** AttributeProto: name 1, f 2, i 3, s 4, t 5, ints 8, type 20. */
function writeAttribute(w: ProtoWriter, name: string, a: AttributeValue): void {
  w.string(1, name);
  switch (a.kind) {
    case 'float':
      w.float(2, a.value).int(20, 1);
      break;
    case 'int':
      w.int(3, a.value).int(20, 2);
      break;
    case 'string':
      w.string(4, a.value).int(20, 3);
      break;
    case 'tensor':
      w.message(5, (t) => writeTensor(t, a.value)).int(20, 4);
      break;
    case 'ints':
      for (const v of a.value) w.int(8, v);
      w.int(20, 7);
      break;
  }
}

/** ValueInfoProto: name 1, type 2 -> TypeProto.tensor_type 1 -> elem_type 1, shape 2 -> dim 1 -> dim_value 1 | dim_param 2. */
function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, OnnxType[v.type]);
      tensor.message(2, (shape) => {
        v.dims.forEach((d, i) => shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d ?? `d${i}`))));
      });
    }),
  );
}

/** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5. */
function writeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, value] of Object.entries(n.attributes ?? {})) w.message(5, (a) => writeAttribute(a, name, value));
}

/** The model as ONNX protobuf bytes (ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8); // IR version 8 (ONNX 1.10+)
  w.string(2, model.producer);
  // GraphProto: node 1, name 2, initializer 5, input 11, output 12
  w.message(7, (g) => {
    for (const n of model.nodes) g.message(1, (node) => writeNode(node, n));
    g.string(2, model.graphName);
    for (const t of model.initializers) g.message(5, (tensor) => writeTensor(tensor, t));
    for (const v of model.inputs) g.message(11, (info) => writeValueInfo(info, v));
    for (const v of model.outputs) g.message(12, (info) => writeValueInfo(info, v));
  });
  // OperatorSetIdProto: domain 1 (empty = ai.onnx), version 2
  w.message(8, (o) => o.int(2, model.opset));
  return w.finish();
}

/** What a graph patch adds to a model's graph: nodes, their initializers and new graph outputs. */
export interface OnnxGraphPatch {
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  outputs: readonly OnnxValueInfo[];
}

/**
 * A ModelProto holding only a graph (field 7) with the patch's nodes (GraphProto field 1),
 * initializers (5) and outputs (12). Appended to a model's bytes it adds them to that model's
 * graph: protobuf merges a repeated occurrence of a singular message field into the earlier
 * one, concatenating the repeated fields inside it. Nothing else is written (no IR version, no
 * opset_import: those stay the model's own).
 */
export function encodeGraphPatch(patch: OnnxGraphPatch): Uint8Array {
  const w = new ProtoWriter();
  w.message(7, (g) => {
    for (const n of patch.nodes) g.message(1, (node) => writeNode(node, n));
    for (const t of patch.initializers) g.message(5, (tensor) => writeTensor(tensor, t));
    for (const v of patch.outputs) g.message(12, (info) => writeValueInfo(info, v));
  });
  return w.finish();
}
