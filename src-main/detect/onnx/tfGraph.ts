/**
 * The TensorFlow graph as tfjs's model.json holds it (nodes with attributes), and the facts
 * about its tensors that one evaluation at a fixed input size gives: what the ONNX conversion
 * reads.
 */

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

export interface TfAttr {
  i?: string;
  f?: number;
  b?: boolean;
  s?: string;
  type?: string;
  list?: { i?: string[]; s?: string[] };
}

export type TfDtype = 'float32' | 'int32' | 'bool';

/** One tensor of the graph as evaluated at the conversion's input size. */
export interface TensorFact {
  shape: number[];
  dtype: TfDtype;
  /** Values, for the tensors that do not depend on the input's pixels (constants and shape arithmetic). */
  values?: Float32Array | Int32Array | Uint8Array;
}

export interface GraphFacts {
  /** Keyed by tensor name as the graph refers to it: "node" for output 0, "node:1" for output 1... */
  tensors: Map<string, TensorFact>;
}

/** How many outputs a TensorFlow op has (the ones the converter meets). */
export function outputCount(node: TfNode): number {
  if (node.op === 'Unpack') return Number(node.attr?.num?.i ?? 1);
  if (node.op === 'Split') return Number(node.attr?.num_split?.i ?? 1);
  if (node.op === 'TopKV2') return 2;
  return 1;
}

export function outputName(node: string, index: number): string {
  return index === 0 ? node : `${node}:${index}`;
}

/** The node's data inputs by tensor name (control inputs, "^node", left out). */
export const dataInputs = (node: TfNode): string[] => (node.input ?? []).filter((i) => !i.startsWith('^'));

/** A string attribute (base64 in model.json), '' when absent. */
export const attrText = (attr: TfAttr | undefined): string => (attr?.s ? Buffer.from(attr.s, 'base64').toString('utf8') : '');

/** A list-of-ints attribute, [] when absent. */
export const attrInts = (attr: TfAttr | undefined): number[] => (attr?.list?.i ?? []).map(Number);
