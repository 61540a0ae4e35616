/**
 * Prints the SHA-256 of the ONNX bytes tfGraphToOnnx writes for the bundled detectors at the
 * input sizes the app uses (MoveNet MultiPose at 256x160, 256x256 and the portrait 160x256;
 * CenterNet at 512x512) and for the shipped pose models (256x256), converted afresh (no conversion cache). Run before and after a change
 * to the converter: equal digests mean the change writes the same models, so conversionCache's
 * converterVersion stays.
 * Run: node --import tsx tools/onnxDigests.ts
 */
import { createHash } from 'node:crypto';
import { evaluateGraphFacts } from '../src-main/detect/onnx/graphFacts.js';
import { tfGraphToOnnx } from '../src-main/detect/onnx/tfGraphToOnnx.js';
import { loadModelFiles, type ModelName } from '../src-main/detect/modelFiles.js';
import { signatureOutputs } from '../src-main/detect/onnx/convertedGraph.js';
import { poseModelSpecs } from '../src-main/detect/poseModelSpecs.js';
import { graphModelFromFiles, graphNodes, loadTf, startTfForConversion } from '../src-main/detect/tfRuntime.js';

const detectors: Array<{ model: ModelName; input: string; inputType: 'int32' | 'float32'; outputs: string[]; scale?: number; sizes: Array<[width: number, height: number]> }> = [
  { model: 'movenet-multipose', input: 'input', inputType: 'int32', outputs: ['Identity'], sizes: [[256, 160], [256, 256], [160, 256]] },
  { model: 'centernet', input: 'tower_0/images', inputType: 'float32', outputs: ['tower_0/detections'], sizes: [[512, 512]] },
  // the shipped pose models, as poseModelSpecs.ts converts them
  ...(['movenet-thunder', 'blazepose-full'] as const).map((model) => {
    const { signature, inputSize } = poseModelSpecs[model];
    return { model, input: signature.input, inputType: signature.inputType, outputs: signatureOutputs(signature), ...(signature.inputScale === undefined ? {} : { scale: signature.inputScale }), sizes: [[inputSize, inputSize] as [number, number]] };
  }),
];

await startTfForConversion();
const tf = await loadTf();
for (const d of detectors) {
  const files = loadModelFiles(d.model);
  const model = await graphModelFromFiles(files);
  const nodes = graphNodes(files);
  for (const [width, height] of d.sizes) {
    const shape: [number, number, number, number] = [1, height, width, 3];
    const facts = evaluateGraphFacts(tf, model, nodes, { name: d.input, shape, dtype: d.inputType }, d.outputs);
    const bytes = tfGraphToOnnx({ nodes, input: { name: d.input, shape, scale: d.scale }, outputs: d.outputs, facts, producer: 'WalkScope tfGraphToOnnx' });
    console.log(`${d.model} ${width}x${height}  ${bytes.length} bytes  sha256 ${createHash('sha256').update(bytes).digest('hex')}`);
  }
  model.dispose();
}
