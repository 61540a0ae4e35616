/**
 * Child process for the backend parity test: runs one detector on a few frames of a video on
 * the backend given, and prints one JSON line: the tfjs runtime used and every person slot
 * (minScore 0, so slots line up across backends).
 *   node --import tsx detectFrames.ts <video> <frame,frame,...> <backend> [detector] [WxH]
 * WxH replaces the detector's own input (e.g. 256x256 to measure MoveNet on the square).
 * A child of its own because tfjs's backend and Dawn's Vulkan driver (VK_ICD_FILENAMES) are
 * chosen once per process.
 */
import { loadDetector } from '../../../src-main/detect/detector.js';
import { detectorLetterbox, type DetectorName } from '../../../src-main/detect/detectorSpecs.js';
import { isBackendChoice } from '../../../src-main/detect/backendOrder.js';
import { startTf } from '../../../src-main/detect/tfRuntime.js';
import { letterbox, letterboxFilter } from '../../../src-main/domain/letterbox.js';
import { probeVideo } from '../../../src-main/media/probe.js';
import { readRawFrames } from '../../../src-main/media/rawFrames.js';

const [video, frameList, backend, detectorName = 'movenet-multipose', inputOverride] = process.argv.slice(2);
if (!video || !frameList || !isBackendChoice(backend)) {
  console.error('usage: detectFrames.ts <video> <frame,frame,...> <auto|tensorflow|onnxruntime|webgpu|wasm|cpu> [detector] [WxH]');
  process.exit(2);
}
const wanted = new Set(frameList.split(',').map(Number));
const runtime = await startTf(backend);
const detector = await loadDetector(detectorName as DetectorName, backend);
const probe = await probeVideo(video);
const [overrideWidth, overrideHeight] = (inputOverride ?? '').split('x').map(Number);
const box = overrideWidth && overrideHeight ? letterbox(probe.displayWidth, probe.displayHeight, overrideWidth, overrideHeight) : detectorLetterbox(detector.name, probe.displayWidth, probe.displayHeight);
const frames: Array<{ frame: number; ms: number; people: Awaited<ReturnType<typeof detector.detect>> }> = [];
let index = 0;
for await (const rgb of readRawFrames({ input: video, width: box.inputWidth, height: box.inputHeight, filters: `fps=30,${letterboxFilter(box)}` })) {
  if (wanted.has(index)) {
    const t0 = performance.now();
    const people = await detector.detect(rgb, box, 0);
    frames.push({ frame: index, ms: performance.now() - t0, people });
  }
  index++;
  if (frames.length === wanted.size) break;
}
await detector.dispose();
// Dawn keeps native handles open: end once the answer is written (a pipe is written asynchronously)
process.stdout.write(`${JSON.stringify({ runtime, detector: detector.name, backend: detector.backend, input: `${box.inputWidth}x${box.inputHeight}`, frames })}\n`, () => process.exit(0));
