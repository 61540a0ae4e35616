/**
 * Child process for the pose models' backend parity test: runs one pose model on fixed square
 * crops of a few frames of a video (cut and resized by ffmpeg, so both backends get the same
 * bytes) on the backend given, and prints one JSON line: the runtime used and each frame's
 * keypoints (x, y in input pixels, score).
 *   node --import tsx poseFrames.ts <video> <frame:x:y:side,...> <backend> <pose model>
 * A child of its own because tfjs's backend is chosen once per process.
 */
import { isBackendChoice } from '../../../src-main/detect/backendOrder.js';
import { loadPoseModel } from '../../../src-main/detect/poseModel.js';
import { isPoseModelName, poseModelSpecs } from '../../../src-main/detect/poseModelSpecs.js';
import { startTf } from '../../../src-main/detect/tfRuntime.js';
import { readRawFrames } from '../../../src-main/media/rawFrames.js';

const [video, cropList, backend, modelName] = process.argv.slice(2);
if (!video || !cropList || !isBackendChoice(backend) || !isPoseModelName(modelName)) {
  console.error('usage: poseFrames.ts <video> <frame:x:y:side,...> <auto|onnxruntime|wasm|cpu> <pose model>');
  process.exit(2);
}
const runtime = await startTf(backend);
const model = await loadPoseModel(modelName, backend);
const size = poseModelSpecs[modelName].inputSize;
const frames: Array<{ frame: number; ms: number; points: number[] }> = [];
for (const crop of cropList.split(',')) {
  const [frame, x, y, side] = crop.split(':').map(Number) as [number, number, number, number];
  const filters = `fps=30,select=eq(n\\,${frame}),crop=${side}:${side}:${x}:${y},scale=${size}:${size}:flags=bilinear`;
  for await (const rgb of readRawFrames({ input: video, width: size, height: size, filters, outputArgs: ['-vsync', 'passthrough'] })) {
    const t0 = performance.now();
    const points = await model.estimate(rgb);
    frames.push({ frame, ms: performance.now() - t0, points: Array.from(points) });
  }
}
await model.dispose();
process.stdout.write(`${JSON.stringify({ runtime, backend: model.backend, input: `${size}x${size}`, frames })}\n`, () => process.exit(0));
