import type { GraphBuilder } from '../graphBuilder.js';
import type { TfNode } from '../tfGraph.js';

/** What a converter gets for one TensorFlow node. */
export interface OpContext {
  /** The ONNX graph being written (and the TensorFlow graph's facts). */
  readonly b: GraphBuilder;
  readonly node: TfNode;
  /** The node's data inputs, by graph tensor name. */
  readonly inputs: readonly string[];
  /** Data input i as an ONNX input name (a constant becomes an initializer on first use). */
  x(i: number): string;
  /** The name of the node's first output. */
  readonly out: string;
  /** The shape the evaluation gave the first output (the op must be one factsNeeded asks it for). */
  outShape(): number[];
}

/** Emits the ONNX nodes computing one TensorFlow node's outputs, under the same names. */
export type OpConverter = (c: OpContext) => void;

/** Converters by TensorFlow op type. */
export type OpTable = Readonly<Record<string, OpConverter>>;

/** A TensorFlow axis (negative: from the end) as a non-negative one, for a tensor of `rank`. */
export const axisIn = (axis: number, rank: number): number => (axis + rank) % rank;
