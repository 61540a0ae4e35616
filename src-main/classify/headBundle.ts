import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../contract/errors.js';
import { encodeGraphPatch, type OnnxTensor } from '../runtime/onnxProto.js';
import { openBundle } from './bundle.js';
import { bundleManifestSchema, isFeaturesManifest, type BundleManifest } from './bundleManifest.js';

/**
 * A head bundle: a feature backbone's model.onnx with a trained logistic-regression head
 * written into its graph, so one ONNX graph gives each clip's logit of ASD. The head is
 * appended as a second graph message that protobuf merges into the first (no ONNX parser).
 */

/** A logistic-regression head on standardised features: logit = intercept + sum_j coef_j (x_j - mean_j) / scale_j. */
export interface LinearHead {
  mean: number[];
  scale: number[];
  coefficients: number[];
  intercept: number;
}

/** The head as one linear map of the raw features: logit = sum_j weights_j x_j + bias. */
export interface FoldedHead {
  weights: Float32Array;
  bias: number;
}

/** The names the head adds to the graph, chosen not to collide with an exported backbone's. */
const headNames = { weights: 'walkscope_head/W', bias: 'walkscope_head/B', product: 'walkscope_head/features_x_W' } as const;

/** The batch dimension's name in the added output (export_reference.py's name for it). */
const batchDim = 'batch';

/**
 * Folds the standardisation into the coefficients, in float64: w_j = coef_j / scale_j,
 * b = intercept - sum_j coef_j mean_j / scale_j (the weights are then rounded to float32).
 * RangeError when the lengths differ or a scale is zero or not finite.
 */
export function foldHead(head: LinearHead): FoldedHead {
  const size = head.coefficients.length;
  if (head.mean.length !== size || head.scale.length !== size) {
    throw new RangeError(`the head has ${size} coefficients, ${head.mean.length} means and ${head.scale.length} scales: they must be as many`);
  }
  const weights = new Float32Array(size);
  let bias = head.intercept;
  for (let j = 0; j < size; j++) {
    const scale = head.scale[j]!;
    if (!Number.isFinite(scale) || scale === 0) throw new RangeError(`the head's scale ${j} is ${scale}, not a finite non-zero number`);
    const w = head.coefficients[j]! / scale;
    weights[j] = w;
    bias -= w * head.mean[j]!;
  }
  if (!Number.isFinite(bias) || !weights.every(Number.isFinite)) throw new RangeError('the folded head is not finite');
  return { weights, bias };
}

/** A float32 tensor's raw_data bytes, little-endian as ONNX stores them. */
function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

/**
 * New ONNX bytes whose graph also computes `outputName` [N, 1] = MatMul(featuresOutput, W[C, 1])
 * + B[1] with the folded head: the model's bytes followed by a graph patch (onnxProto.ts's
 * encodeGraphPatch) holding the two nodes, W and B and the new output. The graph then has
 * both outputs, the backbone's features and the logit. The model's opset must have MatMul and
 * Add (every ONNX opset does).
 */
export function appendHeadToOnnx(modelBytes: Uint8Array, featuresOutput: string, head: LinearHead, outputName = 'logit'): Uint8Array {
  const { weights, bias } = foldHead(head);
  const initializers: OnnxTensor[] = [
    { name: headNames.weights, type: 'float', dims: [weights.length, 1], data: float32Bytes(weights) },
    { name: headNames.bias, type: 'float', dims: [1], data: float32Bytes([bias]) },
  ];
  const patch = encodeGraphPatch({
    nodes: [
      { opType: 'MatMul', name: 'walkscope_head/MatMul', inputs: [featuresOutput, headNames.weights], outputs: [headNames.product] },
      { opType: 'Add', name: 'walkscope_head/Add', inputs: [headNames.product, headNames.bias], outputs: [outputName] },
    ],
    initializers,
    outputs: [{ name: outputName, type: 'float', dims: [batchDim, 1] }],
  });
  const out = new Uint8Array(modelBytes.length + patch.length);
  out.set(modelBytes, 0);
  out.set(patch, modelBytes.length);
  return out;
}

/** What the caller states about the head bundle; the rest of its manifest comes from the backbone. */
export interface HeadBundleDetails {
  id: string;
  name: string;
  version: string;
  /** The training data and cross-validated metrics of the head, the date and authors. */
  provenance: BundleManifest['provenance'];
  intendedUse: string;
  /** On P(ASD); 0.5 when not given. */
  threshold?: number;
  /** The output's note; a sentence naming the backbone when not given. */
  note?: string;
}

/** Writes a file whole or not at all: a temporary file beside it, then a rename. */
async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes a classifier bundle into `outDir`: the features bundle at `backboneDir` (opened and
 * checked with openBundle) with `head` written into its graph (model.onnx), and its manifest:
 * the backbone's input, output "logit" of class ASD (P(ASD) = sigmoid(logit)), the backbone's
 * architecture plus the head, and the caller's details; never validated. Returns the manifest.
 * AppError('MODEL_INVALID') when the backbone is not a features bundle or the head's length is
 * not its feature size.
 */
export async function writeHeadBundle(backboneDir: string, head: LinearHead, details: HeadBundleDetails, outDir: string): Promise<BundleManifest> {
  const backbone = await openBundle(backboneDir);
  try {
    const source = backbone.manifest;
    if (!isFeaturesManifest(source)) {
      throw new AppError('MODEL_INVALID', `${source.name} gives a ${source.output.kind}, not features: a head is written only onto a feature backbone`);
    }
    const size = source.output.featureSize;
    for (const [part, values] of [['coefficients', head.coefficients], ['means', head.mean], ['scales', head.scale]] as const) {
      if (values.length !== size) {
        throw new AppError('MODEL_INVALID', `the head has ${values.length} ${part} but ${source.name} gives ${size} features per clip`);
      }
    }
    if (resolve(outDir) === resolve(backbone.dir)) throw new AppError('MODEL_INVALID', 'the head bundle must be written to a folder of its own, not over its backbone');
    let model: Uint8Array;
    try {
      model = appendHeadToOnnx(await readFile(backbone.modelPath), source.output.name, head, 'logit');
    } catch (cause) {
      if (cause instanceof RangeError) throw new AppError('MODEL_INVALID', cause.message, { cause });
      throw cause;
    }
    const parsed = bundleManifestSchema.safeParse({
      schemaVersion: 1,
      id: details.id,
      name: details.name,
      version: details.version,
      architecture: {
        ...source.architecture,
        head: { kind: 'logistic-regression', features: size, backboneId: source.id, backboneSha256: backbone.sha256 },
      },
      input: source.input,
      output: {
        name: 'logit',
        kind: 'logit',
        positiveClass: 'ASD',
        classNames: ['ASD', 'not ASD'],
        note:
          details.note ??
          `the logit of ASD (P(ASD) = sigmoid(logit)) from a logistic-regression head on the ${size} features of ${source.name}; the graph's other output, "${source.output.name}", is the backbone's features`,
      },
      threshold: details.threshold ?? 0.5,
      provenance: details.provenance,
      intendedUse: details.intendedUse,
      validated: false,
      modelSha256: createHash('sha256').update(model).digest('hex'),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('MODEL_INVALID', `the head bundle's manifest: ${issue.path.join('.') || 'manifest'}: ${issue.message}`);
    }
    const manifest = parsed.data;
    await mkdir(outDir, { recursive: true });
    await writeFileAtomic(join(outDir, 'model.onnx'), model);
    await writeFileAtomic(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    await backbone.dispose();
  }
}
